import { z } from 'zod';

const scale = (key: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^[1-4]$/.test(v) ? Number(v) : undefined),
    z.number({ error: key }),
  );

export const evaluationSchema = z.object({
  useful: scale('evaluations:errors.chooseOne'),
  matchesDescription: scale('evaluations:errors.chooseOne'),
  comment: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z.string().max(2000, 'evaluations:errors.commentTooLong'),
  ),
});
