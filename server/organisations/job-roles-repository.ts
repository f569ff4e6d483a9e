/** Job roles (yrkesroller), named in Swedish and English; the list comes from courses/tracks.yaml. */
import type { Knex } from 'knex';
import type { Language } from '../i18n/i18n';

export interface JobRole {
  id: string;
  name: { sv: string; en: string };
}

export function jobRolesRepository(db: Knex) {
  return {
    async list(): Promise<JobRole[]> {
      const rows = await db('job_roles')
        .orderBy(['sort', 'id'])
        .select<{ id: string; name_sv: string; name_en: string }[]>('id', 'name_sv', 'name_en');
      return rows.map((r) => ({
        id: r.id,
        name: { sv: r.name_sv, en: r.name_en },
      }));
    },
    async exists(id: string): Promise<boolean> {
      return (await db('job_roles').where({ id }).first<{ id: string } | undefined>('id')) !== undefined;
    },
  };
}

export type JobRolesRepository = ReturnType<typeof jobRolesRepository>;

export function jobRoleName(roles: JobRole[], id: string | null, lng: Language): string {
  return roles.find((r) => r.id === id)?.name[lng] ?? '';
}
