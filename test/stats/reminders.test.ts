/** Reminder e-mails 60, 30 and 7 days before a required completion expires and at expiry, once per event; monthly summaries. */
import { remindersService } from '../../server/reminders/reminders-service';
import { runScheduledJobs } from '../../server/reminders/scheduled-jobs';
import { buildPerson, buildUnit, SHIPPED_COURSES, startTestApp, type TestApp } from '../support/test-app';
import { courseIds, daysAgo, daysAhead, enrol } from './hand-made-data';

let t: TestApp;
let c: Awaited<ReturnType<typeof courseIds>>;

beforeAll(async () => {
  t = await startTestApp({
    coursesDir: SHIPPED_COURSES,
    env: { PUBLIC_BASE_URL: 'https://skola.example.se' },
  });
  c = await courseIds(t.db);
});
afterAll(async () => {
  await (t as TestApp | undefined)?.close();
});

const service = () =>
  remindersService({
    transaction: t.services.transaction,
    mail: t.services.mail,
    i18n: t.services.i18n,
    stats: t.services.statsService,
    usersService: t.services.usersService,
    remindersRepository: t.services.remindersRepository,
    publicBaseUrl: 'https://skola.example.se',
  });
const outbox = async (to: string) =>
  t
    .db('outbox_messages')
    .where({ to_address: to })
    .orderBy('id')
    .select('subject', 'text_body', 'event_key', 'status');

/** A personal assistant (grunden and förflyttning required) whose grunden completion is valid until `validUntil`. */
async function assistant(
  name: string,
  validUntil: Date,
  o: { disabled?: boolean; language?: 'sv' | 'en' } = {},
) {
  const p = await buildPerson(t.db, { jobRole: 'personlig-assistent', name });
  if (o.disabled)
    await t
      .db('users')
      .where({ id: p.id })
      .update({ disabled_at: daysAgo(1) });
  if (o.language) await t.db('users').where({ id: p.id }).update({ ui_language: o.language });
  await enrol(t.db, {
    userId: p.id,
    course: c['hjalpmedel-grunden'],
    startedAt: daysAgo(300),
    completedAt: daysAgo(299),
    validUntil,
  });
  return p;
}

describe('reminders', () => {
  it('mails each stage once, the most urgent reached, to active learners with a required course', async () => {
    const in45 = await assistant('Femtio Fem', daysAhead(45));
    const in5 = await assistant('Sju Fem', daysAhead(5), { language: 'en' });
    const expired3 = await assistant('Utgången Tre', daysAgo(3));
    const expiredLongAgo = await assistant('Utgången Länge', daysAgo(100));
    const disabled = await assistant('Avstängd', daysAhead(20), { disabled: true });
    const later = await assistant('Långt Kvar', daysAhead(200));
    const renewed = await assistant('Förnyad', daysAgo(2));
    await enrol(t.db, {
      userId: renewed.id,
      course: c['hjalpmedel-grunden'],
      startedAt: daysAgo(2),
      completedAt: daysAgo(1),
    });
    // A recommended course (kognition for a personal assistant) gets no reminder.
    await enrol(t.db, {
      userId: later.id,
      course: c.kognition,
      startedAt: daysAgo(360),
      completedAt: daysAgo(359),
      validUntil: daysAhead(6),
    });

    const now = new Date();
    const first = await service().sendDue(now);
    expect(first).toBe(3);
    expect(await service().sendDue(now)).toBe(0);

    const m45 = await outbox(in45.email);
    expect(m45).toHaveLength(1);
    expect(m45[0].subject).toBe('Din kurs Hjälpmedel – grunden går ut inom 60 dagar');
    expect(m45[0].text_body).toContain('Hej Femtio Fem!');
    expect(m45[0].text_body).toContain('https://skola.example.se/kurser/hjalpmedel-grunden');
    expect(m45[0].event_key).toMatch(/^reminder:\d+:\d+:\d{4}-\d{2}-\d{2}:60$/);
    expect((await outbox(in5.email))[0].subject).toBe(
      'Your course Hjälpmedel – grunden expires within 7 days',
    );
    expect((await outbox(expired3.email))[0].subject).toBe('Din kurs Hjälpmedel – grunden har gått ut');
    for (const p of [expiredLongAgo, disabled, later, renewed]) expect(await outbox(p.email)).toHaveLength(0);

    // 20 days on, the 45-day one reaches the 30-day stage (a new event); the 7-day one has expired.
    const later20 = new Date(now.getTime() + 20 * 86_400_000);
    expect(await service().sendDue(later20)).toBeGreaterThanOrEqual(2);
    expect((await outbox(in45.email)).map((m) => m.event_key.split(':').pop())).toEqual(['60', '30']);
    expect((await outbox(in5.email)).map((m) => m.event_key.split(':').pop())).toEqual(['7', 'expired']);

    await t.services.mail.deliverQueued(500);
    expect((await outbox(in45.email)).every((m) => m.status === 'kept')).toBe(true);
  });
});

describe('monthly summaries', () => {
  it('go once a month to managers who chose them before the month began', async () => {
    const unit = await buildUnit(t.db, { name: 'Summeringsenheten' });
    await assistant('Utan Kurs', daysAhead(400));
    const staff = await buildPerson(t.db, {
      unitId: unit.id,
      jobRole: 'personlig-assistent',
      name: 'Personal Ett',
    });
    await enrol(t.db, {
      userId: staff.id,
      course: c['hjalpmedel-grunden'],
      startedAt: daysAgo(30),
      completedAt: daysAgo(29),
    });
    await buildPerson(t.db, { unitId: unit.id, jobRole: 'personlig-assistent', name: 'Personal Två' });
    const chosen = await buildPerson(t.db, {
      unitId: unit.id,
      jobRole: 'enhetschef',
      name: 'Chef Vald',
      permissions: [{ kind: 'manager', organisationId: null, unitId: unit.id }],
    });
    const fresh = await buildPerson(t.db, {
      unitId: unit.id,
      jobRole: 'enhetschef',
      name: 'Chef Ny',
      permissions: [{ kind: 'manager', organisationId: null, unitId: unit.id }],
    });
    await t
      .db('manager_summary_subscriptions')
      .insert([{ user_id: chosen.id, created_at: daysAgo(40) }, { user_id: fresh.id }]);

    expect(await service().sendMonthlySummaries(new Date())).toBe(1);
    expect(await service().sendMonthlySummaries(new Date())).toBe(0);
    const [mail] = await outbox(chosen.email);
    expect(mail.subject).toMatch(/^Utbildning i din verksamhet – \p{L}+ \d{4}$/u);
    expect(mail.text_body).toContain('I din verksamhet finns 2 personer. 2 av dem saknar en kurs');
    expect(mail.text_body).toContain(
      '- Hjälpmedel – grunden: Klar och giltig 1, Går ut inom 60 dagar 0, Har gått ut 0, Pågår 0, Inte påbörjad 1',
    );
    expect(mail.text_body).toContain('https://skola.example.se/statistik/chef');
    expect(await outbox(fresh.email)).toHaveLength(0);
  });
});

describe('the scheduled job', () => {
  it('refreshes stale regional figures, then leaves fresh ones, and runs in one process at a time', async () => {
    await t.db('stats_refreshes').delete();
    const first = await runScheduledJobs(t.services);
    expect(first).toMatchObject({ ran: true, refreshed: true });
    expect(await t.services.stats.refreshedAt()).not.toBeNull();
    expect((await runScheduledJobs(t.services)).refreshed).toBe(false);
    // While another process holds the lock, a run does nothing.
    await t.db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(6060606)');
      expect((await runScheduledJobs(t.services)).ran).toBe(false);
    });
  });
});
