/** Why a sign-in through a provider was refused; each reason has a Swedish explanation in locales/sv/identity.json. */
export const SSO_REASONS = [
  'signature',
  'expired',
  'skew',
  'replay',
  'issuer',
  'audience',
  'state',
  'nonce',
  'provider',
  'disabled',
  'noEmail',
  'unknownProvider',
  'invalid',
  'mailLink',
  'linkSession',
] as const;
export type SsoReason = (typeof SSO_REASONS)[number];

export class SsoError extends Error {
  constructor(
    readonly reason: SsoReason,
    readonly detail?: unknown,
  ) {
    super(`sso refused: ${reason}${detail instanceof Error ? `: ${detail.message}` : ''}`);
  }
}
