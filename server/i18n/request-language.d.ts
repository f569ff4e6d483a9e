// The language of a request (`req.lng`, `req.t`) and one chosen before logging in (the session's `lang`).
import type { TFunction } from 'i18next';
import type { Language } from './i18n';

declare global {
  namespace Express {
    interface Request {
      lng: Language;
      t: TFunction;
    }
    /** What the language middleware gives every view (the error handler also runs before it: see there). */
    interface Locals {
      t: TFunction;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    lang?: Language;
  }
}

export {};
