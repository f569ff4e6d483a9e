import type { Knex } from 'knex';

// HMC's figures over all organisations, rolled up from the per-organisation views (issue 6 follow-up):
// the overview summed tens of thousands of organisation-month rows per request (and the evaluation
// view has a row per organisation, month and answer pair). These have a row per course and month.
// Refreshed right after the views they read (STATS_VIEWS order in server/stats/stats-repository.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create materialized view stats_course_totals as
    select course_id, month, sum(started)::int as started, sum(completed)::int as completed from stats_course_months group by 1, 2`);
  await knex.raw('create unique index stats_course_totals_key on stats_course_totals (course_id, month)');
  await knex.raw(`create materialized view stats_quiz_totals as
    select course_id, month, sum(attempts)::int as attempts, sum(passed)::int as passed, sum(attempts_to_pass)::int as attempts_to_pass from stats_quiz_months group by 1, 2`);
  await knex.raw('create unique index stats_quiz_totals_key on stats_quiz_totals (course_id, month)');
  await knex.raw(`create materialized view stats_evaluation_totals as
    select course_id, month, useful, matches_description, sum(answers)::int as answers from stats_evaluation_months group by 1, 2, 3, 4`);
  await knex.raw(
    'create unique index stats_evaluation_totals_key on stats_evaluation_totals (course_id, month, useful, matches_description)',
  );
  // One organisation's figures for every course (the overview filtered by organisation).
  await knex.raw(
    'create index stats_course_months_organisation on stats_course_months (organisation_id, month)',
  );
  await knex.raw('create index stats_quiz_months_organisation on stats_quiz_months (organisation_id, month)');
  await knex.raw(
    'create index stats_evaluation_months_organisation on stats_evaluation_months (organisation_id, month)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    "delete from stats_refreshes where view_name in ('stats_course_totals', 'stats_quiz_totals', 'stats_evaluation_totals')",
  );
  await knex.raw('drop index stats_evaluation_months_organisation');
  await knex.raw('drop index stats_quiz_months_organisation');
  await knex.raw('drop index stats_course_months_organisation');
  for (const view of ['stats_evaluation_totals', 'stats_quiz_totals', 'stats_course_totals'])
    await knex.raw(`drop materialized view ${view}`);
}
