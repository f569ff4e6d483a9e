/** The identity feature's parts, built once in the composition root. */
import type { Knex } from 'knex';
import type { UsersRepository } from '../auth/users-repository';
import { oidcClient } from './oidc-client';
import { providersRepository } from './providers-repository';
import { samlClient } from './saml-client';
import { ssoService } from './sso-service';

export function identityFeature(deps: {
  db: Knex;
  users: UsersRepository;
  config: { publicBaseUrl: string };
}) {
  const providers = providersRepository(deps.db);
  return {
    providers,
    sso: ssoService({ db: deps.db, users: deps.users, providers }),
    oidc: oidcClient({ publicBaseUrl: deps.config.publicBaseUrl }),
    saml: samlClient({ db: deps.db, publicBaseUrl: deps.config.publicBaseUrl }),
  };
}
