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
  /** After signing in: how to end the provider's session too (OIDC: the ID token; SAML: whom the IdP signed in). */
  signedInWith?: SignedInWith;
}

export interface SignedInWith {
  providerId: number;
  idToken?: string;
  saml?: SamlSubject;
}

/** What a SAML LogoutRequest names: the NameID and the IdP's session. */
export interface SamlSubject {
  nameID: string;
  nameIDFormat: string;
  sessionIndex?: string;
}
