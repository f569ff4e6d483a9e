/** Passport with the local strategy (e-mail + password); the session holds only the person's id. */
import type { IncomingMessage } from 'node:http';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AuthService } from './auth-service';
import type { SessionUsers } from './session-users';
import type { UsersRepository } from './users-repository';

export function configurePassport(
  auth: AuthService,
  users: UsersRepository,
  sessionUsers: SessionUsers,
): passport.PassportStatic {
  const instance = new passport.Passport() as unknown as passport.PassportStatic;
  instance.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      auth.authenticate(email, password).then((user) => {
        done(null, user ?? false);
      }, done);
    }),
  );
  instance.serializeUser((user, done) => {
    done(null, user.id);
  });
  instance.deserializeUser(
    (
      req: IncomingMessage & { sessionID?: string },
      id: number,
      done: (err: unknown, user?: Express.User | false) => void,
    ) => {
      // Usually read with the session, in the same query; a disabled or deleted person is not read there
      // nor here, and so is logged out on their next request.
      const read = req.sessionID === undefined ? undefined : sessionUsers.take(req.sessionID, id);
      if (read) {
        done(null, read);
        return;
      }
      users.findActiveById(id).then((user) => {
        done(null, user ?? false);
      }, done);
    },
  );
  return instance;
}
