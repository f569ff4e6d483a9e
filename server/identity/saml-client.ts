/**
 * SAML 2.0 with @node-saml/node-saml: a signed assertion from the configured IdP certificate, our entity id as
 * audience, InResponseTo one of our own recent AuthnRequests (used once), at most a minute of clock skew,
 * and each assertion id accepted once (a replayed response is refused even if its request id were reused).
 */
import type { Knex } from 'knex';
import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import type { IdentityProvider } from './providers-repository';
import { SsoError, type SsoReason } from './sso-errors';

export const CLOCK_SKEW_MS = 60_000;
const REQUEST_LIFETIME_MINUTES = 10;

/** What the AuthnRequest was for: signing in, or an administrator trying the provider. */
export interface SamlRequestState {
  providerId: number;
  test: boolean;
}

/** AuthnRequest ids in PostgreSQL (shared by every app process); the value says which provider and why. */
function requestStore(
  db: Knex,
  state: SamlRequestState | null,
  removed: { value: SamlRequestState | null },
): CacheProvider {
  return {
    async saveAsync(key) {
      const [row] = await db('sso_saml_requests')
        .insert({ id: key, state: JSON.stringify(state) })
        .returning('created_at');
      return { value: row.created_at.toISOString(), createdAt: row.created_at.getTime() };
    },
    // node-saml reads the value as the time the request was made.
    async getAsync(key) {
      const row = await db('sso_saml_requests')
        .where({ id: key })
        .where('created_at', '>', db.raw(`now() - interval '${REQUEST_LIFETIME_MINUTES} minutes'`))
        .first('created_at');
      return row ? row.created_at.toISOString() : null;
    },
    async removeAsync(key) {
      if (!key) return null;
      const rows = await db('sso_saml_requests').where({ id: key }).del().returning(['state', 'created_at']);
      if (rows[0]) removed.value = rows[0].state as SamlRequestState;
      return rows[0] ? rows[0].created_at.toISOString() : null;
    },
  };
}

export type SamlClient = ReturnType<typeof samlClient>;

export function samlClient(deps: { db: Knex; publicBaseUrl: string }) {
  const { db } = deps;
  const spEntityId = `${deps.publicBaseUrl}/sso/saml`;
  const acsUrl = (providerId: number) => `${deps.publicBaseUrl}/sso/${providerId}/saml`;

  function saml(provider: IdentityProvider, cacheProvider: CacheProvider): SAML {
    return new SAML({
      entryPoint: provider.ssoUrl ?? undefined,
      issuer: spEntityId,
      callbackUrl: acsUrl(provider.id),
      idpCert: provider.idpCertificate ?? '',
      idpIssuer: provider.issuer,
      audience: spEntityId,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: CLOCK_SKEW_MS,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: REQUEST_LIFETIME_MINUTES * 60_000,
      cacheProvider,
      identifierFormat: null,
      disableRequestedAuthnContext: true,
      logoutUrl: provider.logoutUrl ?? undefined,
    });
  }

  return {
    spEntityId,
    acsUrl,

    async authorizeUrl(provider: IdentityProvider, test: boolean): Promise<string> {
      const state = { providerId: provider.id, test };
      return saml(provider, requestStore(db, state, { value: null })).getAuthorizeUrlAsync('', undefined, {});
    },

    /** The verified profile and what its request was for; SsoError for every reason to refuse. */
    async verify(
      provider: IdentityProvider,
      samlResponse: string,
    ): Promise<{ profile: Profile; request: SamlRequestState }> {
      const removed: { value: SamlRequestState | null } = { value: null };
      let profile: Profile | null;
      try {
        ({ profile } = await saml(provider, requestStore(db, null, removed)).validatePostResponseAsync({
          SAMLResponse: samlResponse,
        }));
      } catch (error) {
        throw new SsoError(samlReason(error), error);
      }
      if (!profile || !removed.value || removed.value.providerId !== provider.id)
        throw new SsoError('replay');
      // node-saml compares idpIssuer only on logout messages; the assertion's issuer must be the configured IdP.
      if (profile.issuer !== provider.issuer)
        throw new SsoError('issuer', new Error(`issuer ${profile.issuer}`));
      const assertionId = assertionIdOf(profile);
      if (!assertionId || !(await usedOnce(db, provider.id, assertionId))) throw new SsoError('replay');
      return { profile, request: removed.value };
    },
  };
}

async function usedOnce(db: Knex, providerId: number, assertionId: string): Promise<boolean> {
  const rows = await db('sso_used_assertions')
    .insert({ provider_id: providerId, assertion_id: assertionId })
    .onConflict(['provider_id', 'assertion_id'])
    .ignore()
    .returning('assertion_id');
  return rows.length === 1;
}

function assertionIdOf(profile: Profile): string | null {
  const assertion = profile.getAssertion?.() as { Assertion?: { $?: { ID?: string } } } | undefined;
  return assertion?.Assertion?.$?.ID ?? null;
}

/** node-saml's error messages, sorted into the reasons we explain to people and log. */
function samlReason(error: unknown): SsoReason {
  const message = error instanceof Error ? error.message : String(error);
  if (/signature/i.test(message)) return 'signature';
  if (/not yet valid/i.test(message)) return 'skew';
  if (/NotOnOrAfter|expired|subject confirmation/i.test(message)) return 'expired';
  if (/InResponseTo/i.test(message)) return 'replay';
  if (/issuer/i.test(message)) return 'issuer';
  if (/audience/i.test(message)) return 'audience';
  return 'invalid';
}
