/** The person's copy of their data (GDPR right of access), free and self-service. */
import type { PersonalDataRepository } from './personal-data-repository';

export function personalDataService(repo: PersonalDataRepository) {
  return {
    /** All sections for one person, with when the copy was made. */
    async exportFor(userId: number): Promise<Record<string, unknown>> {
      return { exportedAt: new Date().toISOString(), ...(await repo.sectionsFor(userId)) };
    },
  };
}

export type PersonalDataService = ReturnType<typeof personalDataService>;
