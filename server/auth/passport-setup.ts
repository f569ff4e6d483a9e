/** Passport with the local strategy (e-mail + password); the session holds only the person's id. */
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AuthService } from './auth-service';
import type { UsersRepository } from './users-repository';

export function configurePassport(auth: AuthService, users: UsersRepository): passport.PassportStatic {
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
  instance.deserializeUser((id: number, done) => {
    // A disabled or deleted person is logged out on their next request.
    users.findActiveById(id).then((user) => {
      done(null, user ?? false);
    }, done);
  });
  return instance;
}
