import { z } from 'zod';
import { formString } from '../http/validation';
import { MAX_CUE_TEXT, normaliseCueText, parseEditorTime } from './captions-format';
import { AUDIO_DESCRIPTIONS } from './types';

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The text fields of the upload form (the file itself is checked by its content with ffprobe). */
export const uploadSchema = z.object({
  title: formString('videos:errors.titleRequired').pipe(z.string().max(200, 'videos:errors.titleTooLong')),
  slug: formString('videos:errors.slugRequired').pipe(
    z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.string().max(80, 'videos:errors.slugInvalid').regex(SLUG, 'videos:errors.slugInvalid')),
  ),
  audience: z.preprocess(
    (v) =>
      typeof v === 'string' && /^[1-9][0-9]{0,9}$/.test(v)
        ? Number(v)
        : v === '' || v === undefined
          ? null
          : Number.NaN,
    z.number({ error: 'videos:errors.audienceInvalid' }).int('videos:errors.audienceInvalid').nullable(),
  ),
});

const time = (key: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (parseEditorTime(v) ?? undefined) : undefined),
    z
      .number({ error: key })
      .int()
      .min(0)
      .max(24 * 3_600_000 - 1, key),
  );

/** One cue in the cue editor: a start and end time and its text. */
export const cueSchema = z
  .object({
    start: time('videos:errors.cueTime'),
    end: time('videos:errors.cueTime'),
    text: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? normaliseCueText(v) : undefined),
      z.string({ error: 'videos:errors.cueTextRequired' }).max(MAX_CUE_TEXT, 'videos:errors.cueTextTooLong'),
    ),
  })
  .refine((c) => c.end > c.start, { path: ['end'], error: 'videos:errors.cueEndBeforeStart' });

/** The WCAG 1.2.5 statement: all visual information is in the sound, or a described version is attached. */
export const audioDescriptionSchema = z
  .object({
    audioDescription: z.enum(AUDIO_DESCRIPTIONS, { error: 'videos:errors.audioDescriptionRequired' }),
    describedVideoId: z.preprocess(
      (v) => (typeof v === 'string' && /^[1-9][0-9]{0,9}$/.test(v) ? Number(v) : null),
      z.number().nullable(),
    ),
  })
  .refine((d) => d.audioDescription !== 'described_version' || d.describedVideoId !== null, {
    path: ['describedVideoId'],
    error: 'videos:errors.describedVideoRequired',
  });
