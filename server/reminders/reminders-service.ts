/**
 * Reminder e-mails: to a learner 60, 30 and 7 days before a required completion expires and when it
 * has expired, and a monthly summary to managers who chose one. Each goes through the outbox with an
 * event key, so every event is mailed once however often the job runs or how many processes run it.
 */
import type { i18n } from 'i18next';
import type { UsersService } from '../auth/users-service';
import type { InTransaction } from '../db/transaction';
import { formatDate } from '../i18n/i18n';
import type { MailService } from '../mail/mail-service';
import { paths } from '../http/paths';
import type { StatsService } from '../stats/stats-service';
import { STATES } from '../stats/types';
import { currentMonth } from '../stats/stats-validation';
import type { DueReminder, RemindersRepository } from './reminders-repository';

/** How many reminders are queued per transaction. */
const BATCH = 500;

/** The first instant of this month in Swedish time. */
export function monthStart(now: Date): Date {
  const month = currentMonth(now);
  // Midnight in Stockholm is 23:00 or 22:00 UTC the day before; find it from the offset on the 1st.
  const guess = new Date(`${month}-01T00:00:00Z`);
  const offset =
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', timeZoneName: 'shortOffset' })
      .formatToParts(guess)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+1';
  const hours = Number(/GMT([+-]\d+)/.exec(offset)?.[1] ?? 1);
  return new Date(guess.getTime() - hours * 3600_000);
}

export function remindersService(deps: {
  transaction: InTransaction;
  mail: MailService;
  i18n: i18n;
  stats: Pick<StatsService, 'courseTitles' | 'managerScope' | 'managerFigures'>;
  usersService: Pick<UsersService, 'permissionsOf'>;
  remindersRepository: Pick<RemindersRepository, 'due' | 'summaryRecipients' | 'queued'>;
  publicBaseUrl: string;
}) {
  const { transaction, mail, i18n, stats, usersService, publicBaseUrl } = deps;
  const repo = deps.remindersRepository;
  const courseTitles = async () => new Map((await stats.courseTitles()).map((v) => [v.courseId, v.title]));

  function reminderMail(r: DueReminder, title: string) {
    const t = i18n.getFixedT(r.language);
    const date = formatDate(r.validUntil, r.language);
    const params = {
      name: r.name,
      course: title,
      date,
      days: r.stage,
      link: `${publicBaseUrl}${paths.course(r.slug)}`,
    };
    const expired = r.stage === 'expired';
    return {
      to: r.email,
      userId: r.userId,
      subject: t(expired ? 'reminders:expired.subject' : 'reminders:expiring.subject', params),
      text: [
        t('reminders:greeting', params),
        '',
        t(expired ? 'reminders:expired.body' : 'reminders:expiring.body', params),
        '',
        t('reminders:link', params),
        '',
        t('reminders:signature'),
      ].join('\n'),
    };
  }

  return {
    /** Queues every reminder that is due now and not yet sent; returns how many were queued. */
    async sendDue(now: Date): Promise<number> {
      const due = await repo.due(now);
      if (!due.length) return 0;
      const titles = await courseTitles();
      let queued = 0;
      for (let i = 0; i < due.length; i += BATCH) {
        await transaction(async (trx) => {
          for (const r of due.slice(i, i + BATCH)) {
            const key = `reminder:${r.userId}:${r.courseId}:${r.validUntil.toISOString().slice(0, 10)}:${r.stage}`;
            if (await mail.send(reminderMail(r, titles.get(r.courseId) ?? r.slug), { eventKey: key, trx }))
              queued += 1;
          }
        });
      }
      return queued;
    },

    /** Queues this month's summary for every manager who chose one before the month began. */
    async sendMonthlySummaries(now: Date): Promise<number> {
      const month = currentMonth(now);
      const recipients = await repo.summaryRecipients(monthStart(now));
      let queued = 0;
      for (const m of recipients) {
        const key = `summary:${m.userId}:${month}`;
        if (await repo.queued(key)) continue;
        const scope = await stats.managerScope(await usersService.permissionsOf(m.userId));
        if (!scope.unitIds.length) continue;
        const [y, mo] = month.split('-').map(Number);
        const from = mo === 12 ? `${y}-01` : `${y - 1}-${String(mo + 1).padStart(2, '0')}`;
        const figures = await stats.managerFigures(
          scope,
          { unitId: null, jobRole: null, courseId: null, period: { from, to: month } },
          now,
          0,
        );
        const t = i18n.getFixedT(m.language);
        const titles = await courseTitles();
        const perCourse = new Map<number, Record<string, number>>();
        for (const r of figures.byUnitCourse) {
          const c = perCourse.get(r.courseId) ?? Object.fromEntries(STATES.map((s) => [s, 0]));
          for (const s of STATES) c[s] += r.counts[s];
          perCourse.set(r.courseId, c);
        }
        const lines = [...perCourse.entries()]
          .sort((a, b) => (titles.get(a[0]) ?? '').localeCompare(titles.get(b[0]) ?? '', 'sv'))
          .map(
            ([courseId, c]) =>
              `- ${titles.get(courseId) ?? courseId}: ${STATES.map((s) => `${t(`stats:state.${s}`)} ${c[s]}`).join(', ')}`,
          );
        const summaryLink = { link: `${publicBaseUrl}${paths.statsManager}` };
        const text = [
          t('reminders:greeting', { name: m.name }),
          '',
          t('reminders:summary.intro', { staff: figures.staffTotal, lacking: figures.lackingTotal }),
          '',
          ...lines,
          '',
          t('reminders:summary.link', summaryLink),
          t('reminders:summary.unsubscribe'),
          '',
          t('reminders:signature'),
        ].join('\n');
        if (
          await mail.send(
            {
              to: m.email,
              userId: m.userId,
              subject: t('reminders:summary.subject', {
                month: new Intl.DateTimeFormat(m.language === 'en' ? 'en-GB' : 'sv-SE', {
                  month: 'long',
                  year: 'numeric',
                  timeZone: 'UTC',
                }).format(new Date(`${month}-01T00:00:00Z`)),
              }),
              text,
            },
            { eventKey: key },
          )
        )
          queued += 1;
      }
      return queued;
    },
  };
}

export type RemindersService = ReturnType<typeof remindersService>;
