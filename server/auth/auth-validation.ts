import { z } from 'zod';
import { formString } from '../http/validation';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from './password-rules';

export { PASSWORD_MIN };

const newPassword = z
  .string({ error: 'auth:errors.passwordRequired' })
  .min(PASSWORD_MIN, 'auth:errors.passwordTooShort')
  .max(PASSWORD_MAX, 'auth:errors.passwordTooLong');
const emailField = formString('auth:errors.emailRequired').pipe(
  z.email('auth:errors.emailInvalid').max(254, 'auth:errors.emailInvalid'),
);

export const loginSchema = z.object({
  email: formString('auth:errors.emailRequired'),
  password: z.string({ error: 'auth:errors.passwordRequired' }).min(1, 'auth:errors.passwordRequired'),
});

export const joinSchema = z
  .object({
    joinCode: formString('auth:errors.joinCodeRequired'),
    name: formString('auth:errors.nameRequired').pipe(z.string().max(200, 'auth:errors.nameTooLong')),
    email: emailField,
    jobRole: formString('auth:errors.jobRoleRequired'),
    password: newPassword,
    passwordAgain: z.string({ error: 'auth:errors.passwordMismatch' }),
  })
  .superRefine((f, ctx) => {
    const problem = passwordProblem(f.password, f);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
    else if (f.password !== f.passwordAgain)
      ctx.addIssue({ code: 'custom', path: ['passwordAgain'], message: 'auth:errors.passwordMismatch' });
  });

export type JoinForm = z.infer<typeof joinSchema>;

export const forgotSchema = z.object({ email: emailField });

/** A new password typed twice; whose it is (for the personal-password rule) is checked by the service. */
export const newPasswordSchema = z
  .object({ password: newPassword, passwordAgain: z.string({ error: 'auth:errors.passwordMismatch' }) })
  .refine((f) => f.password === f.passwordAgain, {
    path: ['passwordAgain'],
    error: 'auth:errors.passwordMismatch',
  });

export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: 'auth:errors.currentPasswordRequired' })
      .min(1, 'auth:errors.currentPasswordRequired'),
    password: newPassword,
    passwordAgain: z.string({ error: 'auth:errors.passwordMismatch' }),
  })
  .refine((f) => f.password === f.passwordAgain, {
    path: ['passwordAgain'],
    error: 'auth:errors.passwordMismatch',
  });
