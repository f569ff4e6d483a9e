/** Identity providers per organisation and the external identities they sign in. */
import type { Knex } from 'knex';

export type ProviderKind = 'oidc' | 'saml';

export interface IdentityProvider {
  id: number;
  organisationId: number;
  organisationName: string;
  kind: ProviderKind;
  displayName: string;
  /** OIDC: the issuer URL. SAML: the IdP's entity id. */
  issuer: string;
  metadataUrl: string | null;
  metadataXml: string | null;
  /** SAML: where the AuthnRequest goes. */
  ssoUrl: string | null;
  logoutUrl: string | null;
  clientId: string | null;
  clientSecret: string | null;
  idpCertificate: string | null;
  claims: { email: string; name: string; unit: string | null; jobRole: string | null };
  emailDomains: string[];
  enabled: boolean;
  updatedAt: Date;
}

export type ProviderInput = Omit<
  IdentityProvider,
  'id' | 'organisationName' | 'enabled' | 'updatedAt' | 'clientSecret'
> & { clientSecret: string | null };

interface Row {
  id: number;
  organisation_id: number;
  organisation_name: string;
  kind: ProviderKind;
  display_name: string;
  issuer: string;
  metadata_url: string | null;
  metadata_xml: string | null;
  sso_url: string | null;
  logout_url: string | null;
  client_id: string | null;
  client_secret: string | null;
  idp_certificate: string | null;
  claim_email: string;
  claim_name: string;
  claim_unit: string | null;
  claim_job_role: string | null;
  email_domains: string[];
  enabled: boolean;
  updated_at: Date;
}

const toProvider = (r: Row): IdentityProvider => ({
  id: r.id,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  kind: r.kind,
  displayName: r.display_name,
  issuer: r.issuer,
  metadataUrl: r.metadata_url,
  metadataXml: r.metadata_xml,
  ssoUrl: r.sso_url,
  logoutUrl: r.logout_url,
  clientId: r.client_id,
  clientSecret: r.client_secret,
  idpCertificate: r.idp_certificate,
  claims: { email: r.claim_email, name: r.claim_name, unit: r.claim_unit, jobRole: r.claim_job_role },
  emailDomains: r.email_domains,
  enabled: r.enabled,
  updatedAt: r.updated_at,
});

const toRow = (p: ProviderInput) => ({
  organisation_id: p.organisationId,
  kind: p.kind,
  display_name: p.displayName,
  issuer: p.issuer,
  metadata_url: p.metadataUrl,
  metadata_xml: p.metadataXml,
  sso_url: p.ssoUrl,
  logout_url: p.logoutUrl,
  client_id: p.clientId,
  idp_certificate: p.idpCertificate,
  claim_email: p.claims.email,
  claim_name: p.claims.name,
  claim_unit: p.claims.unit,
  claim_job_role: p.claims.jobRole,
  email_domains: p.emailDomains.map((d) => d.toLowerCase()),
});

export function providersRepository(db: Knex) {
  const select = (q: Knex = db) =>
    q<Row>('identity_providers as p')
      .join('organisations as o', 'o.id', 'p.organisation_id')
      .select('p.*', 'o.name as organisation_name');
  return {
    async find(id: number): Promise<IdentityProvider | null> {
      const row = await select().where('p.id', id).first<Row | undefined>();
      return row ? toProvider(row) : null;
    },
    async list(): Promise<IdentityProvider[]> {
      return (await select().orderBy(['o.name', 'p.id']).select<Row[]>()).map(toProvider);
    },
    /** Organisations that sign their people in with a provider, for the login page's list. */
    async listEnabled(): Promise<IdentityProvider[]> {
      return (await select().where('p.enabled', true).orderBy(['o.name', 'p.id']).select<Row[]>()).map(
        toProvider,
      );
    },
    async findEnabledByDomain(domain: string): Promise<IdentityProvider | null> {
      const row = await select()
        .where('p.enabled', true)
        .whereRaw('? = any(p.email_domains)', [domain.toLowerCase()])
        .orderBy('p.id')
        .first<Row | undefined>();
      return row ? toProvider(row) : null;
    },
    async create(p: ProviderInput, trx: Knex = db): Promise<number> {
      const [row] = await trx('identity_providers')
        .insert({ ...toRow(p), client_secret: p.clientSecret })
        .returning<{ id: number }[]>('id');
      return row.id;
    },
    /** An empty secret keeps the stored one (it is never shown, so the form cannot send it back). */
    async update(id: number, p: ProviderInput, trx: Knex = db): Promise<void> {
      await trx('identity_providers')
        .where({ id })
        .update({
          ...toRow(p),
          ...(p.clientSecret ? { client_secret: p.clientSecret } : {}),
          updated_at: trx.fn.now(),
        });
    },
    async setEnabled(id: number, enabled: boolean, trx: Knex = db): Promise<void> {
      await trx('identity_providers').where({ id }).update({ enabled, updated_at: trx.fn.now() });
    },
    async userFor(providerId: number, subject: string): Promise<number | null> {
      const row = await db('external_identities')
        .where({ provider_id: providerId, subject })
        .first<{ user_id: number } | undefined>('user_id');
      return row ? row.user_id : null;
    },
    async link(providerId: number, subject: string, userId: number, trx: Knex = db): Promise<void> {
      await trx('external_identities')
        .insert({ provider_id: providerId, subject, user_id: userId, last_login_at: trx.fn.now() })
        .onConflict(['provider_id', 'subject'])
        .ignore();
    },
    /** Notes when the person last signed in through the provider. */
    async touchLogin(providerId: number, userId: number): Promise<void> {
      await db('external_identities')
        .where({ provider_id: providerId, user_id: userId })
        .update({ last_login_at: db.fn.now() });
    },
    /** Records an assertion id; false when it was already used (a replayed response). */
    async useAssertion(providerId: number, assertionId: string): Promise<boolean> {
      const rows = await db('sso_used_assertions')
        .insert({ provider_id: providerId, assertion_id: assertionId })
        .onConflict(['provider_id', 'assertion_id'])
        .ignore()
        .returning<{ assertion_id: string }[]>('assertion_id');
      return rows.length === 1;
    },
  };
}

export type ProvidersRepository = ReturnType<typeof providersRepository>;
