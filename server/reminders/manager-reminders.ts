/**
 * Reminders a manager sends by hand to people who lack a required course (or whose course soon runs
 * out): through the outbox, logged in audit_log, at most once a week per person and course whoever asks.
 */
import type { i18n } from 'i18next';
import type { AuditService } from '../audit/audit-service';
import type { UsersService } from '../auth/users-service';
import type { CurrentUser } from '../auth/types';
import type { InTransaction } from '../db/transaction';
import { notFound } from '../http/errors';
import { paths } from '../http/paths';
import { formatDate } from '../i18n/i18n';
import type { MailService } from '../mail/mail-service';
import type { StatsService } from '../stats/stats-service';
import { currentMonth } from '../stats/stats-validation';
import type { RemindersRepository } from './reminders-repository';
import type { LackingPerson } from '../stats/types';

/** A person gets at most one reminder per course in this many days. */
export const REMINDER_INTERVAL_DAYS = 7;
const INTERVAL_MS = REMINDER_INTERVAL_DAYS * 86_400_000;
const ACTION = 'reminder.manual';

export type RemindOutcome =
  { kind: 'sent' } | { kind: 'recent'; lastSentAt: Date; nextAt: Date } | { kind: 'notLacking' };

/** Reminders sent within the interval, at most one per course: enough to find this course's newest. */
const RECENT_LIMIT = 500;

export function managerRemindersService(deps: {
  transaction: InTransaction;
  audit: AuditService;
  mail: MailService;
  i18n: i18n;
  usersService: Pick<UsersService, 'findAccount'>;
  stats: Pick<StatsService, 'courseTitles' | 'managerScope' | 'personInScope' | 'managerFigures' | 'unitOf'>;
  remindersRepository: Pick<RemindersRepository, 'lock'>;
  publicBaseUrl: string;
}) {
  const { transaction, audit, mail, i18n, usersService, stats, publicBaseUrl } = deps;

  async function titleAndSlug(courseId: number): Promise<{ title: string; slug: string } | null> {
    const v = (await stats.courseTitles()).find((c) => c.courseId === courseId);
    return v ? { title: v.title, slug: v.slug } : null;
  }

  /** When this person was last reminded about this course by any manager, or null. */
  async function lastReminded(userId: number, courseId: number): Promise<Date | null> {
    const recent = await audit.forSubjects([`user:${userId}`], { actions: [ACTION], limit: RECENT_LIMIT });
    return recent.find((e) => e.details.courseId === courseId)?.at ?? null;
  }

  /** Sends one reminder unless one went to this person about this course within the week (locked, so two clicks send one). */
  async function send(
    manager: CurrentUser,
    p: Pick<LackingPerson, 'userId' | 'courseId' | 'state' | 'validUntil'>,
    now: Date,
  ): Promise<RemindOutcome> {
    const course = await titleAndSlug(p.courseId);
    if (!course) return { kind: 'notLacking' };
    return transaction(async (trx) => {
      await deps.remindersRepository.lock(`${ACTION}:${p.userId}:${p.courseId}`, trx);
      const lastSentAt = await lastReminded(p.userId, p.courseId);
      if (lastSentAt && now.getTime() - lastSentAt.getTime() < INTERVAL_MS)
        return { kind: 'recent' as const, lastSentAt, nextAt: new Date(lastSentAt.getTime() + INTERVAL_MS) };
      const person = await usersService.findAccount(p.userId, trx);
      if (!person) return { kind: 'notLacking' as const };
      const lng = person.uiLanguage === 'en' ? 'en' : 'sv';
      const t = i18n.getFixedT(lng);
      const params = {
        name: person.name,
        manager: manager.name,
        course: course.title,
        date: p.validUntil ? formatDate(p.validUntil, lng) : '',
        link: `${publicBaseUrl}${paths.course(course.slug)}`,
      };
      const why = p.state === 'expiring' ? 'expiring' : p.state === 'expired' ? 'expired' : 'missing';
      await mail.send(
        {
          to: person.email,
          subject: t('reminders:manual.subject', params),
          text: [
            t('reminders:greeting', params),
            '',
            t('reminders:manual.intro', params),
            t(`reminders:manual.${why}`, params),
            '',
            t('reminders:link', params),
            '',
            t('reminders:signature'),
          ].join('\n'),
        },
        { trx },
      );
      await audit.record(
        {
          actorId: manager.id,
          action: ACTION,
          subject: `user:${p.userId}`,
          details: { courseId: p.courseId, state: p.state },
        },
        trx,
      );
      return { kind: 'sent' as const };
    });
  }

  return {
    /** Reminds one person in the manager's scope about one course they lack; 404 for anyone outside the scope. */
    async remindOne(
      manager: CurrentUser,
      userId: number,
      courseId: number,
      now = new Date(),
    ): Promise<RemindOutcome & { name: string; course: string }> {
      const scope = await stats.managerScope(manager.permissions);
      if (!(await stats.personInScope(scope, userId))) throw notFound('stats:errors.personNotFound');
      const course = await titleAndSlug(courseId);
      if (!course) throw notFound();
      const [unitId, account] = await Promise.all([stats.unitOf(userId), usersService.findAccount(userId)]);
      if (unitId === null || !account) throw notFound('stats:errors.personNotFound');
      const { name } = account;
      const month = currentMonth(now);
      const figures = await stats.managerFigures(
        { unitIds: [unitId] },
        { unitId, jobRole: null, courseId, period: { from: month, to: month } },
        now,
        null,
      );
      const lacking = figures.lacking.find((p) => p.userId === userId);
      const outcome = lacking ? await send(manager, lacking, now) : ({ kind: 'notLacking' } as const);
      return { ...outcome, name, course: course.title };
    },

    /** Reminds everyone in a list the manager was shown (already scoped); counts who got one and who had one this week. */
    async remindAll(
      manager: CurrentUser,
      lacking: LackingPerson[],
      now = new Date(),
    ): Promise<{ sent: number; recent: number }> {
      let sent = 0;
      let recent = 0;
      for (const p of lacking) {
        const outcome = await send(manager, p, now);
        if (outcome.kind === 'sent') sent += 1;
        else if (outcome.kind === 'recent') recent += 1;
      }
      return { sent, recent };
    },
  };
}

export type ManagerRemindersService = ReturnType<typeof managerRemindersService>;
