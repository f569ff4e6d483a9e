/** Issue 16: sign in with the organisation's identity provider, and its administration. */
import { Router } from 'express';
import type { AuditService } from '../audit/audit-service';
import { requireLogin, requirePermission } from '../auth/policy';
import { refuseNul } from '../http/body-parsing';
import { paths } from '../http/paths';
import type { Logger } from '../logger';
import type { OrganisationsService } from '../organisations/organisations-service';
import type { IdentityFeature } from './identity-composition';
import { identityController } from './identity-controller';
import { identityPaths, providerAdminPaths } from './identity-paths';
import { metadataUpload, providerAdmin } from './provider-admin';

/** What the identity routes use: the feature's own parts and the services of the features it calls. */
export interface IdentityDeps {
  identity: IdentityFeature;
  organisationsService: OrganisationsService;
  audit: AuditService;
  logger: Logger;
  config: { publicBaseUrl: string };
}

export function identityRoutes(deps: IdentityDeps): Router {
  const router = Router();
  const { identity } = deps;
  const sso = identityController({
    providers: identity.providers,
    sso: identity.sso,
    oidc: identity.oidc,
    saml: identity.saml,
    audit: deps.audit,
    organisations: deps.organisationsService,
    logger: deps.logger,
    config: deps.config,
  });
  const admin = providerAdmin({
    providers: identity.admin,
    organisations: deps.organisationsService,
    publicBaseUrl: deps.config.publicBaseUrl,
  });
  const adminOnly = [requireLogin, requirePermission('admin')];
  router.post(paths.logout, requireLogin, sso.logout);
  router.get(identityPaths.find, sso.find);
  router.get(identityPaths.start(), sso.start);
  router.get(identityPaths.oidcCallback(), sso.oidcCallback);
  router.post(identityPaths.samlAcs(), sso.samlAcs);
  router.get(identityPaths.samlLogout(), sso.samlLogout);
  router.get(identityPaths.samlMetadata(), sso.samlMetadata);
  router.route(identityPaths.complete).get(sso.showComplete).post(sso.complete);
  router.route(identityPaths.link).get(sso.showLink).post(sso.link);
  router.post(identityPaths.linkMail, sso.sendLinkMail);
  router.route(identityPaths.linkByMail()).get(sso.showLinkByMail).post(sso.linkByMail);
  router
    .route(providerAdminPaths.list)
    .all(adminOnly)
    .get(admin.list)
    .post(metadataUpload, refuseNul, admin.create);
  router
    .route(providerAdminPaths.provider())
    .all(adminOnly)
    .get(admin.show)
    .post(metadataUpload, refuseNul, admin.update);
  router.post(providerAdminPaths.status(), ...adminOnly, admin.setEnabled);
  return router;
}
