/** The administrator's view of people: search, details, and changes (the service logs them). */
import type { Knex } from 'knex';
import type { Permission } from '../auth/types';

export interface PersonRow {
  id: number;
  name: string;
  email: string;
  unitId: number | null;
  unitName: string | null;
  organisationName: string | null;
  jobRole: string | null;
  disabledAt: Date | null;
}

interface PersonDbRow {
  id: number;
  name: string;
  email: string;
  unit_id: number | null;
  unit_name: string | null;
  organisation_name: string | null;
  job_role: string | null;
  disabled_at: Date | null;
}

/** What an administrator may change about a person (permissions apart). */
export interface PersonFacts {
  name: string;
  email: string;
  unitId: number | null;
  jobRole: string | null;
}

export function peopleRepository(db: Knex) {
  const base = () =>
    db('users as u')
      .leftJoin('units as un', 'un.id', 'u.unit_id')
      .leftJoin('organisations as o', 'o.id', 'un.organisation_id')
      .select<PersonDbRow[]>(
        'u.id',
        'u.name',
        'u.email',
        'u.unit_id',
        'un.name as unit_name',
        'o.name as organisation_name',
        'u.job_role',
        'u.disabled_at',
      );
  const toPerson = (r: PersonDbRow): PersonRow => ({
    id: r.id,
    name: r.name,
    email: r.email,
    unitId: r.unit_id,
    unitName: r.unit_name,
    organisationName: r.organisation_name,
    jobRole: r.job_role,
    disabledAt: r.disabled_at,
  });

  return {
    /** Up to `limit` people matching a search on name or e-mail, sorted by name. */
    async search(query: string, limit = 50): Promise<PersonRow[]> {
      const q = base().orderBy('u.name').limit(limit);
      if (query)
        void q.where((w) => w.whereILike('u.name', `%${query}%`).orWhereILike('u.email', `%${query}%`));
      return (await q).map(toPerson);
    },

    async find(id: number): Promise<PersonRow | null> {
      const row = await base().where('u.id', id).first<PersonDbRow | undefined>();
      return row ? toPerson(row) : null;
    },

    /** Updates a person's facts and replaces their permissions (reviewers apart), in the caller's transaction. */
    async update(id: number, facts: PersonFacts, permissions: Permission[], trx: Knex = db): Promise<void> {
      await trx('users')
        .where({ id })
        .update({ name: facts.name, email: facts.email, unit_id: facts.unitId, job_role: facts.jobRole });
      // Reviewers are appointed per course in the authoring pages, not here: keep them.
      await trx('permissions').where({ user_id: id }).whereNot({ kind: 'reviewer' }).delete();
      if (permissions.length)
        await trx('permissions').insert(
          permissions.map((p) => ({
            user_id: id,
            kind: p.kind,
            organisation_id: p.organisationId,
            unit_id: p.unitId,
          })),
        );
    },

    async setDisabled(id: number, disabled: boolean, trx: Knex = db): Promise<void> {
      await trx('users')
        .where({ id })
        .update({ disabled_at: disabled ? trx.fn.now() : null });
    },
  };
}

export type PeopleRepository = ReturnType<typeof peopleRepository>;
