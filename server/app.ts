/** createApp(services): the Express app with its middleware and the one list of feature routers. */
import path from 'node:path';
import ejs from 'ejs';
import express, { type Express } from 'express';
import type { Pool } from 'pg';
import { adminRoutes } from './admin/admin-routes';
import { authRoutes } from './auth/auth-routes';
import { authoringRoutes } from './authoring/authoring-routes';
import { billingRoutes } from './billing/billing-routes';
import { bookingsRoutes } from './bookings/bookings-routes';
import { hasPermission } from './auth/types';
import { certificatesRoutes } from './certificates/certificates-routes';
import { coursesRoutes } from './courses/courses-routes';
import { evaluationsRoutes } from './evaluations/evaluations-routes';
import { identityRoutes } from './identity/identity-routes';
import { formBodies } from './http/body-parsing';
import { csrfProtection, csrfToken } from './http/csrf';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { closeConnectionsWhenStopping, readinessRoutes, type Lifecycle } from './http/lifecycle';
import { allowList, HttpMetrics, metricsRoutes } from './http/metrics';
import { noStoreForPeople } from './http/no-store';
import { requestId } from './http/request-id';
import { paths } from './http/paths';
import { statsRoutes } from './stats/stats-routes';
import { securityHeaders } from './http/security-headers';
import { sessionMiddleware } from './http/session';
import { languageMiddleware } from './i18n/i18n';
import { mailRoutes } from './mail/mail-routes';
import { healthRoutes, pagesRoutes } from './pages/pages-routes';
import { privacyRoutes } from './privacy/privacy-routes';
import { quizRoutes } from './quiz/quiz-routes';
import type { Services } from './services';
import { videosRoutes } from './videos/videos-routes';

/** The app, and closeSessions() to stop the session store's clean-up timer at shutdown. */
export type App = Express & { closeSessions(): Promise<void> };

/** `lifecycle` is main's: it says when the node is ready and when it is stopping (tests start ready). */
export function createApp(
  services: Services,
  sessionPool: Pool,
  lifecycle: Lifecycle = { ready: true, shuttingDown: false },
): App {
  const { config } = services;
  const app = express();
  // Views include each other by absolute path from the views folder (`include('/partials/field')`): ejs
  // then skips a file-system check per include per render (3 % of the lesson page's CPU, issue 13).
  app.engine('ejs', (file: string, data: object, done: (error: Error | null, html?: string) => void) => {
    const cache = (data as { cache?: boolean }).cache === true;
    ejs.renderFile(file, data, { root: config.viewsDir, cache }, done);
  });
  app.set('view engine', 'ejs');
  app.set('views', config.viewsDir);
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');

  const metrics = new HttpMetrics();
  app.use(requestId(services.logger));
  app.use(metrics.middleware);
  app.use(closeConnectionsWhenStopping(lifecycle));
  app.use(securityHeaders());
  app.use(
    '/assets',
    express.static(path.join(config.viewsDir, 'assets'), { maxAge: config.production ? '1d' : 0 }),
  );
  app.use(healthRoutes(services));
  app.use(readinessRoutes(lifecycle, services.health.ping));
  app.use(metricsRoutes(metrics, allowList(config.metricsAllow), services.health, sessionPool));
  app.use(formBodies());
  const sessions = sessionMiddleware({
    pool: sessionPool,
    secret: config.sessionSecret,
    secureCookie: config.publicBaseUrl.startsWith('https:'),
    read: services.sessionUsers.read,
  });
  app.use(sessions);
  app.use(services.passport.initialize());
  app.use(services.passport.session());
  app.use(noStoreForPeople);
  app.use(languageMiddleware(services.i18n));
  app.use((req, res, next) => {
    res.locals.user = req.user ?? null;
    res.locals.paths = paths;
    res.locals.currentPath = req.originalUrl;
    res.locals.can = (kind: Parameters<typeof hasPermission>[1]) => hasPermission(req.user, kind);
    res.locals.errors = {};
    next();
  });
  app.use(csrfToken);
  app.use(csrfProtection);

  const featureRoutes = [
    pagesRoutes,
    identityRoutes, // before authRoutes: logging out of a provider's session first
    authRoutes,
    coursesRoutes,
    quizRoutes,
    certificatesRoutes,
    evaluationsRoutes,
    adminRoutes,
    mailRoutes,
    authoringRoutes,
    privacyRoutes,
    statsRoutes,
    videosRoutes,
    bookingsRoutes,
    billingRoutes,
  ];
  for (const routes of featureRoutes) app.use(routes(services));

  app.use(notFoundHandler);
  app.use(errorHandler(services.logger, services.i18n));
  return Object.assign(app, { closeSessions: () => sessions.close() });
}
