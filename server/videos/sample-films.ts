/**
 * Placeholder films for the shipped courses, until HMC records its own: title cards drawn by ffmpeg
 * from the course's key points in easy Swedish, read aloud by a Swedish speech synthesiser (so
 * everything shown is also heard, WCAG 1.2.5). A film has one sound track, so it says one thing: the
 * easy text. Both caption tracks (standard and easy) transcribe exactly what is said, and the film
 * says so on screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CourseContent } from '../courses/types';
import { formatTimestamp } from './captions-format';
import { run, type MediaTools } from './ffmpeg';

export const sampleSlug = (courseSlug: string) => `${courseSlug}-exempelfilm`;
export const SAMPLE_BANNER = 'EXEMPELFILM – ersätts av HMC:s egen inspelning';
export const SAMPLE_FOOTER = 'Tal och textning på lätt svenska';

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
  '/usr/share/fonts/truetype/freefont/FreeSansBold.ttf',
];

/** A TrueType font for the title cards: SAMPLE_FONT, else one of Debian's usual fonts. */
export function findFont(env = process.env): string {
  const font = [env.SAMPLE_FONT, ...FONT_CANDIDATES].find((f): f is string => !!f && fs.existsSync(f));
  if (!font)
    throw new Error(
      "No TrueType font found for the title cards. Install Debian's fonts-dejavu-core or set SAMPLE_FONT to a .ttf file.",
    );
  return font;
}

export interface Card {
  /** What the narrator says: the easy text. Both caption tracks are exactly this. */
  spoken: string;
  /** The lines the card shows. */
  shown: string[];
  title?: boolean;
}

/** The cards of a course's sample film: a title card, then one card per key point, all in easy Swedish. */
export function cardsFor(course: CourseContent): Card[] {
  const intro: Card = {
    title: true,
    spoken: `Exempelfilm. ${course.title.easy}. Filmen byts ut senare.`,
    shown: [course.title.easy, '', 'Exempelfilm'],
  };
  return [intro, ...course.keyPoints.easy.map((spoken) => ({ spoken, shown: wrap(spoken, 34) }))];
}

/** Words wrapped into lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Caption cues for a text spoken from `startMs` for `durationMs`: two short lines each, timed by length. */
export function cuesForSpeech(
  text: string,
  startMs: number,
  durationMs: number,
): { startMs: number; endMs: number; text: string }[] {
  const lines = wrap(text, 42);
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 2) chunks.push(lines.slice(i, i + 2).join('\n'));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  let at = startMs;
  return chunks.map((c, i) => {
    const end =
      i === chunks.length - 1 ? startMs + durationMs : Math.round(at + (durationMs * c.length) / total);
    const cue = { startMs: Math.round(at), endMs: Math.max(end, Math.round(at) + 500), text: c };
    at = cue.endMs;
    return cue;
  });
}

export function cuesToVtt(cues: { startMs: number; endMs: number; text: string }[]): string {
  return `WEBVTT\n\n${cues.map((c) => `${formatTimestamp(c.startMs)} --> ${formatTimestamp(c.endMs)}\n${c.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}`).join('\n\n')}\n`;
}

/**
 * Captions for the cards as spoken, each card from its start for its speech length (then a pause):
 * the standard and the easy track are the same, because they transcribe the one thing that is said.
 */
export function captionsFor(
  cards: Card[],
  speechMs: number[],
  pauseMs: number,
): { standard: string; easy: string } {
  let at = 0;
  const cues = cards.flatMap((card, i) => {
    const spoken = cuesForSpeech(card.spoken, at, speechMs[i]);
    at += speechMs[i] + pauseMs;
    return spoken;
  });
  const vtt = cuesToVtt(cues);
  return { standard: vtt, easy: vtt };
}

type Speak = (text: string) => Buffer;

let speaker: Speak | null = null;

/** Swedish speech as a WAV file, from meSpeak (eSpeak compiled to JavaScript; no binaries, no network). */
export function swedishSpeaker(): Speak {
  // meSpeak keeps its voice data in one global in-memory file system: load it once per process.
  if (speaker) return speaker;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const meSpeak = require('mespeak') as {
    loadConfig(c: unknown): void;
    loadVoice(v: unknown): void;
    speak(t: string, o: object): ArrayBuffer | null;
  };
  meSpeak.loadConfig(require('mespeak/src/mespeak_config.json'));
  meSpeak.loadVoice(require('mespeak/voices/sv.json'));
  speaker = (text) => {
    // eSpeak reads a dash as an English word; a comma gives the same pause.
    const wav = meSpeak.speak(text.replace(/\s[–—-]\s/g, ', '), { rawdata: 'buffer', speed: 150, pitch: 45 });
    if (!wav) throw new Error('speech synthesis gave no sound');
    return Buffer.from(wav);
  };
  return speaker;
}

/** The length of a PCM WAV file in milliseconds, from its header. */
export function wavDurationMs(wav: Buffer): number {
  const byteRate = wav.readUInt32LE(28);
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('latin1', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'data') return Math.round((Math.min(size, wav.length - offset - 8) / byteRate) * 1000);
    offset += 8 + size;
  }
  throw new Error('no data chunk in WAV');
}

/**
 * Renders a course's sample film (1280×720, narrated title cards with a placeholder banner) and its
 * captions; returns the film file and both WebVTT texts.
 */
export async function renderSampleFilm(
  tools: MediaTools,
  course: CourseContent,
  workDir: string,
  o: { font: string; speak?: Speak },
): Promise<{ film: string; vtt: { standard: string; easy: string } }> {
  const speak = o.speak ?? swedishSpeaker();
  /** ffmpeg quietly, overwriting, with the first input of the given format (`-f`). */
  const ffmpeg = (inputFormat: string, ...args: string[]) =>
    run(tools.ffmpeg, ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-f', inputFormat, ...args]);
  fs.mkdirSync(workDir, { recursive: true });
  const banner = path.join(workDir, 'banner.txt');
  fs.writeFileSync(banner, SAMPLE_BANNER);
  const footer = path.join(workDir, 'footer.txt');
  fs.writeFileSync(footer, SAMPLE_FOOTER);
  const segments: string[] = [];
  const cards = cardsFor(course);
  const speechMs: number[] = [];
  const pauseMs = 900;
  for (const [i, card] of cards.entries()) {
    const wavFile = path.join(workDir, `card-${i}.wav`);
    const wav = speak(card.spoken);
    fs.writeFileSync(wavFile, wav);
    speechMs.push(wavDurationMs(wav));
    const cardMs = speechMs[i] + pauseMs;
    const textFile = path.join(workDir, `card-${i}.txt`);
    fs.writeFileSync(textFile, card.shown.join('\n'));
    const seconds = (cardMs / 1000).toFixed(3);
    const segment = path.join(workDir, `segment-${i}.mp4`);
    // drawtext reads the text from files: nothing typed in a course can change the filter graph.
    const filter = [
      `[0:v]drawtext=fontfile=${o.font}:textfile=${textFile}:fontcolor=white:fontsize=${card.title ? 58 : 46}:line_spacing=18:x=(w-text_w)/2:y=(h-text_h)/2`,
      `drawtext=fontfile=${o.font}:textfile=${banner}:fontcolor=0xffbf47:fontsize=28:x=(w-text_w)/2:y=36`,
      `drawtext=fontfile=${o.font}:textfile=${footer}:fontcolor=0xffbf47:fontsize=24:x=(w-text_w)/2:y=h-60[v]`,
      `[1:a]aresample=48000,apad,atrim=0:${seconds}[a]`,
    ].join(',');
    await ffmpeg(
      'lavfi',
      '-i',
      `color=c=0x005a8c:s=1280x720:r=25:d=${seconds}`,
      '-i',
      wavFile,
      '-filter_complex',
      filter.replace(',[1:a]', ';[1:a]'),
      '-map',
      '[v]',
      '-map',
      '[a]',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-ac',
      '2',
      '-t',
      seconds,
      '-f',
      'mp4',
      segment,
    );
    segments.push(segment);
  }
  const list = path.join(workDir, 'segments.txt');
  fs.writeFileSync(list, segments.map((s) => `file '${s.replace(/'/g, "'\\''")}'`).join('\n'));
  const film = path.join(workDir, `${sampleSlug(course.slug)}.mp4`);
  await ffmpeg('concat', '-safe', '0', '-i', list, '-c', 'copy', '-f', 'mp4', film);
  return { film, vtt: captionsFor(cards, speechMs, pauseMs) };
}
