/**
 * Runs in a worker thread: unpacks a zip as a stream, counting every byte, and stops at the first limit
 * passed, so a zip bomb costs at most the limits and never blocks the request thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Unzip, UnzipInflate } from 'fflate';
import { megabytes, unsafeEntryName, type ZipLimits, type ZipRefusal } from './zip-limits';

export type UnzipResult =
  { ok: true; files: Array<[string, Uint8Array]> } | { ok: false; refusal: ZipRefusal };

const SLICE = 1024;

class Refused extends Error {
  constructor(readonly refusal: ZipRefusal) {
    super(refusal.key);
  }
}

const refuse = (status: ZipRefusal['status'], key: string, params: ZipRefusal['params'] = {}): never => {
  throw new Refused({ status, key, params });
};

/** One fresh buffer per file (never a slice of a shared pool), so it can be transferred to the main thread. */
function joined(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function unzipWithLimits(
  zip: Uint8Array,
  limits: ZipLimits,
  isImage: (name: string) => boolean,
): UnzipResult {
  const files: Array<[string, Uint8Array]> = [];
  let entries = 0;
  let total = 0;
  // Set by the callbacks below (a plain `null` would let the compiler think it stays null).
  let failure = null as Refused | null;
  const unzip = new Unzip((file) => {
    if (failure) return;
    try {
      if (unsafeEntryName(file.name)) refuse(422, 'authoring:import.unsafeName', { name: file.name });
      if (file.name.endsWith('/')) return; // a folder entry: nothing to unpack
      if (++entries > limits.entries) refuse(413, 'authoring:import.tooManyFiles', { limit: limits.entries });
      const cap = isImage(file.name) ? limits.imageBytes : limits.textBytes;
      const packed = file.size ?? zip.length;
      const chunks: Uint8Array[] = [];
      let size = 0;
      file.ondata = (error, data, final) => {
        if (failure) return;
        try {
          if (error) refuse(400, 'authoring:import.notZip');
          size += data.length;
          total += data.length;
          if (size > cap)
            refuse(413, 'authoring:import.fileTooLarge', { name: file.name, limit: megabytes(cap) });
          if (total > limits.totalBytes)
            refuse(413, 'authoring:import.tooLargeUnpacked', { limit: megabytes(limits.totalBytes) });
          if (size > limits.ratioFloorBytes && size > packed * limits.ratio)
            refuse(413, 'authoring:import.ratio', { name: file.name, ratio: limits.ratio });
          chunks.push(data);
          if (final) files.push([file.name, joined(chunks, size)]);
        } catch (e) {
          failure =
            e instanceof Refused
              ? e
              : new Refused({ status: 400, key: 'authoring:import.notZip', params: {} });
          file.terminate();
        }
      };
      file.start();
    } catch (e) {
      failure =
        e instanceof Refused ? e : new Refused({ status: 400, key: 'authoring:import.notZip', params: {} });
    }
  });
  unzip.register(UnzipInflate);
  try {
    // In 1 kB slices: deflate packs at most ~1 000:1, so one push unpacks at most ~1 MB before the limits
    // are checked again (a 64 kB push of a bomb became one 64 MB chunk, and took seconds).
    for (let at = 0; at < zip.length && !failure; at += SLICE)
      unzip.push(zip.subarray(at, at + SLICE), at + SLICE >= zip.length);
  } catch (e) {
    failure ??=
      e instanceof Refused ? e : new Refused({ status: 400, key: 'authoring:import.notZip', params: {} });
  }
  if (failure) return { ok: false, refusal: failure.refusal };
  if (files.length === 0)
    return { ok: false, refusal: { status: 400, key: 'authoring:import.notZip', params: {} } };
  return { ok: true, files };
}

if (parentPort && (workerData as { zip?: Uint8Array } | null)?.zip) {
  const { zip, limits } = workerData as { zip: Uint8Array; limits: ZipLimits };
  const result = unzipWithLimits(zip, limits, (name) => /(^|\/)images\//.test(name));
  parentPort.postMessage(
    result,
    result.ok ? result.files.map(([, bytes]) => bytes.buffer as ArrayBuffer) : [],
  );
}
