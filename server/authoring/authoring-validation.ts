/** Forms of the authoring pages. Drafts may be unfinished; publishing checks completeness. */
import { z } from 'zod';
import { AREAS } from '../courses/types';

const text = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : ''),
    z.string().max(max, 'authoring:errors.tooLong'),
  );
const int = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\d{1,4}$/.test(v.trim()) ? Number(v) : undefined),
    z
      .number({ error: 'authoring:errors.number' })
      .int()
      .min(min, 'authoring:errors.range')
      .max(max, 'authoring:errors.range'),
  );
const lines = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean)
      : [],
  z.array(z.string().max(300, 'authoring:errors.tooLong')).max(8, 'authoring:errors.tooMany'),
);
export const revision = z.preprocess(
  (v) => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : null),
  z.number().int().nullable(),
);

export const slugSchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : ''),
  z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'authoring:errors.slug')
    .max(60, 'authoring:errors.slug'),
);

export const newCourseSchema = z.object({
  slug: slugSchema,
  area: z.enum(AREAS, { error: 'authoring:errors.area' }),
  titleStandard: text(200).pipe(z.string().min(1, 'authoring:errors.titleRequired')),
});

export const factsSchema = z.object({
  revision,
  area: z.enum(AREAS, { error: 'authoring:errors.area' }),
  titleStandard: text(200),
  titleEasy: text(200),
  summaryStandard: text(600),
  summaryEasy: text(600),
  estimatedMinutes: int(1, 600),
  passMark: int(1, 100),
  questionsPerAttempt: int(1, 100),
  validityMonths: int(1, 120),
  keyPointsStandard: lines,
  keyPointsEasy: lines,
});

export const lessonSchema = z.object({
  revision,
  kind: z.enum(['lesson', 'case']).catch('lesson'),
  minutes: int(1, 120),
  video: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
    z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'authoring:errors.slug')
      .nullable(),
  ),
  titleStandard: text(200),
  titleEasy: text(200),
  bodyStandard: text(40_000),
  bodyEasy: text(40_000),
});

export const newLessonSchema = z.object({
  titleStandard: text(200).pipe(z.string().min(1, 'authoring:errors.titleRequired')),
});

const list = (v: unknown) =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => (typeof x === 'string' ? x.trim() : ''));

export const questionSchema = z.object({
  revision,
  type: z.enum(['single', 'multiple', 'truefalse'], { error: 'authoring:errors.type' }),
  lesson: z.preprocess((v) => (typeof v === 'string' && v !== '' ? v : null), z.string().nullable()),
  critical: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
  textStandard: text(1000),
  textEasy: text(1000),
  explanationStandard: text(2000),
  explanationEasy: text(2000),
  answer: z.preprocess(
    (v) => (v === 'true' || v === 'false' ? v : null),
    z.enum(['true', 'false']).nullable(),
  ),
  optionId: z.preprocess(list, z.array(z.string())),
  optionStandard: z.preprocess(list, z.array(z.string().max(500, 'authoring:errors.tooLong'))),
  optionEasy: z.preprocess(list, z.array(z.string().max(500, 'authoring:errors.tooLong'))),
  correct: z.preprocess(list, z.array(z.string())),
});

export const publishSchema = z.object({
  changeNote: text(1000).pipe(z.string().min(1, 'authoring:errors.changeNoteRequired')),
  significant: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
});

export const commentSchema = z.object({
  body: text(4000).pipe(z.string().min(1, 'authoring:errors.commentRequired')),
});

export type FactsForm = z.infer<typeof factsSchema>;
export type LessonForm = z.infer<typeof lessonSchema>;
export type QuestionForm = z.infer<typeof questionSchema>;
