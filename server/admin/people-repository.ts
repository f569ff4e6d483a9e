/** The administrator's view of people: search, details, and changes (the service logs them). */
import type { Knex } from 'knex';
import { replaceRows } from '../db/rows';
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

/** What an administrator may change about a person (permissions apart). */
export interface PersonFacts {
  name: string;
  email: string;
  unitId: number | null;
  jobRole: string | null;
}

export function peopleRepository(db: Knex) {
  // Each PersonRow field from its column: the rows come back as PersonRow, so no mapping is needed.
  const base = () =>
    db('users as u')
      .leftJoin('units as un', 'un.id', 'u.unit_id')
      .leftJoin('organisations as o', 'o.id', 'un.organisation_id')
      .select<PersonRow[]>({
        id: 'u.id',
        name: 'u.name',
        email: 'u.email',
        unitId: 'u.unit_id',
        unitName: 'un.name',
        organisationName: 'o.name',
        jobRole: 'u.job_role',
        disabledAt: 'u.disabled_at',
      });

  return {
    /** Up to `limit` people matching a search on name or e-mail, sorted by name. */
    async search(query: string, limit = 50): Promise<PersonRow[]> {
      const q = base().orderBy('u.name').limit(limit);
      if (query)
        void q.where((w) => w.whereILike('u.name', `%${query}%`).orWhereILike('u.email', `%${query}%`));
      return q;
    },

    async find(id: number): Promise<PersonRow | null> {
      return (await base().where('u.id', id).first<PersonRow | undefined>()) ?? null;
    },

    /** Updates a person's facts and replaces their permissions (reviewers apart), in the caller's transaction. */
    async update(id: number, facts: PersonFacts, permissions: Permission[], trx: Knex = db): Promise<void> {
      await trx('users')
        .where({ id })
        .update({ name: facts.name, email: facts.email, unit_id: facts.unitId, job_role: facts.jobRole });
      // Reviewers are appointed per course in the authoring pages, not here: keep them.
      await replaceRows(
        trx,
        'permissions',
        (q) => q.where({ user_id: id }).whereNot({ kind: 'reviewer' }),
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
