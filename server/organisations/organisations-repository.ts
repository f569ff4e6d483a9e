/** Organisations (region, municipalities, private providers) and their units, with join codes. */
import crypto from 'node:crypto';
import type { Knex } from 'knex';

export interface Unit {
  id: number;
  name: string;
  organisationId: number;
  organisationName: string;
  joinCode: string | null;
  joinCodeEnabled: boolean;
}

export type OrganisationKind = 'region' | 'municipality' | 'private';

/** An organisation as lists and selects show it. */
export interface OrganisationName {
  id: number;
  name: string;
}

interface UnitRow {
  id: number;
  name: string;
  organisation_id: number;
  organisation_name: string;
  join_code: string | null;
  join_code_enabled: boolean;
}

const toUnit = (r: UnitRow): Unit => ({
  id: r.id,
  name: r.name,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  joinCode: r.join_code,
  joinCodeEnabled: r.join_code_enabled,
});

// Unambiguous characters only (no 0/O, 1/I/L), so a code read aloud or from paper is typed right.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A new random join code like `K7M4-P2QX`. */
export function newJoinCode(): string {
  const bytes = crypto.randomBytes(8);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** Join codes are compared without case, spaces or dashes. */
export function normaliseJoinCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function organisationsRepository(db: Knex) {
  const units = () =>
    db('units as u')
      .join('organisations as o', 'o.id', 'u.organisation_id')
      .select<UnitRow[]>('u.*', 'o.name as organisation_name');

  return {
    /** Every organisation by name: the one list the admin, billing, statistics and video pages choose from. */
    async listOrganisations(): Promise<OrganisationName[]> {
      return db('organisations').orderBy('name').select<OrganisationName[]>('id', 'name');
    },

    async findOrganisation(id: number): Promise<OrganisationName | null> {
      return (
        (await db('organisations').where({ id }).first<OrganisationName | undefined>('id', 'name')) ?? null
      );
    },

    async createOrganisation(
      o: { name: string; kind: OrganisationKind; orgNumber?: string | null },
      trx: Knex | Knex.Transaction = db,
    ): Promise<number> {
      const [row] = await trx('organisations')
        .insert({ name: o.name, kind: o.kind, org_number: o.orgNumber ?? null })
        .returning<{ id: number }[]>('id');
      return row.id;
    },

    async createUnit(
      u: { organisationId: number; name: string; joinCode?: string },
      trx: Knex | Knex.Transaction = db,
    ): Promise<number> {
      const [row] = await trx('units')
        .insert({
          organisation_id: u.organisationId,
          name: u.name,
          join_code: normaliseJoinCode(u.joinCode ?? newJoinCode()),
        })
        .returning<{ id: number }[]>('id');
      return row.id;
    },

    /** The unit an enabled join code belongs to. */
    async findUnitByJoinCode(code: string): Promise<Unit | null> {
      const normalised = normaliseJoinCode(code);
      if (!normalised) return null;
      const row = await units()
        .where('u.join_code', normalised)
        .where('u.join_code_enabled', true)
        .first<UnitRow | undefined>();
      return row ? toUnit(row) : null;
    },

    async findUnit(id: number): Promise<Unit | null> {
      const row = await units().where('u.id', id).first<UnitRow | undefined>();
      return row ? toUnit(row) : null;
    },

    async listUnits(): Promise<Unit[]> {
      return (await units().orderBy(['o.name', 'u.name'])).map(toUnit);
    },

    async regenerateJoinCode(unitId: number, trx: Knex = db): Promise<string> {
      const code = normaliseJoinCode(newJoinCode());
      await trx('units').where({ id: unitId }).update({ join_code: code, join_code_enabled: true });
      return code;
    },

    async setJoinCodeEnabled(unitId: number, enabled: boolean, trx: Knex = db): Promise<void> {
      await trx('units').where({ id: unitId }).update({ join_code_enabled: enabled });
    },
  };
}

export type OrganisationsRepository = ReturnType<typeof organisationsRepository>;

/** A join code shown to people: groups of four. */
export function displayJoinCode(code: string | null): string {
  return code ? (code.match(/.{1,4}/g) ?? []).join('-') : '';
}
