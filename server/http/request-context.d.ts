import type { TFunction } from 'i18next';
import type { CurrentUser } from '../auth/types';
import type { Language } from '../i18n/i18n';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends CurrentUser {}
    interface Request {
      lng: Language;
      t: TFunction;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    lang?: Language;
    returnTo?: string;
    /** Issue 16: a sign-in through an identity provider between redirect and callback, or awaiting a choice. */
    sso?: import('../identity/sso-session').SsoSession;
  }
}

export {};
