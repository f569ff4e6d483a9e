/**
 * Caption files in and out: WebVTT and SRT parsed into cues with errors that name the line, WebVTT
 * written from cues, and the plain-text transcript. Pure functions, no I/O.
 */

export interface ParsedCue {
  startMs: number;
  endMs: number;
  /** WebVTT cue payload (inline tags kept, `&` and stray `<` escaped). */
  text: string;
}

/** A problem in a caption file: a translation key under `videos:captions.errors`, with the 1-based line. */
export interface CaptionProblem {
  line: number;
  key:
    | 'notText'
    | 'empty'
    | 'unknownFormat'
    | 'badTimestamp'
    | 'badTiming'
    | 'endBeforeStart'
    | 'outOfOrder'
    | 'emptyCue'
    | 'missingTiming'
    | 'tooLong'
    | 'headerNotSeparated';
  value?: string;
}

export type CaptionParseResult =
  { ok: true; format: 'vtt' | 'srt'; cues: ParsedCue[] } | { ok: false; problems: CaptionProblem[] };

export const MAX_CUE_TEXT = 500;
const MAX_PROBLEMS = 5;

const VTT_TIME = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
const SRT_TIME = /^(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{3})$/;
const TIMING = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+.*)?$/;

function toMs(match: RegExpExecArray): number {
  const [, , m, s, ms] = match;
  // An optional group that did not match is undefined (the hours of a short WebVTT time).
  const h = match.at(1);
  return ((Number(h ?? 0) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms);
}

/** A time as WebVTT writes it: hh:mm:ss.ttt. */
export function formatTimestamp(ms: number): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** A time typed by a person in the cue editor: hh:mm:ss.ttt, mm:ss.ttt or mm:ss (comma allowed); null if malformed. */
export function parseEditorTime(value: string): number | null {
  const m = /^(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)(?:[.,](\d{1,3}))?$/.exec(value.trim());
  if (!m) return null;
  const [, , min, s] = m;
  // Hours and fractions are optional: undefined when not typed.
  const [h, frac] = [m.at(1), m.at(4)];
  return ((Number(h ?? 0) * 60 + Number(min)) * 60 + Number(s)) * 1000 + Number((frac ?? '0').padEnd(3, '0'));
}

const ENTITY = /&(?!(?:amp|lt|gt|nbsp|lrm|rlm|#\d+|#x[0-9a-fA-F]+);)/g;
const TAG = /<(?!\/?(?:c|i|b|u|v|lang|ruby|rt)(?:[.\s>]|$)|\d)/g;

/** Cue text made safe for a WebVTT payload: no blank lines, no `-->`, bare `&` and `<` escaped. */
export function normaliseCueText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n')
    .replace(/-->/g, '→')
    .replace(ENTITY, '&amp;')
    .replace(TAG, '&lt;');
}

/** Parses a caption file (WebVTT or SRT, told apart by content) into cues. */
export function parseCaptions(bytes: Buffer): CaptionParseResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problems: [{ line: 1, key: 'notText' }] };
  }
  if (text.includes('\u0000')) return { ok: false, problems: [{ line: 1, key: 'notText' }] };
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return { ok: false, problems: [{ line: 1, key: 'empty' }] };
  if (/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) return parseBlocks(lines, 'vtt');
  if (/^\d+\s*$/.test(lines[first]) || lines[first].includes('-->')) return parseBlocks(lines, 'srt');
  return { ok: false, problems: [{ line: first + 1, key: 'unknownFormat' }] };
}

function parseBlocks(lines: string[], format: 'vtt' | 'srt'): CaptionParseResult {
  const problems: CaptionProblem[] = [];
  const cues: ParsedCue[] = [];
  const timeRe = format === 'vtt' ? VTT_TIME : SRT_TIME;
  let i = 0;
  if (format === 'vtt') {
    // The header block runs to the first blank line; a cue timing inside it means the blank line is missing.
    i = 1;
    while (i < lines.length && lines[i].trim() !== '') {
      if (lines[i].includes('-->')) problems.push({ line: i + 1, key: 'headerNotSeparated' });
      i++;
    }
  }
  let lastStart = -1;
  while (i < lines.length && problems.length < MAX_PROBLEMS) {
    if (lines[i].trim() === '') {
      i++;
      continue;
    }
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && lines[i].trim() !== '') block.push(lines[i++]);
    const head = block[0];
    if (format === 'vtt' && /^(NOTE|STYLE|REGION)(?:[ \t]|$)/.test(head)) continue;
    // An optional identifier (WebVTT) or the cue number (SRT) comes before the timing line.
    const timingIndex = head.includes('-->') ? 0 : 1;
    const timingLine = block.at(timingIndex);
    const lineNo = blockStart + timingIndex + 1;
    if (timingLine === undefined || !timingLine.includes('-->')) {
      // A line that starts like a time but has no proper arrow is a broken timing line, not an identifier.
      if (/^\s*\d{1,2}:\d{2}/.test(head)) {
        problems.push({ line: blockStart + 1, key: 'badTiming', value: head.trim().slice(0, 60) });
        continue;
      }
      problems.push({
        line: Math.min(lineNo, blockStart + block.length),
        key: 'missingTiming',
        value: head.slice(0, 60),
      });
      continue;
    }
    const timing = TIMING.exec(timingLine.trim());
    if (!timing) {
      problems.push({ line: lineNo, key: 'badTiming', value: timingLine.trim().slice(0, 60) });
      continue;
    }
    const start = timeRe.exec(timing[1]);
    const end = timeRe.exec(timing[2]);
    if (!start || !end) {
      problems.push({
        line: lineNo,
        key: 'badTimestamp',
        value: (!start ? timing[1] : timing[2]).slice(0, 30),
      });
      continue;
    }
    const startMs = toMs(start);
    const endMs = toMs(end);
    if (endMs <= startMs) {
      problems.push({ line: lineNo, key: 'endBeforeStart', value: timingLine.trim().slice(0, 60) });
      continue;
    }
    if (startMs < lastStart) {
      problems.push({ line: lineNo, key: 'outOfOrder', value: timing[1] });
      continue;
    }
    lastStart = startMs;
    let payload = block.slice(timingIndex + 1).join('\n');
    if (format === 'srt') payload = payload.replace(/<\/?font[^>]*>/gi, '').replace(/\{\\[^}]*\}/g, '');
    const cueText = normaliseCueText(payload);
    if (cueText === '') {
      problems.push({ line: lineNo, key: 'emptyCue' });
      continue;
    }
    if (cueText.length > MAX_CUE_TEXT) {
      problems.push({ line: lineNo + 1, key: 'tooLong' });
      continue;
    }
    cues.push({ startMs, endMs, text: cueText });
  }
  if (problems.length) return { ok: false, problems };
  if (!cues.length) return { ok: false, problems: [{ line: 1, key: 'empty' }] };
  return { ok: true, format, cues };
}

/** A WebVTT file from cues (ordered by start). */
export function toWebVtt(cues: Pick<ParsedCue, 'startMs' | 'endMs' | 'text'>[]): string {
  const body = cues
    .map((c, n) => `${n + 1}\n${formatTimestamp(c.startMs)} --> ${formatTimestamp(c.endMs)}\n${c.text}`)
    .join('\n\n');
  return `WEBVTT\n\n${body}\n`;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
  lrm: '\u200e',
  rlm: '\u200f',
};

/** A cue's words as plain text: a speaker tag becomes "Name: ", other tags go, entities are decoded. */
export function cuePlainText(text: string): string {
  return text
    .replace(/<v(?:\.[^\s>]*)?\s+([^>]+)>/g, '$1: ')
    .replace(/<[^>]*>/g, '')
    .replace(
      /&(amp|lt|gt|nbsp|lrm|rlm);|&#(\d+);|&#x([0-9a-fA-F]+);/g,
      (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) =>
        name ? ENTITIES[name] : String.fromCodePoint(dec ? Number(dec) : parseInt(hex ?? '', 16)),
    )
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/** The downloadable transcript: the title, then one line per cue with its start time. */
export function transcriptText(title: string, cues: Pick<ParsedCue, 'startMs' | 'text'>[]): string {
  const lines = cues.map(
    (c) => `[${formatTimestamp(c.startMs).replace(/\.\d{3}$/, '')}] ${cuePlainText(c.text)}`,
  );
  return `${title}\n\n${lines.join('\n')}\n`;
}

/** The first cue that shares time with [startMs, endMs) (touching ends are fine), or null. */
export function overlappingCue<C extends Pick<ParsedCue, 'startMs' | 'endMs'>>(
  cues: C[],
  startMs: number,
  endMs: number,
): C | null {
  return cues.find((c) => c.startMs < endMs && startMs < c.endMs) ?? null;
}
