/**
 * The people bookings picks from: an ordering organisation's staff (participants) and HMC's educators.
 * Read-only queries of `users`, `units` and `permissions` (the auth and organisations features own them),
 * kept in one place here until those features offer such lists in their services.
 */
import type { Knex } from 'knex';

/** Someone of the ordering organisation who can be put on an order's list. */
export interface OrganisationPerson {
  id: number;
  name: string;
  email: string;
  /** snake_case: the order page's template reads it so. */
  unit_name: string;
}

export interface Educator {
  id: number;
  name: string;
}

export function peopleRepository(db: Knex) {
  return {
    /** Active people of an organisation by name (at most 500, what a picker can show). */
    async ofOrganisation(organisationId: number): Promise<OrganisationPerson[]> {
      return db('users as u')
        .join('units as un', 'un.id', 'u.unit_id')
        .where('un.organisation_id', organisationId)
        .whereNull('u.disabled_at')
        .orderBy('u.name')
        .limit(500)
        .select<OrganisationPerson[]>('u.id', 'u.name', 'u.email', 'un.name as unit_name');
    },

    /** The active people among `ids`, with their organisation (to check they are the orderer's). */
    async activeByIds(
      ids: number[],
      trx: Knex = db,
    ): Promise<{ id: number; name: string; email: string; organisationId: number }[]> {
      if (!ids.length) return [];
      return trx('users as u')
        .join('units as un', 'un.id', 'u.unit_id')
        .whereIn('u.id', ids)
        .whereNull('u.disabled_at')
        .select<{ id: number; name: string; email: string; organisationId: number }[]>(
          'u.id',
          'u.name',
          'u.email',
          'un.organisation_id as organisationId',
        );
    },

    /** Active educators by name. */
    async educators(): Promise<Educator[]> {
      return db('users as u')
        .join('permissions as p', 'p.user_id', 'u.id')
        .where('p.kind', 'educator')
        .whereNull('u.disabled_at')
        .distinct<Educator[]>('u.id', 'u.name')
        .orderBy('u.name');
    },

    /** Whether the person has the educator permission. */
    async isEducator(userId: number): Promise<boolean> {
      return !!(await db('permissions')
        .where({ user_id: userId, kind: 'educator' })
        .first<{ user_id: number } | undefined>('user_id'));
    },
  };
}

export type PeopleRepository = ReturnType<typeof peopleRepository>;
