import type { Knex } from 'knex';

// Incremental statistics (issue 13): the regional figures were materialised views refreshed whole every
// 10 minutes (141 s of CPU per run at national scale). They become plain tables of the same names and
// columns, and triggers on the facts note *what* changed in two append-only queues:
//   stats_dirty_course_months (course, Swedish month)  for HMC's figures, which are per course and month;
//   stats_dirty_units (unit)                           for the organisation-wide manager figures, per unit;
//   stats_dirty_roles (job role)                       a track change: every unit with people of the role.
// The scheduled job then recomputes only those keys from the facts (server/stats/stats-refresh.ts); the
// first run after this migration computes everything (the tables start empty, stats_refresh_clock has no
// row, and the pages compute live until then). The queues have no unique index, so marking never waits
// for another transaction; the refresh reads them with `distinct`. Quiz answers have no trigger: they
// change only while their attempt is open (the quiz saves into open attempts only), and they count once
// the attempt is submitted, which marks its course and month. See docs/stats.md.

const MATVIEWS = [
  'stats_manager_counts',
  'stats_manager_completions',
  'stats_manager_staff',
  'stats_manager_states',
  'stats_course_totals',
  'stats_quiz_totals',
  'stats_evaluation_totals',
  'stats_evaluation_comments',
  'stats_evaluation_months',
  'stats_question_answers',
  'stats_quiz_months',
  'stats_course_months',
];

export async function up(knex: Knex): Promise<void> {
  for (const view of MATVIEWS) await knex.raw(`drop materialized view ${view}`);
  await knex.raw('delete from stats_refreshes');

  // HMC: per course, organisation and Swedish month (organisation 0: people without a unit).
  await knex.raw(`create table stats_course_months (course_id int not null, organisation_id int not null, month date not null,
    started int not null, completed int not null, primary key (course_id, organisation_id, month))`);
  await knex.raw(`create table stats_quiz_months (course_id int not null, organisation_id int not null, month date not null,
    attempts int not null, passed int not null, attempts_to_pass int not null, primary key (course_id, organisation_id, month))`);
  // Per question and month of submission (so a month can be recomputed alone); the page sums the months.
  await knex.raw(`create table stats_question_answers (course_id int not null, question_id text not null, month date not null,
    answers int not null, correct int not null, primary key (course_id, question_id, month))`);
  await knex.raw(`create table stats_evaluation_months (course_id int not null, organisation_id int not null, month date not null,
    useful smallint not null, matches_description smallint not null, answers int not null,
    primary key (course_id, organisation_id, month, useful, matches_description))`);
  await knex.raw(`create table stats_evaluation_comments (id int primary key, course_id int not null, organisation_id int not null,
    created_at timestamptz not null, comment text not null)`);
  await knex.raw(
    'create index stats_evaluation_comments_course on stats_evaluation_comments (course_id, created_at desc)',
  );
  await knex.raw(`create table stats_course_totals (course_id int not null, month date not null, started int not null,
    completed int not null, primary key (course_id, month))`);
  await knex.raw(`create table stats_quiz_totals (course_id int not null, month date not null, attempts int not null,
    passed int not null, attempts_to_pass int not null, primary key (course_id, month))`);
  await knex.raw(`create table stats_evaluation_totals (course_id int not null, month date not null, useful smallint not null,
    matches_description smallint not null, answers int not null, primary key (course_id, month, useful, matches_description))`);
  for (const t of ['stats_course_months', 'stats_quiz_months', 'stats_evaluation_months'])
    await knex.raw(`create index ${t}_organisation on ${t} (organisation_id, month)`);

  // Managers: per person and required course, per unit.
  await knex.raw(`create table stats_manager_states (user_id int not null, name text not null, organisation_id int not null,
    unit_id int not null, job_role text, course_id int not null, effective_until timestamptz, state text not null,
    primary key (user_id, course_id))`);
  await knex.raw(
    'create index stats_manager_states_unit on stats_manager_states (unit_id, job_role, course_id)',
  );
  await knex.raw(
    `create index stats_manager_states_lacking on stats_manager_states (organisation_id, name, user_id, course_id) where state <> 'completed'`,
  );
  // The states that time alone changes (completed → expiring → expired) are found by their validity.
  await knex.raw(
    'create index stats_manager_states_until on stats_manager_states (effective_until) where effective_until is not null',
  );
  // The manager tables carry the organisation, so an organisation's page reads by it (one index range,
  // not a list of 200 units the planner must estimate).
  await knex.raw(
    'create index stats_manager_states_organisation on stats_manager_states (organisation_id, job_role, course_id)',
  );
  await knex.raw(`create table stats_manager_staff (unit_id int not null, organisation_id int not null, job_role text,
    people int not null, lacking_people int not null)`);
  await knex.raw('create index stats_manager_staff_organisation on stats_manager_staff (organisation_id)');
  await knex.raw(
    'create unique index stats_manager_staff_key on stats_manager_staff (unit_id, job_role) nulls not distinct',
  );
  await knex.raw(`create table stats_manager_completions (unit_id int not null, organisation_id int not null,
    job_role text not null, course_id int not null, month date not null, completed int not null)`);
  await knex.raw(
    'create index stats_manager_completions_organisation on stats_manager_completions (organisation_id, month)',
  );
  await knex.raw(
    'create unique index stats_manager_completions_key on stats_manager_completions (unit_id, month, job_role, course_id) include (completed)',
  );
  await knex.raw(`create table stats_manager_counts (unit_id int not null, organisation_id int not null,
    course_id int not null, completed int not null,
    expiring int not null, expired int not null, in_progress int not null, not_started int not null,
    completed_last_12_months int not null, last_12_months_from date not null, primary key (unit_id, course_id))`);
  await knex.raw('create index stats_manager_counts_organisation on stats_manager_counts (organisation_id)');

  // What changed since the last run, and when that was (the clock of the time-dependent states).
  await knex.raw('create table stats_dirty_course_months (course_id int not null, month date not null)');
  await knex.raw('create table stats_dirty_units (unit_id int not null)');
  await knex.raw('create table stats_dirty_roles (job_role text not null)');
  await knex.raw(`create table stats_refresh_clock (id boolean primary key default true check (id),
    computed_at timestamptz not null)`);

  // Indexes to recompute one course and month from the facts.
  await knex.raw('create index completions_course_completed on completions (course_id, completed_at)');
  await knex.raw(
    'create index quiz_attempts_submitted on quiz_attempts (submitted_at) where submitted_at is not null',
  );
  await knex.raw('create index evaluations_created on evaluations (created_at)');

  await knex.raw(`create function stats_month(t timestamptz) returns date language sql immutable as
    $$ select date_trunc('month', t at time zone 'Europe/Stockholm')::date $$`);
  await knex.raw(`create function stats_mark_user_unit(p_user int) returns void language sql as
    $$ insert into stats_dirty_units (unit_id) select unit_id from users where id = p_user and unit_id is not null $$`);
  // Every course and month a person's facts count in (a move to another organisation changes them all).
  await knex.raw(`create function stats_mark_person_months(p_user int) returns void language sql as $$
    insert into stats_dirty_course_months (course_id, month)
    select course_id, stats_month(started_at) from enrolments where user_id = p_user
    union select course_id, stats_month(completed_at) from completions where user_id = p_user
    union select e.course_id, stats_month(a.submitted_at) from enrolments e join quiz_attempts a on a.enrolment_id = e.id
          where e.user_id = p_user and a.submitted_at is not null
    union select e.course_id, stats_month(v.created_at) from enrolments e join evaluations v on v.enrolment_id = e.id where e.user_id = p_user $$`);

  // Enrolments: started (its month), and attempts_to_pass of its attempts when it is completed or reopened.
  await knex.raw(`create function stats_enrolments_trigger() returns trigger language plpgsql as $$
    begin
      -- Started counts change only when a round is added, removed or moved (not when it is completed).
      if tg_op = 'DELETE' or (tg_op = 'UPDATE' and (old.started_at, old.course_id, old.user_id) is distinct from
                                                    (new.started_at, new.course_id, new.user_id)) then
        insert into stats_dirty_course_months values (old.course_id, stats_month(old.started_at));
      end if;
      if tg_op = 'INSERT' or (tg_op = 'UPDATE' and (old.started_at, old.course_id, old.user_id) is distinct from
                                                    (new.started_at, new.course_id, new.user_id)) then
        insert into stats_dirty_course_months values (new.course_id, stats_month(new.started_at));
      end if;
      -- Its attempts and evaluation (before a delete, while they are still there).
      if tg_op = 'DELETE' or (tg_op = 'UPDATE' and ((old.completed_at is null) <> (new.completed_at is null)
         or old.user_id <> new.user_id or old.course_id <> new.course_id)) then
        insert into stats_dirty_course_months (course_id, month)
        select c, stats_month(a.submitted_at) from quiz_attempts a, unnest(array[old.course_id, coalesce(new.course_id, old.course_id)]) c
          where a.enrolment_id = old.id and a.submitted_at is not null
        union select c, stats_month(v.created_at) from evaluations v, unnest(array[old.course_id, coalesce(new.course_id, old.course_id)]) c
          where v.enrolment_id = old.id;
      end if;
      if tg_op = 'DELETE' then return old; end if;
      return null;
    end $$`);
  await knex.raw(`create trigger enrolments_stats_delete before delete on enrolments
    for each row execute function stats_enrolments_trigger()`);
  await knex.raw(`create trigger enrolments_stats after insert or update on enrolments
    for each row execute function stats_enrolments_trigger()`);

  // Completions: completed (its month) and the manager's completions of its person's unit.
  await knex.raw(`create function stats_completions_trigger() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        insert into stats_dirty_course_months values (old.course_id, stats_month(old.completed_at));
        perform stats_mark_user_unit(old.user_id);
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into stats_dirty_course_months values (new.course_id, stats_month(new.completed_at));
        perform stats_mark_user_unit(new.user_id);
      end if;
      return null;
    end $$`);
  await knex.raw(`create trigger completions_stats after insert or update or delete on completions
    for each row execute function stats_completions_trigger()`);

  // A submitted attempt counts in its course and month (its enrolment gone: the enrolment's delete marked it).
  await knex.raw(`create function stats_attempts_trigger() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.submitted_at is not null then
        insert into stats_dirty_course_months select course_id, stats_month(old.submitted_at) from enrolments where id = old.enrolment_id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.submitted_at is not null then
        insert into stats_dirty_course_months select course_id, stats_month(new.submitted_at) from enrolments where id = new.enrolment_id;
      end if;
      return null;
    end $$`);
  await knex.raw(`create trigger quiz_attempts_stats_insert after insert on quiz_attempts
    for each row when (new.submitted_at is not null) execute function stats_attempts_trigger()`);
  await knex.raw(`create trigger quiz_attempts_stats_update after update on quiz_attempts for each row
    when (old.submitted_at is distinct from new.submitted_at or old.passed is distinct from new.passed
          or old.enrolment_id <> new.enrolment_id) execute function stats_attempts_trigger()`);
  await knex.raw(`create trigger quiz_attempts_stats_delete after delete on quiz_attempts
    for each row when (old.submitted_at is not null) execute function stats_attempts_trigger()`);

  await knex.raw(`create function stats_evaluations_trigger() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        insert into stats_dirty_course_months select course_id, stats_month(old.created_at) from enrolments where id = old.enrolment_id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into stats_dirty_course_months select course_id, stats_month(new.created_at) from enrolments where id = new.enrolment_id;
      end if;
      return null;
    end $$`);
  await knex.raw(`create trigger evaluations_stats after insert or update or delete on evaluations
    for each row execute function stats_evaluations_trigger()`);

  // People: who counts and where (unit, role, name, disabled); another organisation moves all their figures.
  await knex.raw(`create function stats_users_trigger() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.unit_id is not null then
        insert into stats_dirty_units values (old.unit_id);
      end if;
      if tg_op in ('INSERT', 'UPDATE') and new.unit_id is not null then
        insert into stats_dirty_units values (new.unit_id);
      end if;
      if tg_op = 'UPDATE' and (select organisation_id from units where id = old.unit_id) is distinct from
                              (select organisation_id from units where id = new.unit_id) then
        perform stats_mark_person_months(new.id);
      end if;
      return null;
    end $$`);
  await knex.raw(`create trigger users_stats_insert_delete after insert or delete on users
    for each row execute function stats_users_trigger()`);
  await knex.raw(`create trigger users_stats_update after update on users for each row
    when (old.unit_id is distinct from new.unit_id or old.name is distinct from new.name
          or old.job_role is distinct from new.job_role or old.disabled_at is distinct from new.disabled_at)
    execute function stats_users_trigger()`);

  await knex.raw(`create function stats_units_trigger() returns trigger language plpgsql as $$
    begin
      insert into stats_dirty_units values (new.id);
      perform stats_mark_person_months(u.id) from users u where u.unit_id = new.id;
      return null;
    end $$`);
  await knex.raw(`create trigger units_stats after update on units for each row
    when (old.organisation_id <> new.organisation_id) execute function stats_units_trigger()`);

  // A manager permission decides whether a person counts (managers count when they take courses).
  await knex.raw(`create function stats_permissions_trigger() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.kind = 'manager' then perform stats_mark_user_unit(old.user_id); end if;
      if tg_op in ('INSERT', 'UPDATE') and new.kind = 'manager' then perform stats_mark_user_unit(new.user_id); end if;
      return null;
    end $$`);
  await knex.raw(`create trigger permissions_stats after insert or update or delete on permissions
    for each row execute function stats_permissions_trigger()`);

  // A person's newest completion and open enrolment (the states).
  await knex.raw(`create function stats_facts_trigger() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then perform stats_mark_user_unit(old.user_id); end if;
      if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.user_id <> old.user_id) then perform stats_mark_user_unit(new.user_id); end if;
      return null;
    end $$`);
  await knex.raw(`create trigger person_course_facts_stats after insert or update or delete on person_course_facts
    for each row execute function stats_facts_trigger()`);

  // Tracks: which courses a role requires and how often; a course retired or brought back.
  await knex.raw(`create function stats_tracks_trigger() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then insert into stats_dirty_roles values (old.job_role); end if;
      if tg_op in ('INSERT', 'UPDATE') then insert into stats_dirty_roles values (new.job_role); end if;
      return null;
    end $$`);
  await knex.raw(`create trigger track_courses_stats after insert or update or delete on track_courses
    for each row execute function stats_tracks_trigger()`);
  await knex.raw(`create function stats_courses_trigger() returns trigger language plpgsql as $$
    begin
      insert into stats_dirty_roles select distinct job_role from track_courses where course_id = new.id;
      return null;
    end $$`);
  await knex.raw(`create trigger courses_stats after update on courses for each row
    when (old.retired_at is distinct from new.retired_at) execute function stats_courses_trigger()`);
}

export function down(): Promise<void> {
  // The materialised views and their figures cannot be brought back from here (roll back further).
  return Promise.reject(new Error('202612021000000_incremental_stats cannot be rolled back'));
}
