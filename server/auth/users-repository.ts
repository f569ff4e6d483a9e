/** Reads and writes people and their permissions; maps rows to CurrentUser in one place. */
import type { SessionData } from 'express-session';
import type { Knex } from 'knex';
import { prepared } from '../db/prepared';
import type { Language } from '../i18n/i18n';
import type { Variant } from '../courses/types';
import type { CurrentUser, Permission, PermissionKind } from './types';

interface UserRow {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  unit_id: number | null;
  unit_name: string | null;
  organisation_id: number | null;
  organisation_name: string | null;
  job_role: string | null;
  content_variant: Variant;
  ui_language: Language;
  disabled_at: Date | null;
  created_at: Date;
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  unitId: number | null;
  jobRole: string | null;
  permissions: Permission[];
  /** False when the person typed the address themselves (joining): it is theirs only once verified. */
  emailVerified?: boolean;
}

/** A person's account as the account pages and mails need it (no password hash, no permissions). */
export interface Account {
  id: number;
  email: string;
  name: string;
  uiLanguage: Language;
  disabled: boolean;
  /** The address has been proved to be the person's (a link mailed to it was opened). */
  verified: boolean;
}

interface AccountRow {
  id: number;
  email: string;
  name: string;
  ui_language: Language;
  disabled_at: Date | null;
  created_at: Date;
  email_verified_at: Date | null;
}

interface PermissionRow {
  kind: PermissionKind;
  organisation_id: number | null;
  unit_id: number | null;
  course_id: number | null;
}

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  email: row.email,
  name: row.name,
  uiLanguage: row.ui_language,
  disabled: row.disabled_at !== null,
  verified: row.email_verified_at !== null,
});

/** The one way an e-mail address is matched to a person: trimmed, without case. */
const byEmail = (email: string) => ['lower(email) = lower(?)', [email.trim()]] as const;

/** A person's permissions as one JSON column, so the person and their rights come in one query. */
const PERMISSION_LIST = `coalesce((select json_agg(json_build_object('kind', p.kind, 'organisationId', p.organisation_id,
  'unitId', p.unit_id, 'courseId', p.course_id) order by p.id) from permissions p where p.user_id = u.id), '[]') as permission_list`;

/** An unexpired session and its active person (none when logged out, disabled or deleted). */
const SESSION_WITH_USER = `select s.sess, u.id, u.email, u.name, u.unit_id, u.job_role, u.content_variant,
  u.ui_language, u.created_at, un.name as unit_name, o.id as organisation_id, o.name as organisation_name,
  ${PERMISSION_LIST}
  from sessions s
  left join users u on u.id = (s.sess #>> '{passport,user}')::int and u.disabled_at is null
  left join units un on un.id = u.unit_id
  left join organisations o on o.id = un.organisation_id
  where s.sid = ? and s.expire >= now()`;

function selectUsers(db: Knex | Knex.Transaction) {
  return db('users as u')
    .leftJoin('units as un', 'un.id', 'u.unit_id')
    .leftJoin('organisations as o', 'o.id', 'un.organisation_id')
    .select('u.*', 'un.name as unit_name', 'o.id as organisation_id', 'o.name as organisation_name');
}

function toUser(row: Omit<UserRow, 'password_hash' | 'disabled_at'>, permissions: Permission[]): CurrentUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    unitId: row.unit_id,
    unitName: row.unit_name,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    jobRole: row.job_role,
    contentVariant: row.content_variant,
    uiLanguage: row.ui_language,
    permissions,
    joinedAt: row.created_at,
  };
}

export function usersRepository(db: Knex) {
  async function permissionsOf(userId: number, trx: Knex | Knex.Transaction = db): Promise<Permission[]> {
    const rows = await trx('permissions')
      .where({ user_id: userId })
      .orderBy('id')
      .select<PermissionRow[]>('kind', 'organisation_id', 'unit_id', 'course_id');
    return rows.map((r) => ({
      kind: r.kind,
      organisationId: r.organisation_id,
      unitId: r.unit_id,
      courseId: r.course_id,
    }));
  }

  const accounts = (trx: Knex | Knex.Transaction) =>
    trx('users').select<AccountRow[]>(
      'id',
      'email',
      'name',
      'ui_language',
      'disabled_at',
      'email_verified_at',
    );

  return {
    /** An active person by id, with permissions; null when unknown or disabled. */
    async findActiveById(id: number): Promise<CurrentUser | null> {
      // Every logged-in request asks this: the permissions come in the same query.
      const row = await selectUsers(db)
        .select(db.raw(PERMISSION_LIST))
        .where('u.id', id)
        .whereNull('u.disabled_at')
        .first<(UserRow & { permission_list: Permission[] }) | undefined>();
      return row ? toUser(row, row.permission_list) : null;
    },

    /**
     * A session by id with its active person, in one query: every logged-in request asks this (issue 13).
     * Null when there is no such unexpired session; `user` null when nobody (active) is logged in to it.
     */
    async findSessionWithActiveUser(
      sid: string,
    ): Promise<{ sess: SessionData; user: CurrentUser | null } | null> {
      type Row = Omit<UserRow, 'password_hash' | 'disabled_at'>;
      type Found = { sess: SessionData; permission_list: Permission[] } & (Row | { [K in keyof Row]: null });
      const { rows } = await prepared(
        'session-with-user',
        db.raw<{ rows: Found[] }>(SESSION_WITH_USER, [sid]),
      );
      const row = rows.at(0);
      if (!row) return null;
      return { sess: row.sess, user: row.id === null ? null : toUser(row, row.permission_list) };
    },

    /** The login record for an e-mail address (case-insensitive), disabled people included. */
    async findLogin(email: string): Promise<{ id: number; passwordHash: string; disabled: boolean } | null> {
      const row = await db('users')
        .whereRaw(...byEmail(email))
        .first<Pick<UserRow, 'id' | 'password_hash' | 'disabled_at'> | undefined>(
          'id',
          'password_hash',
          'disabled_at',
        );
      return row ? { id: row.id, passwordHash: row.password_hash, disabled: row.disabled_at !== null } : null;
    },

    /** The account with this id, disabled ones included. */
    async findAccount(id: number, trx: Knex | Knex.Transaction = db): Promise<Account | null> {
      const row = await accounts(trx).where({ id }).first<AccountRow | undefined>();
      return row ? toAccount(row) : null;
    },

    /** The account an e-mail address belongs to (case-insensitive), disabled ones included. */
    async findAccountByEmail(email: string, trx: Knex | Knex.Transaction = db): Promise<Account | null> {
      const row = await accounts(trx)
        .whereRaw(...byEmail(email))
        .first<AccountRow | undefined>();
      return row ? toAccount(row) : null;
    },

    /** Whether an address is in use (case-insensitive), by anyone but `exceptId` when given. */
    async emailTaken(
      email: string,
      trx: Knex | Knex.Transaction = db,
      exceptId: number | null = null,
    ): Promise<boolean> {
      const q = trx('users').whereRaw(...byEmail(email));
      if (exceptId !== null) void q.whereNot({ id: exceptId });
      return (await q.first<{ id: number } | undefined>('id')) !== undefined;
    },

    /** Creates a person with permissions; the unique e-mail index turns a double submit into one person. */
    async create(user: NewUser, trx: Knex | Knex.Transaction = db): Promise<number> {
      const [row] = await trx('users')
        .insert({
          email: user.email.trim(),
          name: user.name.trim(),
          password_hash: user.passwordHash,
          unit_id: user.unitId,
          job_role: user.jobRole,
          email_verified_at: user.emailVerified === false ? null : trx.fn.now(),
        })
        .returning<{ id: number }[]>('id');
      if (user.permissions.length) {
        await trx('permissions').insert(
          user.permissions.map((p) => ({
            user_id: row.id,
            kind: p.kind,
            organisation_id: p.organisationId,
            unit_id: p.unitId,
            course_id: p.courseId ?? null,
          })),
        );
      }
      return row.id;
    },

    /** The stored password hash, or null for an unknown id. */
    async passwordHash(id: number): Promise<string | null> {
      const row = await db('users')
        .where({ id })
        .first<{ password_hash: string } | undefined>('password_hash');
      return row ? row.password_hash : null;
    },

    /** Sets a new password hash; `verifyEmail` when a mailed link proved the address is the person's. */
    async setPasswordHash(
      id: number,
      hash: string,
      options: { verifyEmail: boolean },
      trx: Knex | Knex.Transaction = db,
    ): Promise<void> {
      await trx('users')
        .where({ id })
        .update({
          password_hash: hash,
          ...(options.verifyEmail
            ? { email_verified_at: trx.raw('coalesce(email_verified_at, now())') }
            : {}),
        });
    },

    /** The address is the person's from now on (kept as it was if verified before). */
    async markEmailVerified(id: number, trx: Knex | Knex.Transaction = db): Promise<void> {
      await trx('users')
        .where({ id })
        .whereNull('email_verified_at')
        .update({ email_verified_at: trx.fn.now() });
    },

    async touchLogin(id: number): Promise<void> {
      await db('users').where({ id }).update({ last_login_at: db.fn.now() });
    },

    async setContentVariant(id: number, variant: Variant): Promise<void> {
      await db('users').where({ id }).update({ content_variant: variant });
    },

    async setUiLanguage(id: number, lng: Language): Promise<void> {
      await db('users').where({ id }).update({ ui_language: lng });
    },

    permissionsOf,

    /** The account with this address (case-insensitive): its organisation, and whether it is verified and active. */
    async membershipByEmail(
      email: string,
      trx: Knex | Knex.Transaction = db,
    ): Promise<AccountByEmail | null> {
      const row = await trx('users as u')
        .leftJoin('units as un', 'un.id', 'u.unit_id')
        .whereRaw('lower(u.email) = lower(?)', [email.trim()])
        .first<AccountByEmailRow | undefined>(
          'u.id',
          'un.organisation_id',
          'u.email_verified_at',
          'u.disabled_at',
        );
      return row
        ? {
            id: row.id,
            organisationId: row.organisation_id,
            verified: row.email_verified_at !== null,
            active: row.disabled_at === null,
          }
        : null;
    },

    // Added for authoring (issue 12): reviewers of a course, found by e-mail, granted in the caller's transaction.
    /** An active person's id by e-mail address (case-insensitive), or null. */
    async activeIdByEmail(email: string): Promise<number | null> {
      const row = await db('users')
        .whereRaw('lower(email) = lower(?)', [email.trim()])
        .whereNull('disabled_at')
        .first<{ id: number } | undefined>('id');
      return row?.id ?? null;
    },

    /** The people who review a course's drafts. */
    async reviewersOf(courseId: number): Promise<{ id: number; name: string; email: string }[]> {
      return db('permissions as p')
        .join('users as u', 'u.id', 'p.user_id')
        .where({ 'p.kind': 'reviewer', 'p.course_id': courseId })
        .orderBy('u.name')
        .select<{ id: number; name: string; email: string }[]>('u.id', 'u.name', 'u.email');
    },

    /** Makes the person a reviewer of the course (once, however often it is asked). */
    async grantReviewer(userId: number, courseId: number, trx: Knex | Knex.Transaction = db): Promise<void> {
      await trx('permissions')
        .insert({ user_id: userId, kind: 'reviewer', course_id: courseId })
        .onConflict(
          trx.raw(
            '(user_id, kind, coalesce(organisation_id, 0), coalesce(unit_id, 0), coalesce(course_id, 0))',
          ),
        )
        .ignore();
    },

    /** Ends the person's review of the course; false when they were not its reviewer. */
    async revokeReviewer(
      userId: number,
      courseId: number,
      trx: Knex | Knex.Transaction = db,
    ): Promise<boolean> {
      const n = await trx('permissions')
        .where({ kind: 'reviewer', course_id: courseId, user_id: userId })
        .delete();
      return n > 0;
    },

    /** How many active people hold each job role. */
    async countActiveByJobRole(): Promise<Map<string, number>> {
      const rows = await db('users')
        .whereNull('disabled_at')
        .whereNotNull('job_role')
        .groupBy('job_role')
        .select<{ job_role: string; n: string }[]>('job_role', db.raw('count(*) as n'));
      return new Map(rows.map((r) => [r.job_role, Number(r.n)]));
    },
  };
}

/** Where an account with an e-mail address belongs (membershipByEmail): bookings match guests by it. */
export interface AccountByEmail {
  id: number;
  organisationId: number | null;
  verified: boolean;
  active: boolean;
}

interface AccountByEmailRow {
  id: number;
  organisation_id: number | null;
  email_verified_at: Date | null;
  disabled_at: Date | null;
}

export type UsersRepository = ReturnType<typeof usersRepository>;
