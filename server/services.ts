/** The composition root: knex → repositories → services. Everything the routers need, built once. */
import type { Knex } from 'knex';
import { peopleRepository } from './admin/people-repository';
import { peopleService } from './admin/people-service';
import { feedbackRepository } from './pages/feedback-repository';
import { personalDataRepository } from './privacy/personal-data-repository';
import { personalDataService } from './privacy/personal-data';
import { certificatesService } from './certificates/certificates-service';
import { evaluationsRepository } from './evaluations/evaluations-repository';
import { evaluationsService } from './evaluations/evaluations-service';
import { authoringService } from './authoring/authoring-service';
import { commentsRepository } from './authoring/comments-repository';
import { draftsRepository } from './authoring/drafts-repository';
import { tracksService } from './authoring/tracks-service';
import { accountService } from './auth/account-service';
import { authService } from './auth/auth-service';
import { rateLimits } from './auth/rate-limits';
import { rateLimitsRepository } from './auth/rate-limits-repository';
import { tokensRepository } from './auth/tokens-repository';
import { configurePassport } from './auth/passport-setup';
import { usersRepository } from './auth/users-repository';
import { sessionUsers } from './auth/session-users';
import { usersService } from './auth/users-service';
import { sessionsRepository } from './auth/sessions-repository';
import type { Config } from './config';
import { coursesRepository } from './courses/courses-repository';
import { coursesService } from './courses/courses-service';
import { enrolmentsRepository } from './courses/enrolments-repository';
import { progressRepository } from './courses/progress-repository';
import { publishingService } from './courses/publishing-service';
import { createI18n } from './i18n/i18n';
import { mailService } from './mail/mail-service';
import { outboxRepository } from './mail/outbox-repository';
import type { Logger } from './logger';
import { jobRolesRepository } from './organisations/job-roles-repository';
import { organisationsRepository } from './organisations/organisations-repository';
import { organisationsService } from './organisations/organisations-service';
import { quizRepository } from './quiz/quiz-repository';
import { quizService } from './quiz/quiz-service';
import { statsRepository } from './stats/stats-repository';
import { statsService } from './stats/stats-service';
import { managerRemindersService } from './reminders/manager-reminders';
import { remindersRepository } from './reminders/reminders-repository';
import { remindersService } from './reminders/reminders-service';
import { videosComposition } from './videos/videos-composition';
import { auditRepository } from './audit/audit-repository';
import { auditService } from './audit/audit-service';
import { transactions } from './db/transaction';
import { databaseHealth } from './db/health';
import { bookingsFeature } from './bookings/bookings-composition';
import { identityFeature } from './identity/identity-composition';

export function createServices(config: Config, db: Knex, logger: Logger) {
  const users = usersRepository(db);
  const sessionReader = sessionUsers(users);
  const organisations = organisationsRepository(db);
  const jobRoles = jobRolesRepository(db);
  const courses = coursesRepository(db);
  const enrolments = enrolmentsRepository(db);
  const quiz = quizRepository(db);
  const i18n = createI18n(config.localesDir);
  const mail = mailService({
    outbox: outboxRepository(db),
    transaction: transactions(db),
    logger,
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
  });
  const limits = rateLimits(rateLimitsRepository(db));
  const tokens = tokensRepository(db);
  const organisationsShared = organisationsService({ organisations, jobRoles });
  const usersShared = usersService(users);
  const account = accountService({
    users,
    tokens,
    sessions: sessionsRepository(db),
    transaction: transactions(db),
    mail,
    i18n,
    publicBaseUrl: config.publicBaseUrl,
    countResetMail: (email) => limits.hit(`reset:email:${email.toLowerCase()}`, 3600),
  });
  const auth = authService({
    users,
    organisationsService: organisationsShared,
    account,
    transaction: transactions(db),
  });
  const drafts = draftsRepository(db);
  const stats = statsRepository(db);
  const audit = auditService(auditRepository(db));
  const transaction = transactions(db);
  const learnerCourses = coursesService({ courses, enrolments, progress: progressRepository(db) });
  const publishing = publishingService({ courses, enrolments, transaction });
  const statsShared = statsService({
    stats,
    courses: {
      listLatest: courses.listLatest,
      latestBySlug: learnerCourses.latestBySlug,
      trackFor: courses.trackFor,
      overview: enrolments.overview,
    },
    organisationsService: organisationsShared,
  });
  const reminders = remindersRepository(db);
  return {
    config,
    db,
    health: databaseHealth(db),
    audit,
    transaction,
    logger,
    i18n,
    users,
    usersService: usersShared,
    organisations,
    organisationsService: organisationsShared,
    jobRoles,
    courses,
    enrolments,
    quiz,
    peopleService: peopleService({
      people: peopleRepository(db),
      usersService: usersShared,
      organisationsService: organisationsShared,
      account,
      audit,
      transaction,
    }),
    feedbackInbox: feedbackRepository(db),
    personalData: personalDataService(personalDataRepository(db)),
    certificates: certificatesService({
      completions: {
        completionById: enrolments.completionById,
        completionByCode: enrolments.completionByCode,
        titleOf: courses.titleOf,
      },
      usersService: usersShared,
    }),
    evaluationsService: evaluationsService({
      courses: {
        latestBySlug: courses.latestBySlug,
        enrolmentAwaitingEvaluation: enrolments.enrolmentAwaitingEvaluation,
      },
      evaluations: evaluationsRepository(db),
    }),
    auth,
    account,
    limits,
    tokens,
    passport: configurePassport(auth, users, sessionReader),
    sessionUsers: sessionReader,
    coursesService: learnerCourses,
    publishing,
    quizService: quizService({ transaction, courses: learnerCourses, quiz }),
    mail,
    drafts,
    comments: commentsRepository(db),
    authoring: authoringService({
      transaction,
      audit,
      drafts,
      publishing,
      people: auth,
      mail,
      publicBaseUrl: config.publicBaseUrl,
      coursesDir: config.coursesDir,
    }),
    tracks: tracksService({ transaction, audit, publishing, people: auth, jobRoles }),
    stats,
    statsService: statsShared,
    managerReminders: managerRemindersService({
      transaction,
      audit,
      mail,
      i18n,
      usersService: usersShared,
      stats: statsShared,
      remindersRepository: reminders,
      publicBaseUrl: config.publicBaseUrl,
    }),
    remindersRepository: reminders,
    reminders: remindersService({
      transaction,
      mail,
      i18n,
      stats: statsShared,
      usersService: usersShared,
      remindersRepository: reminders,
      publicBaseUrl: config.publicBaseUrl,
    }),
    // Video library (issue 4): videos, captions, mediaStorage, mediaTools, transcodeQueue, videosService.
    ...videosComposition({ config, db, logger, organisationsService: organisationsShared }),
    ...bookingsFeature({ db, config, i18n, mail, audit, auth, transaction }),
    // Issue 16: identity providers per organisation (OIDC, SAML).
    identity: identityFeature({
      db,
      usersService: usersShared,
      organisationsService: organisationsShared,
      account,
      audit,
      transaction,
      config,
      i18n,
      limits,
    }),
  };
}

export type Services = ReturnType<typeof createServices>;
