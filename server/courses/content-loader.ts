/**
 * Reads course folders (docs/course-format.md) into CourseContent, collecting every problem with the
 * file and line it is on, so an author can fix them all in one go.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { looksLikeImage } from './image-content';
import type { z } from 'zod';
import {
  courseFileSchema,
  frontMatterSchema,
  quizFileSchema,
  tracksFileSchema,
  type TracksFile,
} from './content-schema';
import { applyRegion, readRegion, unknownReferences, type RegionFacts } from './region';
import type {
  AssetRef,
  ContentProblem,
  CourseContent,
  JobRoleTrack,
  LessonContent,
  QuestionContent,
  Texts,
  Variant,
} from './types';
import { VARIANTS } from './types';
import { unsafeSvg } from './svg-safety';

export interface LoadedAsset extends AssetRef {
  bytes: Buffer;
}

export interface LoadedCourse {
  content: CourseContent;
  assets: LoadedAsset[];
}

export type LoadResult<T> = { ok: true; value: T; problems: [] } | { ok: false; problems: ContentProblem[] };

const IMAGE_TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};
const TRUE_FALSE: Record<'true' | 'false', Texts> = {
  true: { standard: 'Sant', easy: 'Det stämmer' },
  false: { standard: 'Falskt', easy: 'Det stämmer inte' },
};

class Problems {
  readonly list: ContentProblem[] = [];
  constructor(private readonly root: string) {}
  add(file: string, line: number | null, message: string): void {
    this.list.push({ file: path.relative(this.root, file) || file, line, message });
  }
}

/** Parses a YAML file against a schema, reporting syntax and schema errors with their lines. */
function readYaml<S extends z.ZodType>(
  file: string,
  schema: S,
  problems: Problems,
  text?: string,
  lineOffset = 0,
): z.output<S> | null {
  let source: string;
  try {
    source = text ?? fs.readFileSync(file, 'utf8');
  } catch {
    problems.add(file, null, 'Filen saknas');
    return null;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      problems.add(
        file,
        lineCounter.linePos(e.pos[0]).line + lineOffset,
        `Felaktig YAML: ${e.message.split('\n')[0]}`,
      );
    return null;
  }
  let value: unknown;
  try {
    // A few aliases are fine; thousands (a "billion laughs" file) would expand to gigabytes.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    problems.add(
      file,
      null,
      'Filen har för många alias (*namn) och läses inte. Skriv ut innehållet i stället för att hänvisa till det.',
    );
    return null;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const keys = issue.path.map((k) => (typeof k === 'number' ? k : String(k)));
    // Point at the deepest node that exists on the path.
    let line: number | null = null;
    for (let n = keys.length; n >= 0 && line === null; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | null)?.range;
      if (range) line = lineCounter.linePos(range[0]).line + lineOffset;
    }
    const where = keys.length ? `${keys.join('.')}: ` : '';
    problems.add(file, line, `${where}${issue.message}`);
  }
  return null;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Reads one lesson file: front matter with title and minutes, and a Markdown body. */
function readLessonFile(
  file: string,
  problems: Problems,
  images: Set<string>,
): { title: string; minutes: number; body: string } | null {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  } catch {
    problems.add(file, null, 'Lektionsfilen saknas');
    return null;
  }
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(source);
  if (!match) {
    problems.add(file, 1, 'Lektionen måste börja med ---, title: och minutes: och sedan ---');
    return null;
  }
  const front = readYaml(file, frontMatterSchema, problems, match[1], 1);
  const body = source.slice(match[0].length);
  const bodyStart = match[0].split('\n').length - 1;
  if (body.trim().length === 0) problems.add(file, bodyStart + 1, 'Lektionstexten saknas');
  const html = /<\/?[a-zA-Z][^>]*>/.exec(body);
  if (html)
    problems.add(
      file,
      bodyStart + lineOf(body, html.index),
      `HTML är inte tillåtet i lektionstext: ${html[0]}`,
    );
  for (const m of body.matchAll(/!\[([^\]]*)\]\(([^)\s]*)\)/g)) {
    const line = bodyStart + lineOf(body, m.index);
    if (m[1].trim().length === 0) problems.add(file, line, 'Bilden saknar alt-text');
    if (!images.has(m[2])) problems.add(file, line, `Bilden ${m[2]} finns inte i kursens images/-mapp`);
  }
  return front ? { title: front.title, minutes: front.minutes, body } : null;
}

function readImages(dir: string, problems: Problems): Map<string, LoadedAsset> {
  const result = new Map<string, LoadedAsset>();
  const imagesDir = path.join(dir, 'images');
  if (!fs.existsSync(imagesDir)) return result;
  for (const name of fs.readdirSync(imagesDir).sort()) {
    const file = path.join(imagesDir, name);
    const contentType = IMAGE_TYPES[path.extname(name).toLowerCase()];
    if (!contentType) {
      problems.add(file, null, 'Okänd bildtyp; använd .svg, .png, .jpg eller .webp');
      continue;
    }
    const bytes = fs.readFileSync(file);
    if (!looksLikeImage(contentType, bytes)) {
      problems.add(
        file,
        null,
        `Filen är inte en bild av den typ som namnet säger (${path.extname(name).toLowerCase()})`,
      );
      continue;
    }
    if (contentType === 'image/svg+xml') {
      const problem = unsafeSvg(bytes.toString('utf8'));
      if (problem) problems.add(file, null, problem);
    }
    result.set(`images/${name}`, {
      sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
      contentType,
      bytes,
    });
  }
  return result;
}

function normaliseQuestions(
  file: string,
  quiz: NonNullable<ReturnType<typeof readQuiz>>,
  lessonIds: Set<string>,
  problems: Problems,
): QuestionContent[] {
  const seen = new Set<string>();
  return quiz.questions.map((q, index) => {
    const where = `questions.${index} (${q.id})`;
    if (seen.has(q.id)) problems.add(file, null, `${where}: fråge-id:t finns redan`);
    seen.add(q.id);
    if (q.lesson && !lessonIds.has(q.lesson))
      problems.add(file, null, `${where}: lektionen ${q.lesson} finns inte i course.yaml`);
    let options = (q.options ?? []).map((o) => ({ id: o.id, text: o.text, correct: o.correct }));
    if (q.type === 'truefalse') {
      if (q.answer === undefined)
        problems.add(file, null, `${where}: en sant/falskt-fråga behöver answer: true eller false`);
      if (q.options) problems.add(file, null, `${where}: en sant/falskt-fråga har answer:, inte options:`);
      options = (['true', 'false'] as const).map((id) => ({
        id,
        text: TRUE_FALSE[id],
        correct: String(q.answer) === id,
      }));
    } else {
      if (!q.options) problems.add(file, null, `${where}: frågan behöver options:`);
      if (q.answer !== undefined)
        problems.add(file, null, `${where}: answer: hör bara till sant/falskt-frågor`);
      const correct = options.filter((o) => o.correct).length;
      if (q.type === 'single' && q.options && correct !== 1)
        problems.add(file, null, `${where}: en single-fråga ska ha exakt ett rätt svar (har ${correct})`);
      if (q.type === 'multiple' && q.options && correct < 1)
        problems.add(file, null, `${where}: en multiple-fråga ska ha minst ett rätt svar`);
      if (new Set(options.map((o) => o.id)).size !== options.length)
        problems.add(file, null, `${where}: svarsalternativens id:n måste vara unika`);
    }
    return {
      id: q.id,
      lesson: q.lesson ?? null,
      type: q.type,
      text: q.text,
      options,
      explanation: q.explanation,
      ...(q.critical ? { critical: true } : {}),
    };
  });
}

function readQuiz(file: string, problems: Problems) {
  return readYaml(file, quizFileSchema, problems);
}

/** Reports every `{{region:…}}` in the file that names no fact of the region, with its line. */
function checkRegionReferences(file: string, region: RegionFacts, problems: Problems): void {
  if (!fs.existsSync(file)) return;
  for (const p of unknownReferences(fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n'), region))
    problems.add(file, p.line, p.message);
}

/**
 * Loads and validates one course folder. `root` is the courses/ folder, used to name files in problems;
 * the regional facts come from `region` or else from `root/region.yaml`.
 */
export function loadCourse(
  dir: string,
  root = path.dirname(dir),
  region?: RegionFacts,
): LoadResult<LoadedCourse> {
  const problems = new Problems(root);
  if (!region) {
    const read = readRegion(path.join(root, 'region.yaml'));
    for (const p of read.problems) problems.add(path.join(root, p.file), p.line, p.message);
    region = read.region;
  }
  const courseFile = path.join(dir, 'course.yaml');
  const course = readYaml(courseFile, courseFileSchema, problems);
  const images = readImages(dir, problems);
  const quizFile = path.join(dir, 'quiz.yaml');
  const quiz = readQuiz(quizFile, problems);
  if (!course) return { ok: false, problems: problems.list };

  if (course.slug !== path.basename(dir))
    problems.add(
      courseFile,
      1,
      `slug (${course.slug}) måste vara samma som mappens namn (${path.basename(dir)})`,
    );
  const lessonIds = new Set<string>();
  const lessons: LessonContent[] = [];
  for (const { id, kind, video } of course.lessons) {
    if (lessonIds.has(id)) problems.add(courseFile, null, `Lektionen ${id} finns två gånger`);
    lessonIds.add(id);
    const variants: Partial<Record<Variant, { title: string; minutes: number; body: string }>> = {};
    for (const variant of VARIANTS) {
      const read = readLessonFile(
        path.join(dir, 'lessons', `${id}.${variant}.md`),
        problems,
        new Set(images.keys()),
      );
      if (read) variants[variant] = read;
    }
    const { standard, easy } = variants;
    if (standard && easy) {
      lessons.push({
        id,
        kind,
        minutes: standard.minutes,
        title: { standard: standard.title, easy: easy.title },
        body: { standard: standard.body, easy: easy.body },
        video: video ?? null,
      });
    }
  }
  const questions = quiz ? normaliseQuestions(quizFile, quiz, lessonIds, problems) : [];
  for (const file of [
    courseFile,
    quizFile,
    ...course.lessons.flatMap((l) => VARIANTS.map((v) => path.join(dir, 'lessons', `${l.id}.${v}.md`))),
  ])
    checkRegionReferences(file, region, problems);
  if (quiz && course.questionsPerAttempt > questions.length) {
    problems.add(
      courseFile,
      null,
      `questionsPerAttempt (${course.questionsPerAttempt}) är fler än frågorna i quiz.yaml (${questions.length})`,
    );
  }
  if (problems.list.length > 0) return { ok: false, problems: problems.list };

  const used = new Set(
    lessons.flatMap((l) =>
      VARIANTS.flatMap((v) => [...l.body[v].matchAll(/!\[[^\]]*\]\(([^)\s]*)\)/g)].map((m) => m[1])),
    ),
  );
  const usedImages = [...images.entries()].filter(([name]) => used.has(name));
  const content: CourseContent = applyRegion(
    {
      slug: course.slug,
      area: course.area,
      title: course.title,
      summary: course.summary,
      estimatedMinutes: course.estimatedMinutes,
      passMark: course.passMark,
      questionsPerAttempt: course.questionsPerAttempt,
      validityMonths: course.validityMonths,
      keyPoints: course.keyPoints,
      lessons,
      questions,
      images: Object.fromEntries(
        usedImages.map(([name, a]) => [name, { sha256: a.sha256, contentType: a.contentType }]),
      ),
    },
    region,
  );
  return { ok: true, value: { content, assets: usedImages.map(([, a]) => a) }, problems: [] };
}

/** Loads tracks.yaml and checks that it names only known courses. */
export function loadTracks(
  file: string,
  courseSlugs: Set<string>,
  root = path.dirname(file),
): LoadResult<JobRoleTrack[]> {
  const problems = new Problems(root);
  const tracks: TracksFile | null = readYaml(file, tracksFileSchema, problems);
  if (!tracks) return { ok: false, problems: problems.list };
  const seen = new Set<string>();
  const result = tracks.roles.map((role) => {
    if (seen.has(role.id)) problems.add(file, null, `Yrkesrollen ${role.id} finns två gånger`);
    seen.add(role.id);
    for (const slug of [...role.required, ...role.recommended]) {
      if (!courseSlugs.has(slug)) problems.add(file, null, `${role.id}: kursen ${slug} finns inte`);
    }
    const both = role.required.filter((s) => role.recommended.includes(s));
    if (both.length)
      problems.add(file, null, `${role.id}: ${both.join(', ')} är både obligatorisk och rekommenderad`);
    return {
      id: role.id,
      name: role.name,
      required: role.required,
      recommended: role.recommended,
      repeatMonths: role.repeatMonths ?? tracks.defaultRepeatMonths,
    };
  });
  if (problems.list.length > 0) return { ok: false, problems: problems.list };
  return { ok: true, value: result, problems: [] };
}

/** The course folders in `root`, sorted. */
export function courseDirs(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'course.yaml')))
    .map((d) => path.join(root, d.name))
    .sort();
}

/** A stable fingerprint of a course's content, so an unchanged import creates no new version. */
export function contentHash(content: CourseContent): string {
  return crypto.createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
