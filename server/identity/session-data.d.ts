// Issue 16: a sign-in through an identity provider between redirect and callback, or awaiting a choice.
import type { SsoSession } from './sso-session';

declare module 'express-session' {
  interface SessionData {
    sso?: SsoSession;
  }
}

export {};
