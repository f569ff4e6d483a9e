/** The identity feature's parts, built once in the composition root. */
import fs from 'node:fs';
import type { i18n } from 'i18next';
import type { Knex } from 'knex';
import type { AccountService } from '../auth/account-service';
import type { RateLimits } from '../auth/rate-limits';
import type { UsersRepository } from '../auth/users-repository';
import { oidcClient } from './oidc-client';
import { providersRepository } from './providers-repository';
import { samlClient } from './saml-client';
import { ssoService } from './sso-service';

export function identityFeature(deps: {
  db: Knex;
  users: UsersRepository;
  account: AccountService;
  limits: RateLimits;
  i18n: i18n;
  config: { publicBaseUrl: string; samlSpKeyFile?: string; samlSpCertFile?: string };
}) {
  const providers = providersRepository(deps.db);
  const { samlSpKeyFile, samlSpCertFile } = deps.config;
  const spKeys =
    samlSpKeyFile && samlSpCertFile
      ? { key: fs.readFileSync(samlSpKeyFile, 'utf8'), cert: fs.readFileSync(samlSpCertFile, 'utf8') }
      : null;
  return {
    providers,
    sso: ssoService({
      db: deps.db,
      users: deps.users,
      providers,
      account: deps.account,
      limits: deps.limits,
      i18n: deps.i18n,
      publicBaseUrl: deps.config.publicBaseUrl,
    }),
    oidc: oidcClient({ publicBaseUrl: deps.config.publicBaseUrl }),
    saml: samlClient({ db: deps.db, publicBaseUrl: deps.config.publicBaseUrl, spKeys }),
  };
}
