/**
 * OpenID Connect with openid-client (v6): authorization code with PKCE (S256), state and nonce kept in the
 * session, the ID token verified against the provider's keys (issuer, audience, expiry, nonce).
 * openid-client is an ES module; Node ≥ 20.19 requires it as CommonJS, and the type import names its mode.
 */
import { identityPaths } from './identity-paths';
import type { IdentityProvider } from './providers-repository';
import { SsoError, type SsoReason } from './sso-errors';

import type * as OpenIdClientModule from 'openid-client' with { 'resolution-mode': 'import' };

type OpenIdClient = typeof OpenIdClientModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an ES module, required as CommonJS (see above)
const client = require('openid-client') as OpenIdClient;

/** What the callback needs to check the answer: kept in the session between the redirect and the callback. */
export interface OidcChecks {
  providerId: number;
  state: string;
  nonce: string;
  codeVerifier: string;
  test: boolean;
}

export const CLOCK_SKEW_SECONDS = 60;

const isLoopback = (url: URL) =>
  url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

export type OidcClient = ReturnType<typeof oidcClient>;

export function oidcClient(deps: { publicBaseUrl: string }) {
  const configs = new Map<string, Promise<InstanceType<OpenIdClient['Configuration']>>>();
  const callbackUrl = (providerId: number) =>
    `${deps.publicBaseUrl}${identityPaths.oidcCallback(providerId)}`;

  /** The provider's discovered configuration, fetched once per provider version (a changed setting refetches). */
  function configuration(provider: IdentityProvider) {
    const key = `${provider.id}:${provider.updatedAt.getTime()}`;
    let config = configs.get(key);
    if (!config) {
      const issuer = new URL(provider.metadataUrl || provider.issuer);
      // Plain http only for a provider on this machine (tests, a local broker); never across a network.
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only as a warning sign; loopback only
      const options = isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined;
      // The issue allows a minute of clock skew, as for SAML (openid-client's default is 30 s).
      const metadata = {
        ...(provider.clientSecret ? { client_secret: provider.clientSecret } : {}),
        [client.clockTolerance]: CLOCK_SKEW_SECONDS,
      };
      config = client.discovery(issuer, provider.clientId ?? '', metadata, undefined, options);
      config.catch(() => configs.delete(key));
      configs.set(key, config);
    }
    return config;
  }

  return {
    callbackUrl,

    async authorizeUrl(
      provider: IdentityProvider,
      test: boolean,
    ): Promise<{ url: string; checks: OidcChecks }> {
      let config;
      try {
        config = await configuration(provider);
      } catch (error) {
        throw new SsoError('provider', error);
      }
      const checks = {
        providerId: provider.id,
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
        test,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: callbackUrl(provider.id),
        scope: 'openid email profile',
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, checks };
    },

    /** The verified claims (ID token, then userinfo), and the ID token for logging out at the provider. */
    async callback(
      provider: IdentityProvider,
      currentUrl: URL,
      checks: OidcChecks,
    ): Promise<{ claims: Record<string, unknown>; idToken: string | undefined }> {
      try {
        const config = await configuration(provider);
        const tokens = await client.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) throw new SsoError('invalid');
        // openid-client checks exp (with the tolerance) but not an iat ahead of our clock.
        if (idClaims.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS)
          throw new SsoError('skew', new Error(`iat ${idClaims.iat} is ahead of our clock`));
        const userInfo = await client
          .fetchUserInfo(config, tokens.access_token, idClaims.sub)
          .catch(() => ({}));
        return { claims: { ...userInfo, ...idClaims }, idToken: tokens.id_token };
      } catch (error) {
        if (error instanceof SsoError) throw error;
        throw new SsoError(oidcReason(error), error);
      }
    },

    /** The provider's end-session URL when it has one (Entra ID, most brokers), else null. */
    async endSessionUrl(
      provider: IdentityProvider,
      idToken: string | undefined,
      postLogoutRedirectUri: string,
    ): Promise<string | null> {
      try {
        const config = await configuration(provider);
        if (!config.serverMetadata().end_session_endpoint) return null;
        const parameters: Record<string, string> = {
          post_logout_redirect_uri: postLogoutRedirectUri,
          client_id: provider.clientId ?? '',
        };
        if (idToken) parameters.id_token_hint = idToken;
        return client.buildEndSessionUrl(config, parameters).href;
      } catch {
        return null;
      }
    },
  };
}

function oidcReason(error: unknown): SsoReason {
  // openid-client wraps oauth4webapi's error, whose message says what was wrong.
  const cause = error instanceof Error ? error.cause : undefined;
  const message = [error, cause]
    .map((e) => (e instanceof Error ? e.message : typeof e === 'string' ? e : ''))
    .join(' / ');
  const code = (error as { code?: string }).code ?? '';
  if (/"state"/.test(message)) return 'state';
  if (/nonce/.test(message)) return 'nonce';
  if (/"iss"|issuer/.test(message)) return 'issuer';
  if (/in the future|"nbf"/i.test(message)) return 'skew';
  if (/"exp"|"iat"|timestamp/i.test(message) || code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return 'expired';
  if (/signature/i.test(message)) return 'signature';
  if (code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR' || code === 'OAUTH_RESPONSE_BODY_ERROR')
    return 'provider';
  return 'invalid';
}
