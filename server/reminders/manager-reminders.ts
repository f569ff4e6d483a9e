/**
 * Reminders a manager sends by hand to people who lack a required course (or whose course soon runs
 * out): through the outbox, logged in audit_log, at most once a week per person and course whoever asks.
 */
import type { Knex } from 'knex';
import type { i18n } from 'i18next';
import type { CurrentUser } from '../auth/types';
import type { CoursesRepository } from '../courses/courses-repository';
import { notFound } from '../http/errors';
import { paths } from '../http/paths';
import { formatDate } from '../i18n/i18n';
import type { MailService } from '../mail/mail-service';
import type { StatsRepository } from '../stats/stats-repository';
import { currentMonth } from '../stats/stats-validation';
import type { LackingPerson } from '../stats/types';

/** A person gets at most one reminder per course in this many days. */
export const REMINDER_INTERVAL_DAYS = 7;
const INTERVAL_MS = REMINDER_INTERVAL_DAYS * 86_400_000;
const ACTION = 'reminder.manual';

export type RemindOutcome =
  { kind: 'sent' } | { kind: 'recent'; lastSentAt: Date; nextAt: Date } | { kind: 'notLacking' };

export function managerRemindersService(deps: {
  db: Knex;
  mail: MailService;
  i18n: i18n;
  courses: CoursesRepository;
  stats: StatsRepository;
  publicBaseUrl: string;
}) {
  const { db, mail, i18n, courses, stats, publicBaseUrl } = deps;

  async function titleAndSlug(courseId: number): Promise<{ title: string; slug: string } | null> {
    const v = (await courses.listLatest()).find((c) => c.courseId === courseId);
    return v ? { title: v.content.title.standard, slug: v.content.slug } : null;
  }

  /** Sends one reminder unless one went to this person about this course within the week (locked, so two clicks send one). */
  async function send(
    manager: CurrentUser,
    p: Pick<LackingPerson, 'userId' | 'courseId' | 'state' | 'validUntil'>,
    now: Date,
  ): Promise<RemindOutcome> {
    const course = await titleAndSlug(p.courseId);
    if (!course) return { kind: 'notLacking' };
    return db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`${ACTION}:${p.userId}:${p.courseId}`]);
      const last = await trx('audit_log')
        .where({ action: ACTION, subject: `user:${p.userId}` })
        .whereRaw("details->>'courseId' = ?", [String(p.courseId)])
        .max('at as at')
        .first();
      const lastSentAt = last?.at ? new Date(last.at) : null;
      if (lastSentAt && now.getTime() - lastSentAt.getTime() < INTERVAL_MS)
        return { kind: 'recent' as const, lastSentAt, nextAt: new Date(lastSentAt.getTime() + INTERVAL_MS) };
      const person = await trx('users').where({ id: p.userId }).first('email', 'name', 'ui_language');
      const lng = person.ui_language === 'en' ? 'en' : 'sv';
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
      await trx('audit_log').insert({
        actor_id: manager.id,
        action: ACTION,
        subject: `user:${p.userId}`,
        details: JSON.stringify({ courseId: p.courseId, state: p.state }),
        at: now,
      });
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
      const { unit_id: unitId, name } = await db('users').where({ id: userId }).first('unit_id', 'name');
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
