/** What a sign-in through a provider keeps in the session between its steps. */
import type { OidcChecks } from './oidc-client';

/** A person the provider vouched for, not yet an account here (ask for unit and job role) or not yet linked (prove the password). */
export interface ExternalPerson {
  providerId: number;
  subject: string;
  email: string;
  name: string;
  unitName: string | null;
  jobRole: string | null;
}

export interface SsoSession {
  oidc?: OidcChecks;
  pending?: ExternalPerson & { step: 'complete' | 'link' };
  /** After signing in: how to end the provider's session too. */
  signedInWith?: { providerId: number; idToken?: string };
}
