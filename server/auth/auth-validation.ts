import { z } from 'zod';
import { formString } from '../http/validation';

export const PASSWORD_MIN = 10;

export const loginSchema = z.object({
  email: formString('auth:errors.emailRequired'),
  password: z.string({ error: 'auth:errors.passwordRequired' }).min(1, 'auth:errors.passwordRequired'),
});

export const joinSchema = z
  .object({
    joinCode: formString('auth:errors.joinCodeRequired'),
    name: formString('auth:errors.nameRequired').pipe(z.string().max(200, 'auth:errors.nameTooLong')),
    email: formString('auth:errors.emailRequired').pipe(z.string().max(254, 'auth:errors.emailInvalid').email('auth:errors.emailInvalid')),
    jobRole: formString('auth:errors.jobRoleRequired'),
    password: z.string({ error: 'auth:errors.passwordRequired' }).min(PASSWORD_MIN, 'auth:errors.passwordTooShort').max(200, 'auth:errors.passwordTooLong'),
    passwordAgain: z.string({ error: 'auth:errors.passwordMismatch' }),
  })
  .refine((f) => f.password === f.passwordAgain, { path: ['passwordAgain'], message: 'auth:errors.passwordMismatch' });

export type JoinForm = z.infer<typeof joinSchema>;
