/**
 * A course as the files of its `courses/<slug>/` folder (docs/course-format.md), and as a zip of them:
 * export, import and publishing all go through these files, so the browser and git share one format and
 * one validator.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { zipSync } from 'fflate';
import { stringify } from 'yaml';
import { loadCourse, type LoadedCourse, type LoadResult } from '../courses/content-loader';
import { toTemplate, type RegionFacts } from '../courses/region';
import type { CourseContent, QuestionContent } from '../courses/types';
import type { UnzipResult } from './unzip-worker';
import { megabytes, ZIP_LIMITS, type ZipLimits } from './zip-limits';

export type CourseFiles = Map<string, Buffer>;

const yaml = (value: unknown) => stringify(value, { lineWidth: 0 });

function questionYaml(q: QuestionContent) {
  const base = {
    id: q.id,
    ...(q.lesson ? { lesson: q.lesson } : {}),
    type: q.type,
    ...(q.critical ? { critical: true } : {}),
    text: q.text,
  };
  if (q.type === 'truefalse')
    return { ...base, answer: q.options.find((o) => o.correct)?.id === 'true', explanation: q.explanation };
  return {
    ...base,
    options: q.options.map((o) => ({ id: o.id, text: o.text, ...(o.correct ? { correct: true } : {}) })),
    explanation: q.explanation,
  };
}

/** The folder's files for a course, with its images' bytes. Keys are paths inside the folder. */
export function courseToFiles(published: CourseContent, imageBytes: Map<string, Buffer>): CourseFiles {
  // The files say {{region:KEY}} where a published version shows the region's value.
  const content = toTemplate(published);
  const files: CourseFiles = new Map();
  files.set(
    'course.yaml',
    Buffer.from(
      yaml({
        slug: content.slug,
        area: content.area,
        title: content.title,
        summary: content.summary,
        estimatedMinutes: content.estimatedMinutes,
        passMark: content.passMark,
        questionsPerAttempt: content.questionsPerAttempt,
        validityMonths: content.validityMonths,
        keyPoints: content.keyPoints,
        lessons: content.lessons.map((l) => ({
          id: l.id,
          ...(l.kind === 'case' ? { kind: 'case' } : {}),
          ...(l.video ? { video: l.video } : {}),
        })),
      }),
    ),
  );
  for (const lesson of content.lessons) {
    for (const variant of ['standard', 'easy'] as const) {
      const front = yaml({ title: lesson.title[variant], minutes: lesson.minutes });
      files.set(
        `lessons/${lesson.id}.${variant}.md`,
        Buffer.from(`---\n${front}---\n${lesson.body[variant]}`),
      );
    }
  }
  files.set('quiz.yaml', Buffer.from(yaml({ questions: content.questions.map(questionYaml) })));
  for (const [name, asset] of Object.entries(content.images)) {
    const bytes = imageBytes.get(asset.sha256);
    if (bytes) files.set(name, bytes);
  }
  return files;
}

// A fixed time stamp makes the same course always give the same zip bytes.
const ZIP_TIME = new Date('2026-01-01T00:00:00Z');

/** The files as a zip with the folder `<slug>/` at its root. */
export function filesToZip(slug: string, files: CourseFiles): Buffer {
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  const byName = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, bytes] of byName)
    entries[`${slug}/${name}`] = [new Uint8Array(bytes), { mtime: ZIP_TIME }];
  return Buffer.from(zipSync(entries, { level: 6 }));
}

export class CourseZipError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly status = 400,
  ) {
    super(key);
  }
}

const workerFile = path.join(__dirname, `unzip-worker${path.extname(__filename)}`);

/**
 * Unpacks a zip in a worker thread within ZIP_LIMITS (streamed, every byte counted, stopped after
 * ZIP_LIMITS.milliseconds), so a zip bomb neither fills memory nor holds up other requests.
 */
export function unzipInWorker(zip: Buffer, limits: ZipLimits = ZIP_LIMITS): Promise<Map<string, Uint8Array>> {
  return new Promise((resolve, reject) => {
    // Run from source (tests, tsx) the worker needs the TypeScript loader too.
    const execArgv = workerFile.endsWith('.ts') ? ['--require', require.resolve('tsx/cjs')] : [];
    const copy = new Uint8Array(zip); // handed over to the worker, not cloned again
    const worker = new Worker(workerFile, {
      workerData: { zip: copy, limits },
      transferList: [copy.buffer],
      execArgv,
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new CourseZipError('authoring:import.tooSlow', { seconds: limits.milliseconds / 1000 }, 413));
    }, limits.milliseconds);
    worker.once('message', (result: UnzipResult) => {
      clearTimeout(timer);
      void worker.terminate();
      if (result.ok) resolve(new Map(result.files));
      else reject(new CourseZipError(result.refusal.key, result.refusal.params, result.refusal.status));
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      // Out of memory in the worker (its heap is capped) is a zip too big to unpack, not a crash of ours.
      reject(
        /memory/i.test(error.message)
          ? new CourseZipError(
              'authoring:import.tooLargeUnpacked',
              { limit: megabytes(limits.totalBytes) },
              413,
            )
          : error,
      );
    });
  });
}

/** Unpacks a course zip into a temporary folder and loads it with the same validator as courses/; the folder is gone on any failure. */
/** The regional facts are the installation's (a course zip never carries region.yaml). */
export async function loadCourseZip(
  zip: Buffer,
  region: RegionFacts,
): Promise<LoadResult<LoadedCourse> & { cleanup(): void }> {
  const entries = await unzipInWorker(zip);
  const names = [...entries.keys()];
  const tops = new Set(names.map((n) => n.split('/')[0]));
  if (names.length === 0) throw new CourseZipError('authoring:import.notCourse');
  // Accept a zip with the course folder at its root, or the folder's files directly.
  const prefix =
    tops.size === 1 && names.every((n) => n.includes('/')) && names.some((n) => n.endsWith('/course.yaml'))
      ? `${[...tops][0]}/`
      : '';
  if (!names.includes(`${prefix}course.yaml`)) throw new CourseZipError('authoring:import.notCourse');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-course-'));
  const cleanup = () => {
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    const slug = prefix ? prefix.slice(0, -1) : 'kurs';
    const dir = path.join(root, slug.replace(/[^a-z0-9-]/g, '') || 'kurs');
    for (const [name, bytes] of entries) {
      const relative = name.slice(prefix.length);
      // Only the folder's own kinds of files (others, like __MACOSX/, are left out); unsafe names never get here.
      if (
        !/^(course\.yaml|quiz\.yaml|lessons\/[a-z0-9-]+\.(standard|easy)\.md|images\/[A-Za-z0-9_-][A-Za-z0-9._-]*)$/.test(
          relative,
        )
      )
        continue;
      const target = path.join(dir, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
    }
    const result = loadCourse(dir, root, region);
    return Object.assign(result, { cleanup });
  } catch (error) {
    cleanup();
    throw error;
  }
}

/**
 * Validates a draft exactly as an imported folder would be, by writing its files and loading them: the
 * loaded course has the region's values where the draft says `{{region:KEY}}`.
 */
export function validateAsFolder(
  content: CourseContent,
  imageBytes: Map<string, Buffer>,
  region: RegionFacts,
): LoadResult<LoadedCourse> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-draft-'));
  try {
    const dir = path.join(root, content.slug);
    for (const [name, bytes] of courseToFiles(content, imageBytes)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), bytes);
    }
    return loadCourse(dir, root, region);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
