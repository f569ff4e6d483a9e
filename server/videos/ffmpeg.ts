/**
 * ffmpeg and ffprobe: the npm-shipped binaries unless FFMPEG_PATH / FFPROBE_PATH say otherwise, always
 * started with an argument list (never a shell), so no file name or text can become a command. The
 * transcode and the poster go through fluent-ffmpeg (the design card's ffmpeg wrapper); the quick
 * content checks and the MP4 box reader use a plain spawn.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import Ffmpeg from 'fluent-ffmpeg';

export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

/** The binaries to run: the configured paths, else the ones the npm installer packages ship. */
export function mediaTools(config: { ffmpegPath?: string; ffprobePath?: string }): MediaTools {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const ffmpeg = config.ffmpegPath ?? (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  const ffprobe = config.ffprobePath ?? (require('@ffprobe-installer/ffprobe') as { path: string }).path;
  return { ffmpeg, ffprobe };
}

export class MediaToolError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

/** Runs a binary with arguments; resolves with stdout, rejects with the tail of stderr. Aborting kills it. */
export function run(
  binary: string,
  args: string[],
  options: { signal?: AbortSignal; onStdout?: (chunk: string) => void; maxOutput?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let stdout = '';
    let stderr = '';
    const max = options.maxOutput ?? 1_000_000;
    const onAbort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (options.onStdout) options.onStdout(chunk);
      else if (stdout.length < max) stdout += chunk;
    });
    // Keep only the end of stderr: that is where ffmpeg says what went wrong.
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(new MediaToolError(`${binary} could not start: ${error.message}`, '', null));
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) reject(new MediaToolError('aborted', stderr, code));
      else if (code === 0) resolve(stdout);
      else reject(new MediaToolError(`${binary} exited with ${code}`, stderr, code));
    });
  });
}

export interface ProbeResult {
  formatName: string;
  durationMs: number;
  video: { codec: string; width: number; height: number; rotation: number } | null;
  hasAudio: boolean;
}

interface FfprobeJson {
  format?: { format_name?: string; duration?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    duration?: string;
    disposition?: { attached_pic?: number };
    tags?: { rotate?: string };
    side_data_list?: { rotation?: number }[];
  }[];
}

/** What ffprobe reads from the file's content; rejects when ffprobe cannot read it at all. */
export async function probe(tools: MediaTools, file: string): Promise<ProbeResult> {
  const out = await run(tools.ffprobe, [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    '--',
    file,
  ]);
  const json = JSON.parse(out) as FfprobeJson;
  const streams = json.streams ?? [];
  const v = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const rotation = Number(
    v?.tags?.rotate ?? v?.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0,
  );
  const duration = Number(json.format?.duration ?? v?.duration ?? 0);
  return {
    formatName: json.format?.format_name ?? '',
    durationMs: Number.isFinite(duration) ? Math.round(duration * 1000) : 0,
    video: v
      ? {
          codec: v.codec_name ?? '',
          width: v.width ?? 0,
          height: v.height ?? 0,
          rotation: ((rotation % 360) + 360) % 360,
        }
      : null,
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
  };
}

// Still-image "formats" ffprobe reports as video with one frame: a picture is not a film.
const IMAGE_FORMATS = /^(image2|png_pipe|jpeg_pipe|bmp_pipe|gif|webp_pipe|tiff_pipe|svg_pipe|apng)/;

export type VideoCheck =
  { ok: true; probe: ProbeResult } | { ok: false; reason: 'unreadable' | 'noVideo' | 'notPlayable' };

/**
 * Checks by content that a file is a playable film: ffprobe must find a video stream with a duration in
 * a container that is not a still image, and ffmpeg must decode its first frames without error.
 */
export async function checkVideo(tools: MediaTools, file: string): Promise<VideoCheck> {
  let result: ProbeResult;
  try {
    result = await probe(tools, file);
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  if (!result.video || !result.video.width || !result.video.height || IMAGE_FORMATS.test(result.formatName))
    return { ok: false, reason: 'noVideo' };
  if (result.durationMs <= 0) return { ok: false, reason: 'notPlayable' };
  try {
    await run(tools.ffmpeg, [
      '-v',
      'error',
      '-xerror',
      '-nostdin',
      '-i',
      file,
      '-map',
      '0:v:0',
      '-frames:v',
      '5',
      '-f',
      'null',
      '-',
    ]);
  } catch {
    return { ok: false, reason: 'notPlayable' };
  }
  return { ok: true, probe: result };
}

/** The size of the web version: fits 1280×720 (or 720×1280 upright), never enlarged, even numbers for H.264. */
export function webSize(width: number, height: number, rotation = 0): { width: number; height: number } {
  const [w, h] = rotation === 90 || rotation === 270 ? [height, width] : [width, height];
  const [maxW, maxH] = w >= h ? [1280, 720] : [720, 1280];
  const scale = Math.min(1, maxW / w, maxH / h);
  const even = (n: number) => Math.max(2, Math.round((n * scale) / 2) * 2);
  return { width: even(w), height: even(h) };
}

/** An ffmpeg command through fluent-ffmpeg (the design card's wrapper), on the configured binaries. */
function command(tools: MediaTools, input: string): Ffmpeg.FfmpegCommand {
  return Ffmpeg(input).setFfmpegPath(tools.ffmpeg).setFfprobePath(tools.ffprobe);
}

/** "00:01:02.50" → 62.5 seconds. */
export function timemarkSeconds(timemark: string): number {
  const parts = timemark.split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + (Number.isFinite(part) ? part : 0), 0);
}

/**
 * Runs a fluent-ffmpeg command to `output`. fluent-ffmpeg spawns ffmpeg with an argument list (never
 * a shell); aborting the signal kills it, and a failure keeps the end of ffmpeg's stderr as the reason.
 */
function save(cmd: Ffmpeg.FfmpegCommand, output: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new MediaToolError('aborted', '', null));
      return;
    }
    const onAbort = () => cmd.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    cmd
      .on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
        signal?.removeEventListener('abort', onAbort);
        reject(
          new MediaToolError(
            signal?.aborted ? 'aborted' : `ffmpeg failed: ${error.message}`,
            (stderr ?? '').slice(-8000),
            null,
          ),
        );
      })
      .on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      })
      .save(output);
  });
}

/**
 * Encodes the web version: H.264 (High, yuv420p) + AAC stereo in MP4 with the index at the front
 * (`+faststart`), at most 720p. Reports progress 0–1 from ffmpeg's time mark.
 */
export async function transcodeToWeb(
  tools: MediaTools,
  input: string,
  output: string,
  o: {
    width: number;
    height: number;
    durationMs: number;
    hasAudio: boolean;
    signal?: AbortSignal;
    onProgress?: (fraction: number) => void;
    preset?: string;
  },
): Promise<void> {
  const cmd = command(tools, input)
    .inputOptions(['-nostdin', '-hide_banner'])
    .outputOptions([
      '-map',
      '0:v:0',
      ...(o.hasAudio ? ['-map', '0:a:0'] : []),
      '-vf',
      `scale=${o.width}:${o.height}:flags=bicubic,setsar=1,format=yuv420p`,
      '-c:v',
      'libx264',
      '-preset',
      o.preset ?? 'veryfast',
      '-crf',
      '23',
      '-profile:v',
      'high',
      '-level:v',
      '4.0',
      '-maxrate',
      '3M',
      '-bufsize',
      '6M',
      ...(o.hasAudio ? ['-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-ar', '48000'] : ['-an']),
      '-movflags',
      '+faststart',
      '-map_metadata',
      '-1',
      '-f',
      'mp4',
    ]);
  if (o.onProgress && o.durationMs > 0) {
    const report = o.onProgress;
    cmd.on('progress', (p: { timemark?: string }) => {
      if (p.timemark) report(Math.min(1, (timemarkSeconds(p.timemark) * 1000) / o.durationMs));
    });
  }
  await save(cmd, output, o.signal);
}

/** A JPEG poster from the web version, taken a little into the film (not the often black first frame). */
export async function makePoster(
  tools: MediaTools,
  webFile: string,
  output: string,
  durationMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const at = Math.min(1.5, durationMs / 1000 / 3).toFixed(3);
  const cmd = command(tools, webFile)
    .inputOptions(['-nostdin', '-hide_banner', '-ss', at])
    .outputOptions(['-frames:v', '1', '-q:v', '3', '-c:v', 'mjpeg', '-f', 'image2']);
  await save(cmd, output, signal);
}

/** The top-level boxes of an MP4 in file order (e.g. ftyp, moov, mdat), read from its first bytes and box sizes. */
export async function mp4TopLevelBoxes(file: string): Promise<string[]> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const boxes: string[] = [];
    let offset = 0;
    const header = Buffer.alloc(16);
    while (offset + 8 <= size && boxes.length < 64) {
      await handle.read(header, 0, 16, offset);
      let boxSize = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      else if (boxSize === 0) boxSize = size - offset;
      if (boxSize < 8) break;
      boxes.push(type);
      offset += boxSize;
    }
    return boxes;
  } finally {
    await handle.close();
  }
}
