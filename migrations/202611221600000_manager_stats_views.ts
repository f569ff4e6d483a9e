import type { Knex } from 'knex';

// Organisation-wide manager figures, precomputed (issue 6 follow-up): the issue allows regional figures
// to be up to 15 minutes old, and computing every person's state for an organisation of 9 000 people
// takes seconds per request. The scheduled job refreshes these views concurrently together with HMC's
// (server/stats/stats-repository.ts, STATS_VIEWS); a unit's figures stay live (person_course_facts).
//
// The state rule below is the one in stats-repository.ts (STATE_SQL, EFFECTIVE_UNTIL) and in
// server/courses/course-status.ts, evaluated at the time of the refresh; test/stats/stats-precomputed.test.ts
// checks that these views give the same figures as the live query right after a refresh.
const STAFF = `select u.id, u.name, u.unit_id, u.job_role from users u
  where u.unit_id is not null and u.disabled_at is null
    and (not exists (select 1 from permissions p where p.user_id = u.id and p.kind = 'manager')
         or exists (select 1 from person_course_facts pf where pf.user_id = u.id))`;

export async function up(knex: Knex): Promise<void> {
  // One row per person counted by a manager and required course of their role: its state and validity.
  // Read for the list of people who lack a course (and everything filtered by job role).
  await knex.raw(`create materialized view stats_manager_states as
    with staff as (${STAFF}),
    r as (
      select s.id as user_id, s.name, s.unit_id, s.job_role, tc.course_id, f.open_started_at, now() as now,
             least(f.valid_until, (f.completed_at at time zone 'UTC' + make_interval(months => tc.repeat_months)) at time zone 'UTC') as effective_until
      from staff s
      join track_courses tc on tc.job_role = s.job_role and tc.requirement = 'required'
      join courses c on c.id = tc.course_id and c.retired_at is null
      left join person_course_facts f on f.user_id = s.id and f.course_id = tc.course_id
    )
    select r.user_id, r.name, un.organisation_id, r.unit_id, r.job_role, r.course_id, r.effective_until,
      (case
        when r.effective_until > r.now and r.effective_until - r.now <= make_interval(hours => 60 * 24) then 'expiring'
        when r.effective_until > r.now then 'completed'
        when r.open_started_at is not null then 'in_progress'
        when r.effective_until is not null then 'expired'
        else 'not_started' end)::text as state
    from r join units un on un.id = r.unit_id`);
  await knex.raw('create unique index stats_manager_states_key on stats_manager_states (user_id, course_id)');
  // Scope (a set of units) with the role and course filters.
  await knex.raw(
    'create index stats_manager_states_unit on stats_manager_states (unit_id, job_role, course_id)',
  );
  // The list of people who lack a course, in name order: an organisation's first page reads ~200 entries
  // instead of sorting every lacking row of the organisation (17 000 for the largest).
  await knex.raw(
    `create index stats_manager_states_lacking on stats_manager_states (organisation_id, name, user_id, course_id) where state <> 'completed'`,
  );

  // Staff per unit and job role, and how many of them lack a required course (people are in one unit
  // and role each, so both add up over units and roles).
  await knex.raw(`create materialized view stats_manager_staff as
    select s.unit_id, s.job_role, count(*)::int as people,
           count(*) filter (where exists (select 1 from stats_manager_states m where m.user_id = s.id and m.state <> 'completed'))::int as lacking_people
    from (${STAFF}) s
    group by 1, 2`);
  await knex.raw(
    'create unique index stats_manager_staff_key on stats_manager_staff (unit_id, job_role) nulls not distinct',
  );

  // Completions of required courses by the staff counted, per unit, role, course and month (Swedish
  // time): the column "completed in the period" for any period of whole months.
  await knex.raw(`create materialized view stats_manager_completions as
    select s.unit_id, s.job_role, c.course_id, date_trunc('month', c.completed_at at time zone 'Europe/Stockholm')::date as month, count(*)::int as completed
    from (${STAFF}) s
    join completions c on c.user_id = s.id
    join track_courses tc on tc.job_role = s.job_role and tc.course_id = c.course_id and tc.requirement = 'required'
    group by 1, 2, 3, 4`);
  await knex.raw(
    'create unique index stats_manager_completions_key on stats_manager_completions (unit_id, month, job_role, course_id) include (completed)',
  );

  // People per unit and required course in each state, and the completions of the default period (the
  // 12 months up to the month of the refresh): the per-course and per-unit tables of the default view
  // without a role filter, one row per table row (the largest organisation's page reads 1 600 rows,
  // not 27 000 states and 10 000 completion months). Read after stats_manager_completions.
  await knex.raw(`create materialized view stats_manager_counts as
    with s as (
      select unit_id, course_id,
             count(*) filter (where state = 'completed')::int as completed,
             count(*) filter (where state = 'expiring')::int as expiring,
             count(*) filter (where state = 'expired')::int as expired,
             count(*) filter (where state = 'in_progress')::int as in_progress,
             count(*) filter (where state = 'not_started')::int as not_started
      from stats_manager_states group by 1, 2
    ),
    period as (
      select (date_trunc('month', now() at time zone 'Europe/Stockholm') - interval '11 months')::date as first_month,
             date_trunc('month', now() at time zone 'Europe/Stockholm')::date as last_month
    ),
    p as (
      select unit_id, course_id, sum(completed)::int as completed
      from stats_manager_completions, period
      where month between period.first_month and period.last_month
      group by 1, 2
    )
    select coalesce(s.unit_id, p.unit_id) as unit_id, coalesce(s.course_id, p.course_id) as course_id,
           coalesce(s.completed, 0) as completed, coalesce(s.expiring, 0) as expiring, coalesce(s.expired, 0) as expired,
           coalesce(s.in_progress, 0) as in_progress, coalesce(s.not_started, 0) as not_started,
           coalesce(p.completed, 0) as completed_last_12_months, (select first_month from period) as last_12_months_from
    from s full join p on p.unit_id = s.unit_id and p.course_id = s.course_id`);
  await knex.raw('create unique index stats_manager_counts_key on stats_manager_counts (unit_id, course_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    "delete from stats_refreshes where view_name in ('stats_manager_states', 'stats_manager_staff', 'stats_manager_counts', 'stats_manager_completions')",
  );
  for (const view of [
    'stats_manager_counts',
    'stats_manager_completions',
    'stats_manager_staff',
    'stats_manager_states',
  ])
    await knex.raw(`drop materialized view ${view}`);
}
