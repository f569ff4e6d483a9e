/**
 * Issue 15, several nodes: every node runs the scheduled job (a timer each), so each reminder (60, 30,
 * 7 days, expired), each monthly summary and each manager's reminder must be queued exactly once and each
 * queued mail delivered exactly once, whichever node does it and even when two do it at the same moment.
 * Two service instances (two knex pools) on one database, concurrently; the mails are counted in the
 * outbox and at a real SMTP server on loopback.
 */
import { remindersService } from '../../server/reminders/reminders-service';
import { runScheduledJobs } from '../../server/reminders/scheduled-jobs';
import type { Services } from '../../server/services';
import { buildPerson, buildUnit, SHIPPED_COURSES, startTestApp, type TestApp } from '../support/test-app';
import { courseIds, daysAgo, daysAhead, enrol } from '../stats/hand-made-data';
import { secondNode, type Node } from './second-node';
import { messageIdOf, startSmtpSink, type SmtpSink } from './smtp-sink';

let sink: SmtpSink;
let a: TestApp;
let b: Node;
let c: Awaited<ReturnType<typeof courseIds>>;

beforeAll(async () => {
  sink = await startSmtpSink();
  a = await startTestApp({ coursesDir: SHIPPED_COURSES, env: { SMTP_URL: sink.url } });
  b = secondNode(a);
  c = await courseIds(a.db);
});
afterAll(async () => {
  await (b as Node | undefined)?.close();
  await (a as TestApp | undefined)?.close();
  await (sink as SmtpSink | undefined)?.close();
});

const reminders = (s: Services) =>
  remindersService({
    transaction: s.transaction,
    mail: s.mail,
    i18n: s.i18n,
    stats: s.statsService,
    usersService: s.usersService,
    remindersRepository: s.remindersRepository,
    publicBaseUrl: s.config.publicBaseUrl,
  });
const outboxTo = (emails: string[]) =>
  a.db('outbox_messages').whereIn('to_address', emails).orderBy('id').select('to_address', 'event_key');
const countBy = <T>(items: T[], key: (i: T) => string) =>
  items.reduce((m, i) => m.set(key(i), (m.get(key(i)) ?? 0) + 1), new Map<string, number>());

/** A personal assistant whose required course (grunden) is valid until `validUntil`. */
async function assistant(validUntil: Date) {
  const p = await buildPerson(a.db, { jobRole: 'personlig-assistent' });
  await enrol(a.db, {
    userId: p.id,
    course: c['hjalpmedel-grunden'],
    startedAt: daysAgo(300),
    completedAt: daysAgo(299),
    validUntil,
  });
  return p;
}

describe('reminders and summaries from two nodes at once', () => {
  let due: { email: string }[] = [];

  it('queues each due reminder once when both nodes run the scheduled job at the same moment, again and again', async () => {
    // 40 people, ten in each stage: 60 days, 30 days, 7 days left, and expired.
    const offsets = [45, 20, 5, -3];
    due = await Promise.all(Array.from({ length: 40 }, (_, i) => assistant(daysAhead(offsets[i % 4]))));
    const runs = await Promise.all(
      [a.services, b.services, a.services, b.services].map((s) => runScheduledJobs(s)),
    );
    // One run holds the lock at a time; the others step aside, and later runs find nothing new.
    expect(runs.filter((r) => r.ran).length).toBeGreaterThanOrEqual(1);
    expect(runs.reduce((n, r) => n + r.reminders, 0)).toBe(40);
    await Promise.all([runScheduledJobs(a.services), runScheduledJobs(b.services)]);
    const rows = await outboxTo(due.map((p) => p.email));
    expect(rows).toHaveLength(40);
    expect([...countBy(rows, (r) => r.to_address).values()].every((n) => n === 1)).toBe(true);
    expect([...countBy(rows, (r) => String(r.event_key).split(':').pop() ?? '').entries()].sort()).toEqual([
      ['30', 10],
      ['60', 10],
      ['7', 10],
      ['expired', 10],
    ]);
  });

  it('queues each new stage once even without the job lock: the outbox event key claims the send', async () => {
    // 20 days on the 45-day ones reach the 30-day stage, the 20-day ones the 7-day stage, the 5-day ones
    // have expired. Both nodes queue at the same moment, bypassing the scheduled job's lock.
    const later = daysAhead(20);
    const counts = await Promise.all(
      [a.services, b.services, a.services, b.services].map((s) => reminders(s).sendDue(later)),
    );
    expect(counts.reduce((n, x) => n + x, 0)).toBe(30);
    const rows = await outboxTo(due.map((p) => p.email));
    expect(rows).toHaveLength(70);
    expect(new Set(rows.map((r) => r.event_key)).size).toBe(70);
  });

  it('queues one monthly summary per manager when both nodes send summaries at the same moment', async () => {
    const unit = await buildUnit(a.db);
    await buildPerson(a.db, { unitId: unit.id, jobRole: 'personlig-assistent' });
    const managers = await Promise.all(
      Array.from({ length: 3 }, () =>
        buildPerson(a.db, {
          unitId: unit.id,
          jobRole: 'enhetschef',
          permissions: [{ kind: 'manager', organisationId: null, unitId: unit.id }],
        }),
      ),
    );
    await a
      .db('manager_summary_subscriptions')
      .insert(managers.map((m) => ({ user_id: m.id, created_at: daysAgo(40) })));
    const now = new Date();
    const counts = await Promise.all(
      [a.services, b.services, a.services, b.services].map((s) => reminders(s).sendMonthlySummaries(now)),
    );
    expect(counts.reduce((n, x) => n + x, 0)).toBe(3);
    const rows = await outboxTo(managers.map((m) => m.email));
    expect(rows.map((r) => r.to_address).sort()).toEqual(managers.map((m) => m.email).sort());
  });

  it("sends a manager's reminder once when two nodes get the click at the same moment", async () => {
    const unit = await buildUnit(a.db);
    const lacking = await buildPerson(a.db, { unitId: unit.id, jobRole: 'personlig-assistent' });
    const m = await buildPerson(a.db, {
      unitId: unit.id,
      jobRole: 'enhetschef',
      permissions: [{ kind: 'manager', organisationId: null, unitId: unit.id }],
    });
    const manager = await a.services.users.findActiveById(m.id);
    if (!manager) throw new Error('no manager');
    const outcomes = await Promise.all(
      [a.services, b.services, a.services, b.services].map((s) =>
        s.managerReminders.remindOne(manager, lacking.id, c['hjalpmedel-grunden'].id),
      ),
    );
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['recent', 'recent', 'recent', 'sent']);
    expect(
      await a.db('outbox_messages').where({ to_address: lacking.email }).whereLike('subject', 'Påminnelse:%'),
    ).toHaveLength(1);
  });

  it('delivers every queued mail exactly once over SMTP when both nodes deliver at the same moment', async () => {
    const queued = await a.db('outbox_messages').where({ status: 'queued' }).select('id', 'to_address');
    expect(queued.length).toBeGreaterThanOrEqual(74);
    const handled = await Promise.all(
      [a.services, b.services, a.services, b.services].map((s) => s.mail.deliverQueued(1000)),
    );
    expect(handled.reduce((n, x) => n + x, 0)).toBe(queued.length);
    expect(sink.received).toHaveLength(queued.length);
    const expected = countBy(queued, (r: { to_address: string }) => r.to_address);
    expect(countBy(sink.received, (m) => m.to.join(','))).toEqual(expected);
    // Each mail carries its outbox row's Message-ID, so a copy sent again after a crash is recognisably the same.
    expect(sink.received.map((m) => /^<outbox-(\d+)@/.exec(messageIdOf(m))?.[1]).sort()).toEqual(
      queued.map((r: { id: number }) => String(r.id)).sort(),
    );
    expect(await a.db('outbox_messages').whereNot({ status: 'sent' })).toHaveLength(0);
  });
});
