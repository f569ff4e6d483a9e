/**
 * Certificates are completions shown to their owner (a PDF) and, by code, to anyone checking one. The
 * completions belong to the courses feature and names to auth: this service names the few reads it
 * needs, and the composition root hands it the owners' methods.
 */
import type { UsersService } from '../auth/users-service';

/** The facts of a completion a certificate shows (the courses feature's Completion has these). */
export interface CertifiedCompletion {
  userId: number;
  courseId: number;
  completedAt: Date;
  validUntil: Date;
  verificationCode: string;
}

/** What the courses feature offers for certificates. */
export interface CompletionSource {
  completionById(id: number): Promise<CertifiedCompletion | null>;
  completionByCode(code: string): Promise<CertifiedCompletion | null>;
  titleOf(courseId: number): Promise<string | null>;
}

export interface Certificate extends CertifiedCompletion {
  name: string;
  courseTitle: string;
}

export function certificatesService(deps: {
  completions: CompletionSource;
  usersService: Pick<UsersService, 'nameOf'>;
}) {
  const { completions, usersService } = deps;

  async function describe(completion: CertifiedCompletion | null): Promise<Certificate | null> {
    if (!completion) return null;
    const [name, courseTitle] = await Promise.all([
      usersService.nameOf(completion.userId),
      completions.titleOf(completion.courseId),
    ]);
    return { ...completion, name: name ?? '', courseTitle: courseTitle ?? '' };
  }

  return {
    /** The certificate of a completion, by its id. */
    byId: async (id: number) => describe(await completions.completionById(id)),
    /** The certificate with this verification code (normalised, XXXX-XXXX-XXXX). */
    byCode: async (code: string) => describe(await completions.completionByCode(code)),
  };
}

export type CertificatesService = ReturnType<typeof certificatesService>;
