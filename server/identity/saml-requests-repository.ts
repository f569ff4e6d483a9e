/** SAML AuthnRequest and LogoutRequest ids in PostgreSQL (shared by every app process), with what each was for. */
import type { Knex } from 'knex';

/** What the AuthnRequest was for: signing in, or an administrator trying the provider. */
export interface SamlRequestState {
  providerId: number;
  test: boolean;
}

interface RequestRow {
  id: string;
  state: SamlRequestState | null;
  created_at: Date;
}

export function samlRequestsRepository(db: Knex, lifetimeMinutes: number) {
  return {
    /** Stores a request id; returns when it was made. */
    async save(id: string, state: SamlRequestState | null): Promise<Date> {
      const [row] = await db('sso_saml_requests')
        .insert({ id, state: JSON.stringify(state) })
        .returning<Pick<RequestRow, 'created_at'>[]>('created_at');
      return row.created_at;
    },
    /** When a request still in time was made, or null. */
    async madeAt(id: string): Promise<Date | null> {
      const row = await db<RequestRow>('sso_saml_requests')
        .where({ id })
        .where('created_at', '>', db.raw(`now() - interval '${lifetimeMinutes} minutes'`))
        .first<Pick<RequestRow, 'created_at'> | undefined>('created_at');
      return row ? row.created_at : null;
    },
    /** Removes a request (it can be answered once); its state and time, or null when there was none. */
    async remove(id: string): Promise<Pick<RequestRow, 'state' | 'created_at'> | null> {
      const rows = await db<RequestRow>('sso_saml_requests')
        .where({ id })
        .del()
        .returning<Pick<RequestRow, 'state' | 'created_at'>[]>(['state', 'created_at']);
      return rows[0] ?? null;
    },
  };
}

export type SamlRequestsRepository = ReturnType<typeof samlRequestsRepository>;
