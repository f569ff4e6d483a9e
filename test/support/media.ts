/** Small real media for the video tests, made by the same ffmpeg the app uses. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mediaTools, run } from '../../server/videos/ffmpeg';

export const tools = mediaTools({
  ffmpegPath: process.env.FFMPEG_PATH,
  ffprobePath: process.env.FFPROBE_PATH,
});

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `hms-${prefix}-`));
}

/**
 * A test-pattern clip with a tone, H.264 + AAC in MP4 written the default way (index at the end, as
 * cameras and phones often do), so a test can see the web version move it to the front.
 */
export async function makeClip(
  file: string,
  o: { seconds?: number; width?: number; height?: number; audio?: boolean } = {},
): Promise<string> {
  const seconds = o.seconds ?? 2;
  const size = `${o.width ?? 320}x${o.height ?? 240}`;
  await run(tools.ffmpeg, [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${size}:rate=25:duration=${seconds}`,
    ...(o.audio === false
      ? []
      : ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`]),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    ...(o.audio === false ? [] : ['-c:a', 'aac', '-b:a', '64k']),
    '-shortest',
    '-f',
    'mp4',
    file,
  ]);
  return file;
}

/** Copies an imported course folder so a test can point a lesson at a film. */
export function coursesWithFilm(source: string, lessonId: string, videoSlug: string): string {
  const dir = tempDir('courses');
  fs.cpSync(source, dir, { recursive: true });
  for (const course of fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const file = path.join(dir, course.name, 'course.yaml');
    const yaml = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      file,
      yaml.replace(new RegExp(`(\\n  - id: ${lessonId}\\n)`), `$1    video: ${videoSlug}\n`),
    );
  }
  return dir;
}

/** Waits until `check` returns a value (polling the real database or files), failing after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  ms = 60_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
