import { Router } from 'express';
import { accountPaths } from '../auth/account-service';
import { requireLogin, requirePermission } from '../auth/policy';
import { paths } from '../http/paths';
import { adminController, type AdminDeps } from './admin-controller';

export function adminRoutes(deps: AdminDeps): Router {
  const router = Router();
  const admin = adminController(deps);
  const adminOnly = [requireLogin, requirePermission('admin')];
  router.get(paths.admin, ...adminOnly, (_req, res) => {
    res.redirect(paths.adminPeople);
  });
  router.get(paths.adminPeople, ...adminOnly, admin.people);
  router.get(paths.adminPersonNew, ...adminOnly, admin.newPerson);
  router.post(paths.adminPeople, ...adminOnly, admin.createPerson);
  router.get(paths.adminPerson(), ...adminOnly, admin.person);
  router.post(paths.adminPerson(), ...adminOnly, admin.updatePerson);
  router.post(paths.adminPersonStatus(), ...adminOnly, admin.setDisabled);
  router.post(accountPaths.adminSendReset(), ...adminOnly, admin.sendReset);
  router.get(paths.adminUnits, ...adminOnly, admin.units);
  router.get(paths.adminFeedback, ...adminOnly, admin.feedback);
  router.post(paths.adminFeedback, ...adminOnly, admin.handleFeedback);
  router.post(paths.adminUnitCode(), ...adminOnly, admin.unitCode);
  return router;
}
