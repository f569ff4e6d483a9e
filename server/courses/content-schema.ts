/** The schemas of the files in `courses/` (see docs/course-format.md). Messages are Swedish: educators read them. */
import { z } from 'zod';
import { AREAS } from './types';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Får bara innehålla a–z, 0–9 och bindestreck');
const text = z.string().trim().min(1, 'Texten saknas');
export const texts = z
  .object({ standard: text, easy: text }, { error: 'Behöver både standard: och easy:' })
  .strict();

export const courseFileSchema = z
  .object({
    slug,
    area: z.enum(AREAS, { error: `Område måste vara ett av: ${AREAS.join(', ')}` }),
    title: texts,
    summary: texts,
    estimatedMinutes: z.number().int().min(1).max(600),
    passMark: z
      .number()
      .int()
      .min(1, 'Godkäntgränsen är en procentsats 1–100')
      .max(100, 'Godkäntgränsen är en procentsats 1–100'),
    questionsPerAttempt: z.number().int().min(1),
    validityMonths: z.number().int().min(1).max(120),
    keyPoints: z.object({ standard: z.array(text).min(1), easy: z.array(text).min(1) }).strict(),
    lessons: z
      .array(
        z
          .object({ id: slug, kind: z.enum(['lesson', 'case']).default('lesson'), video: slug.optional() })
          .strict(),
      )
      .min(1, 'Kursen behöver minst en lektion'),
  })
  .strict();

export const frontMatterSchema = z
  .object({ title: text, minutes: z.number().int().min(1).max(120) })
  .strict();

const option = z.object({ id: slug, text: texts, correct: z.boolean().default(false) }).strict();

export const quizFileSchema = z
  .object({
    questions: z
      .array(
        z
          .object({
            id: slug,
            lesson: slug.optional(),
            type: z.enum(['single', 'multiple', 'truefalse'], {
              error: 'type måste vara single, multiple eller truefalse',
            }),
            text: texts,
            options: z.array(option).min(2).max(6).optional(),
            answer: z.boolean().optional(),
            explanation: texts,
            critical: z.boolean().optional(),
          })
          .strict(),
      )
      .min(1, 'Quizet behöver minst en fråga'),
  })
  .strict();

export const tracksFileSchema = z
  .object({
    defaultRepeatMonths: z.number().int().min(1).max(120).default(12),
    roles: z
      .array(
        z
          .object({
            id: slug,
            name: z.object({ sv: text, en: text }).strict(),
            required: z.array(slug).default([]),
            recommended: z.array(slug).default([]),
            repeatMonths: z.number().int().min(1).max(120).optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type CourseFile = z.infer<typeof courseFileSchema>;
export type QuizFile = z.infer<typeof quizFileSchema>;
export type TracksFile = z.infer<typeof tracksFileSchema>;
