// The signed-in person on every request (`req.user`, from passport) and where to return after login.
import type { CurrentUser } from './types';

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- passport's User is declared empty; this fills it
    interface User extends CurrentUser {}
  }
}

declare module 'express-session' {
  interface SessionData {
    returnTo?: string;
  }
}

export {};
