/** The administrator's view of people: search, details, and changes that are logged. */
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

export function peopleRepository(db: Knex) {
  const base = () =>
    db('users as u')
      .leftJoin('units as un', 'un.id', 'u.unit_id')
      .leftJoin('organisations as o', 'o.id', 'un.organisation_id')
      .select(
        'u.id',
        'u.name',
        'u.email',
        'u.unit_id',
        'un.name as unit_name',
        'o.name as organisation_name',
        'u.job_role',
        'u.disabled_at',
      );
  const toPerson = (r: Record<string, unknown>): PersonRow => ({
    id: r.id as number,
    name: r.name as string,
    email: r.email as string,
    unitId: r.unit_id as number | null,
    unitName: r.unit_name as string | null,
    organisationName: r.organisation_name as string | null,
    jobRole: r.job_role as string | null,
    disabledAt: r.disabled_at as Date | null,
  });

  return {
    /** Up to `limit` people matching a search on name or e-mail, sorted by name. */
    async search(query: string, limit = 50): Promise<PersonRow[]> {
      const q = base().orderBy('u.name').limit(limit);
      if (query) q.where((w) => w.whereILike('u.name', `%${query}%`).orWhereILike('u.email', `%${query}%`));
      return (await q).map(toPerson);
    },

    async find(id: number): Promise<PersonRow | null> {
      const row = await base().where('u.id', id).first();
      return row ? toPerson(row) : null;
    },

    /** Updates a person's facts and replaces their permissions, logging who did it. */
    async update(
      actorId: number,
      id: number,
      facts: { name: string; email: string; unitId: number | null; jobRole: string | null },
      permissions: Permission[],
    ): Promise<void> {
      await db.transaction(async (trx) => {
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
        await trx('audit_log').insert({
          actor_id: actorId,
          action: 'person.update',
          subject: `user:${id}`,
          details: JSON.stringify({ ...facts, permissions }),
        });
      });
    },

    async setDisabled(actorId: number, id: number, disabled: boolean): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('users')
          .where({ id })
          .update({ disabled_at: disabled ? trx.fn.now() : null });
        await trx('audit_log').insert({
          actor_id: actorId,
          action: disabled ? 'person.disable' : 'person.enable',
          subject: `user:${id}`,
        });
      });
    },

    async log(actorId: number, action: string, subject: string, details: object = {}): Promise<void> {
      await db('audit_log').insert({ actor_id: actorId, action, subject, details: JSON.stringify(details) });
    },
  };
}

export type PeopleRepository = ReturnType<typeof peopleRepository>;
