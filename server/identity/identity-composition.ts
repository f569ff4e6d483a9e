/** The identity feature's parts, built once in the composition root. */
import fs from 'node:fs';
import type { i18n } from 'i18next';
import type { Knex } from 'knex';
import type { AuditService } from '../audit/audit-service';
import type { AccountService } from '../auth/account-service';
import type { RateLimits } from '../auth/rate-limits';
import type { UsersService } from '../auth/users-service';
import type { InTransaction } from '../db/transaction';
import type { OrganisationsService } from '../organisations/organisations-service';
import { oidcClient } from './oidc-client';
import { providersRepository } from './providers-repository';
import { providersService } from './providers-service';
import { REQUEST_LIFETIME_MINUTES, samlClient } from './saml-client';
import { samlRequestsRepository } from './saml-requests-repository';
import { ssoService } from './sso-service';

export function identityFeature(deps: {
  db: Knex;
  usersService: UsersService;
  organisationsService: OrganisationsService;
  account: AccountService;
  audit: AuditService;
  transaction: InTransaction;
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
    admin: providersService({ providers, audit: deps.audit, transaction: deps.transaction }),
    sso: ssoService({
      users: deps.usersService,
      organisations: deps.organisationsService,
      providers,
      account: deps.account,
      audit: deps.audit,
      transaction: deps.transaction,
      limits: deps.limits,
      i18n: deps.i18n,
      publicBaseUrl: deps.config.publicBaseUrl,
    }),
    oidc: oidcClient({ publicBaseUrl: deps.config.publicBaseUrl }),
    saml: samlClient({
      requests: samlRequestsRepository(deps.db, REQUEST_LIFETIME_MINUTES),
      providers,
      publicBaseUrl: deps.config.publicBaseUrl,
      spKeys,
    }),
  };
}

export type IdentityFeature = ReturnType<typeof identityFeature>;
