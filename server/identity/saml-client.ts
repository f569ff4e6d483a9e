/**
 * SAML 2.0 with @node-saml/node-saml: a signed assertion from the configured IdP certificate, our entity id as
 * audience, InResponseTo one of our own recent AuthnRequests (used once), at most a minute of clock skew,
 * and each assertion id accepted once (a replayed response is refused even if its request id were reused).
 */
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import type { ParsedQs } from 'qs';
import { identityPaths } from './identity-paths';
import type { IdentityProvider, ProvidersRepository } from './providers-repository';
import type { SamlRequestState, SamlRequestsRepository } from './saml-requests-repository';
import type { SamlSubject } from './sso-session';
import { certificatesOf } from './saml-metadata';
import { SsoError, type SsoReason } from './sso-errors';

export const CLOCK_SKEW_MS = 60_000;
const inflateRawAsync = promisify(inflateRaw);
/** How long an AuthnRequest can be answered. */
export const REQUEST_LIFETIME_MINUTES = 10;

/** AuthnRequest ids for node-saml (kept by the repository); the value says which provider and why. */
function requestStore(
  requests: SamlRequestsRepository,
  state: SamlRequestState | null,
  removed: { value: SamlRequestState | null },
): CacheProvider {
  return {
    async saveAsync(key) {
      const createdAt = await requests.save(key, state);
      return { value: createdAt.toISOString(), createdAt: createdAt.getTime() };
    },
    // node-saml reads the value as the time the request was made.
    async getAsync(key) {
      return (await requests.madeAt(key))?.toISOString() ?? null;
    },
    async removeAsync(key) {
      if (!key) return null;
      const row = await requests.remove(key);
      if (row) removed.value = row.state;
      return row ? row.created_at.toISOString() : null;
    },
  };
}

export type SamlClient = ReturnType<typeof samlClient>;

/** Our key pair: IdPs encrypt assertions to the certificate; the key decrypts them and signs our requests. */
export interface SpKeys {
  key: string;
  cert: string;
}

export function samlClient(deps: {
  requests: SamlRequestsRepository;
  providers: ProvidersRepository;
  publicBaseUrl: string;
  spKeys: SpKeys | null;
}) {
  const { requests, providers } = deps;
  const spEntityId = `${deps.publicBaseUrl}${identityPaths.samlEntity}`;
  const acsUrl = (providerId: number) => `${deps.publicBaseUrl}${identityPaths.samlAcs(providerId)}`;
  const sloUrl = (providerId: number) => `${deps.publicBaseUrl}${identityPaths.samlLogout(providerId)}`;

  function saml(provider: IdentityProvider, cacheProvider: CacheProvider): SAML {
    return new SAML({
      entryPoint: provider.ssoUrl ?? undefined,
      issuer: spEntityId,
      callbackUrl: acsUrl(provider.id),
      idpCert: certificatesOf(provider.idpCertificate),
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
      logoutCallbackUrl: sloUrl(provider.id),
      ...(deps.spKeys
        ? {
            decryptionPvk: deps.spKeys.key,
            privateKey: deps.spKeys.key,
            signatureAlgorithm: 'sha256' as const,
          }
        : {}),
    });
  }

  return {
    spEntityId,
    acsUrl,
    sloUrl,

    /** Our side, for the IdP's administrator: entity id, certificate, ACS (HTTP-POST) and single logout (HTTP-Redirect). */
    spMetadata(provider: IdentityProvider): string {
      const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      const der = deps.spKeys?.cert.replace(/-----[^-]+-----|\s+/g, '');
      const keys = der
        ? ['signing', 'encryption']
            .map(
              (use) =>
                `    <md:KeyDescriptor use="${use}"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n`,
            )
            .join('')
        : '';
      return (
        `<?xml version="1.0" encoding="UTF-8"?>\n` +
        `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${esc(spEntityId)}">\n` +
        `  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="${der ? 'true' : 'false'}" WantAssertionsSigned="true">\n` +
        keys +
        `    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(sloUrl(provider.id))}"/>\n` +
        `    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(acsUrl(provider.id))}" index="1" isDefault="true"/>\n` +
        `  </md:SPSSODescriptor>\n` +
        `</md:EntityDescriptor>\n`
      );
    },

    /** The LogoutRequest (HTTP-Redirect) that ends the person's session at the IdP; null when the IdP has no logout address. */
    async logoutUrl(provider: IdentityProvider, subject: SamlSubject): Promise<string | null> {
      if (!provider.logoutUrl) return null;
      const store = requestStore(requests, { providerId: provider.id, test: false }, { value: null });
      const profile = { issuer: provider.issuer, ...subject } as Profile;
      return saml(provider, store).getLogoutUrlAsync(profile, '', {});
    },

    /**
     * A LogoutRequest the IdP sends through the browser (another application started the logout): it must be
     * signed by the IdP (HTTP-Redirect signature), come from its issuer and be in time. Returns whom it logs out.
     */
    async verifyLogoutRequest(
      provider: IdentityProvider,
      query: ParsedQs,
      originalQuery: string,
    ): Promise<Profile> {
      if (typeof query.SAMLRequest !== 'string' || typeof query.Signature !== 'string')
        throw new SsoError('signature');
      try {
        const { profile } = await saml(
          provider,
          requestStore(requests, null, { value: null }),
        ).validateRedirectAsync(query, originalQuery);
        if (!profile) throw new SsoError('invalid');
        return profile;
      } catch (error) {
        throw error instanceof SsoError ? error : new SsoError(samlReason(error), error);
      }
    },

    /** Our LogoutResponse to the IdP's LogoutRequest (to its logout address); null when it has none. */
    async logoutResponseUrl(
      provider: IdentityProvider,
      request: Profile,
      relayState: string,
    ): Promise<string | null> {
      if (!provider.logoutUrl) return null;
      return saml(provider, requestStore(requests, null, { value: null })).getLogoutResponseUrlAsync(
        request,
        relayState,
        {},
        true,
      );
    },

    /** The IdP's LogoutResponse (HTTP-Redirect): from this IdP, to one of our own LogoutRequests, used once. */
    async verifyLogoutResponse(
      provider: IdentityProvider,
      query: ParsedQs,
      originalQuery: string,
    ): Promise<void> {
      const removed: { value: SamlRequestState | null } = { value: null };
      const store = requestStore(requests, null, removed);
      try {
        if (typeof query.SAMLResponse !== 'string') throw new SsoError('invalid');
        const result = await saml(provider, store).validateRedirectAsync(query, originalQuery);
        if (!result.loggedOut) throw new SsoError('invalid');
      } catch (error) {
        throw error instanceof SsoError ? error : new SsoError(samlReason(error), error);
      }
      const inResponseTo = /InResponseTo="([^"]+)"/.exec((await inflate(query.SAMLResponse)) ?? '')?.[1];
      if (!inResponseTo || !(await store.removeAsync(inResponseTo))) throw new SsoError('replay');
    },

    async authorizeUrl(provider: IdentityProvider, test: boolean): Promise<string> {
      const state = { providerId: provider.id, test };
      return saml(provider, requestStore(requests, state, { value: null })).getAuthorizeUrlAsync(
        '',
        undefined,
        {},
      );
    },

    /** The verified profile and what its request was for; SsoError for every reason to refuse. */
    async verify(
      provider: IdentityProvider,
      samlResponse: string,
    ): Promise<{ profile: Profile; request: SamlRequestState }> {
      const removed: { value: SamlRequestState | null } = { value: null };
      let profile: Profile | null;
      try {
        ({ profile } = await saml(provider, requestStore(requests, null, removed)).validatePostResponseAsync({
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
      if (!assertionId || !(await providers.useAssertion(provider.id, assertionId)))
        throw new SsoError('replay');
      return { profile, request: removed.value };
    },
  };
}

/** A deflated, base64 SAML message from a redirect URL, as text (null when it is not one). */
async function inflate(message: string): Promise<string | null> {
  try {
    return (await inflateRawAsync(Buffer.from(message, 'base64'))).toString('utf8');
  } catch {
    return null;
  }
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
