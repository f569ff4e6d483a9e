/** Issue 16: sign in with the organisation's identity provider, and its administration. */
import { Router } from 'express';
import { requireLogin, requirePermission } from '../auth/policy';
import { paths } from '../http/paths';
import type { Services } from '../services';
import { identityController, identityPaths } from './identity-controller';
import { refuseNul } from '../http/body-parsing';
import { metadataUpload, providerAdmin, providerAdminPaths } from './provider-admin';

export function identityRoutes(services: Services): Router {
  const router = Router();
  const sso = identityController({
    ...services.identity,
    jobRoles: services.jobRoles,
    logger: services.logger,
    config: services.config,
  });
  const admin = providerAdmin({
    db: services.db,
    providers: services.identity.providers,
    publicBaseUrl: services.config.publicBaseUrl,
  });
  const adminOnly = [requireLogin, requirePermission('admin')];
  router.post(paths.logout, requireLogin, sso.logout);
  router.get(identityPaths.find, sso.find);
  router.get(identityPaths.start(), sso.start);
  router.get(identityPaths.oidcCallback(), sso.oidcCallback);
  router.post(identityPaths.samlAcs(), sso.samlAcs);
  router.get(identityPaths.samlLogout(), sso.samlLogout);
  router.get(identityPaths.samlMetadata(), sso.samlMetadata);
  router.get(identityPaths.complete, sso.showComplete);
  router.post(identityPaths.complete, sso.complete);
  router.get(identityPaths.link, sso.showLink);
  router.post(identityPaths.link, sso.link);
  router.post(identityPaths.linkMail, sso.sendLinkMail);
  router.get(identityPaths.linkByMail(), sso.showLinkByMail);
  router.post(identityPaths.linkByMail(), sso.linkByMail);
  router.get(providerAdminPaths.list, ...adminOnly, admin.list);
  router.post(providerAdminPaths.list, ...adminOnly, metadataUpload, refuseNul, admin.create);
  router.get(providerAdminPaths.provider(), ...adminOnly, admin.show);
  router.post(providerAdminPaths.provider(), ...adminOnly, metadataUpload, refuseNul, admin.update);
  router.post(providerAdminPaths.status(), ...adminOnly, admin.setEnabled);
  return router;
}
