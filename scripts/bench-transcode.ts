/**
 * `npm run bench:transcode`: how fast the pipeline's transcode runs, as a multiple of real time, for a
 * 60-second 1080p clip (ffmpeg's moving test pattern and a tone, H.264 + AAC as a phone or
 * camera delivers it). Runs exactly the job's encoder settings (H.264 veryfast CRF 23 to 720p, AAC,
 * +faststart) and the poster, and prints the figures. `--seconds N` changes the clip length.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config';
import {
  makePoster,
  mediaTools,
  mp4TopLevelBoxes,
  probe,
  run,
  transcodeToWeb,
  webSize,
} from '../server/videos/ffmpeg';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--seconds');
  const seconds = i > 0 ? Number(process.argv[i + 1]) : 60;
  const tools = mediaTools(loadConfig());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-bench-'));
  try {
    const input = path.join(dir, 'input-1080p.mp4');
    console.log(`Making a ${seconds} s 1920×1080 25 fps clip …`);
    await run(tools.ffmpeg, [
      '-hide_banner',
      '-nostdin',
      '-y',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=1920x1080:rate=25:duration=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=330:sample_rate=48000:duration=${seconds}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '18',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '192k',
      '-shortest',
      input,
    ]);
    const info = await probe(tools, input);
    const size = webSize(info.video!.width, info.video!.height, info.video!.rotation);
    const output = path.join(dir, 'web.mp4');
    const started = process.hrtime.bigint();
    await transcodeToWeb(tools, input, output, {
      ...size,
      durationMs: info.durationMs,
      hasAudio: info.hasAudio,
    });
    const encoded = process.hrtime.bigint();
    await makePoster(tools, output, path.join(dir, 'poster.jpg'), info.durationMs);
    const done = process.hrtime.bigint();
    const encodeS = Number(encoded - started) / 1e9;
    const totalS = Number(done - started) / 1e9;
    const boxes = await mp4TopLevelBoxes(output);
    console.log(
      `input:   ${(info.durationMs / 1000).toFixed(1)} s, ${info.video!.width}×${info.video!.height}, ${(fs.statSync(input).size / 1048576).toFixed(1)} MB`,
    );
    console.log(
      `output:  ${size.width}×${size.height} H.264 + AAC, ${(fs.statSync(output).size / 1048576).toFixed(1)} MB, boxes ${boxes.join(' ')}`,
    );
    console.log(`cores:   ${os.cpus().length} (${os.cpus()[0]?.model ?? 'unknown'})`);
    console.log(
      `encode:  ${encodeS.toFixed(1)} s → ${(info.durationMs / 1000 / encodeS).toFixed(2)}× real time`,
    );
    console.log(
      `+poster: ${totalS.toFixed(1)} s → ${(info.durationMs / 1000 / totalS).toFixed(2)}× real time (the whole job)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
