/**
 * Sends a stored object over HTTP the way express's sendFile (the `send` module) sends a file, from
 * either store: one byte range (206, or 416 past the end), ETag and Last-Modified with 304 and 412,
 * If-Range, HEAD. The caller has already checked that the person may have it; everything streams through
 * the app, so that check stays the only way in (docs/deploy.md, "Media in object storage").
 */
import { pipeline } from 'node:stream';
import type { Request, Response } from 'express';
import { HttpError, notFound } from '../http/errors';
import type { Logger } from '../logger';
import { MediaStoreError, type ByteRange, type MediaStore, type StoredObject } from './types';

/** The same weak validator `send` makes from a file's size and modification time. */
const etagOf = (o: StoredObject) => `W/"${o.size.toString(16)}-${o.lastModified.getTime().toString(16)}"`;

const httpDate = (value: string | undefined) => (value ? Date.parse(value) : NaN);
const tokens = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** If-Match / If-Unmodified-Since that the object does not meet (RFC 9110 13.1.1, 13.1.4). */
function preconditionFailed(req: Request, etag: string, lastModified: Date): boolean {
  const match = req.get('If-Match');
  if (match)
    return match !== '*' && tokens(match).every((m) => m !== etag && m !== `W/${etag}` && `W/${m}` !== etag);
  const since = httpDate(req.get('If-Unmodified-Since'));
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 > since;
}

/** Whether a Range may be honoured: no If-Range, or one naming this version (RFC 9110 13.1.5). */
function rangeFresh(req: Request, etag: string, lastModified: string): boolean {
  const ifRange = req.get('If-Range');
  if (!ifRange) return true;
  if (ifRange.includes('"')) return ifRange.includes(etag);
  return httpDate(lastModified) <= httpDate(ifRange);
}

/** The one byte range asked for; 'unsatisfiable' past the end; null for the whole object. */
function requestedRange(req: Request, size: number, fresh: boolean): ByteRange | 'unsatisfiable' | null {
  if (!/^ *bytes=/.test(req.get('Range') ?? '')) return null;
  const ranges = req.range(size, { combine: true });
  if (!fresh || ranges === undefined || ranges === -2) return null;
  if (ranges === -1) return 'unsatisfiable';
  // Several ranges are answered with the whole object, as `send` does.
  const [only] = ranges;
  return ranges.length === 1 ? { start: only.start, end: only.end } : null;
}

export async function sendStoredMedia(
  req: Request,
  res: Response,
  o: {
    store: MediaStore;
    key: string;
    type: string;
    cacheControl: string;
    /** The message (translation key) of the 503 when the store cannot be reached. */
    unavailableKey: string;
    logger: Logger;
  },
): Promise<void> {
  const unavailable = () => new HttpError(503, o.unavailableKey);
  const stat = await o.store.head(o.key).catch((error: unknown) => {
    throw error instanceof MediaStoreError ? unavailable() : error;
  });
  if (!stat) throw notFound('videos:errors.notFound');
  const etag = etagOf(stat);
  const lastModified = stat.lastModified.toUTCString();
  res.set({
    'Accept-Ranges': 'bytes',
    'Content-Type': o.type,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': o.cacheControl,
    ETag: etag,
    'Last-Modified': lastModified,
  });
  if (preconditionFailed(req, etag, stat.lastModified)) {
    res.status(412).end();
    return;
  }
  if (req.fresh) {
    res.removeHeader('Content-Type');
    res.status(304).end();
    return;
  }
  const range = requestedRange(req, stat.size, rangeFresh(req, etag, lastModified));
  if (range === 'unsatisfiable') {
    res
      .status(416)
      .set({ 'Content-Range': `bytes */${stat.size}`, 'Cache-Control': 'private, no-cache' })
      .removeHeader('Content-Type');
    res.end();
    return;
  }
  if (range) res.status(206).set('Content-Range', `bytes ${range.start}-${range.end}/${stat.size}`);
  res.set('Content-Length', String(range ? range.end - range.start + 1 : stat.size));
  if (req.method === 'HEAD' || stat.size === 0) {
    res.end();
    return;
  }
  const body = await o.store.read(o.key, range ?? undefined).catch((error: unknown) => {
    res.removeHeader('Content-Range');
    res.status(200);
    throw error instanceof MediaStoreError ? unavailable() : error;
  });
  pipeline(body, res, (error) => {
    // A viewer who seeks or closes the page ends the response early: normal, not worth a warning.
    if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE')
      o.logger.warn(`media stream ended early: ${error.message}`, { key: o.key });
  });
}
