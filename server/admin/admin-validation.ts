import { z } from 'zod';
import { PASSWORD_MIN } from '../auth/auth-validation';
import { passwordProblem } from '../auth/password-rules';
import { formString } from '../http/validation';

const optionalId = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null),
  z.number().int().positive().nullable(),
);
const flag = z.preprocess((v) => v === 'on' || v === 'true' || v === '1', z.boolean());
/** A scope select's value: `org:3`, `unit:7` or empty. */
const scope = z.preprocess(
  (v) => (typeof v === 'string' ? v : ''),
  z.string().regex(/^(|org:\d+|unit:\d+)$/, 'admin:errors.scope'),
);

export const personSchema = z.object({
  name: formString('auth:errors.nameRequired').pipe(z.string().max(200, 'auth:errors.nameTooLong')),
  email: formString('auth:errors.emailRequired').pipe(
    // Too long first, with the general message (as before zod 4's z.email()): the format check would name the wrong fault.
    z.string().max(254).pipe(z.email('auth:errors.emailInvalid')),
  ),
  unitId: optionalId,
  jobRole: z.preprocess((v) => (typeof v === 'string' && v !== '' ? v : null), z.string().nullable()),
  learner: flag,
  educator: flag,
  admin: flag,
  managerScope: scope,
  bookerScope: z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z.string().regex(/^(|org:\d+)$/, 'admin:errors.scope'),
  ),
});

export const newPersonSchema = personSchema
  .extend({
    password: z
      .string({ error: 'auth:errors.passwordRequired' })
      .min(PASSWORD_MIN, 'auth:errors.passwordTooShort')
      .max(200, 'auth:errors.passwordTooLong'),
  })
  .superRefine((f, ctx) => {
    const problem = passwordProblem(f.password, f);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });

export type PersonForm = z.infer<typeof personSchema>;
