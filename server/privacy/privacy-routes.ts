/** Mina uppgifter: what we store about you, and a copy of it to download. */
import { Router } from 'express';
import { accountPaths } from '../auth/account-service';
import { requireLogin, signedInUser } from '../auth/policy';
import { paths } from '../http/paths';
import type { PersonalDataService } from './personal-data';

export function privacyRoutes(deps: { personalData: PersonalDataService }): Router {
  const router = Router();
  router.get(paths.myData, requireLogin, (req, res) => {
    res.render('privacy/my-data', {
      title: req.t('privacy:title'),
      passwordChanged: req.query.losenord === 'bytt',
      changePasswordPath: accountPaths.changePassword,
    });
  });
  router.get(paths.myDataExport, requireLogin, async (req, res) => {
    const data = await deps.personalData.exportFor(signedInUser(req).id);
    res.set({
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': 'attachment; filename="mina-uppgifter.json"',
      'Cache-Control': 'private, no-store',
    });
    res.send(JSON.stringify(data, null, 2));
  });
  return router;
}
