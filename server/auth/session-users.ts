/**
 * Issue 13: a logged-in request reads its session and its person in one query instead of two. The
 * session store asks `read`, which keeps the person for passport's deserializer to `take` a moment later
 * in the same request; anything not taken (an aborted request) is dropped when the map grows.
 */
import type { SessionData } from 'express-session';
import type { CurrentUser } from './types';
import type { UsersRepository } from './users-repository';

const MOST_WAITING = 10_000;

export function sessionUsers(users: UsersRepository) {
  const waiting = new Map<string, CurrentUser>();
  return {
    async read(sid: string): Promise<SessionData | null> {
      const found = await users.findSessionWithActiveUser(sid);
      if (found?.user) {
        if (waiting.size >= MOST_WAITING) waiting.clear();
        waiting.set(sid, found.user);
      } else waiting.delete(sid);
      return found?.sess ?? null;
    },

    /** The person read with session `sid`, if it is person `id`; each read is taken once. */
    take(sid: string, id: number): CurrentUser | undefined {
      const user = waiting.get(sid);
      waiting.delete(sid);
      return user?.id === id ? user : undefined;
    },
  };
}

export type SessionUsers = ReturnType<typeof sessionUsers>;
