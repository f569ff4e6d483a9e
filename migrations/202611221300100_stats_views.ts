import type { Knex } from 'knex';

// HMC's regional figures, precomputed: full-table aggregates over millions of rows do not belong in
// request time. Refreshed concurrently by the scheduled job (at most 15 minutes old, see docs/stats.md).
// Months are calendar months in Swedish time; people without a unit count under organisation 0.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create materialized view stats_course_months as
    select course_id, organisation_id, month, sum(started)::int as started, sum(completed)::int as completed
    from (
      select e.course_id, coalesce(un.organisation_id, 0) as organisation_id,
             date_trunc('month', e.started_at at time zone 'Europe/Stockholm')::date as month, 1 as started, 0 as completed
      from enrolments e join users u on u.id = e.user_id left join units un on un.id = u.unit_id
      union all
      select c.course_id, coalesce(un.organisation_id, 0),
             date_trunc('month', c.completed_at at time zone 'Europe/Stockholm')::date, 0, 1
      from completions c join users u on u.id = c.user_id left join units un on un.id = u.unit_id
    ) x
    group by course_id, organisation_id, month`);
  await knex.raw(
    'create unique index stats_course_months_key on stats_course_months (course_id, organisation_id, month)',
  );

  // Submitted quiz attempts by the month they were handed in. attempts_to_pass counts the attempts of
  // enrolments that were completed, so attempts_to_pass / passed is the average number of attempts.
  await knex.raw(`create materialized view stats_quiz_months as
    select e.course_id, coalesce(un.organisation_id, 0) as organisation_id,
           date_trunc('month', a.submitted_at at time zone 'Europe/Stockholm')::date as month,
           count(*)::int as attempts,
           count(*) filter (where a.passed)::int as passed,
           count(*) filter (where e.completed_at is not null)::int as attempts_to_pass
    from quiz_attempts a join enrolments e on e.id = a.enrolment_id join users u on u.id = e.user_id left join units un on un.id = u.unit_id
    where a.submitted_at is not null
    group by 1, 2, 3`);
  await knex.raw(
    'create unique index stats_quiz_months_key on stats_quiz_months (course_id, organisation_id, month)',
  );

  // Per quiz question: answers in submitted attempts and how many were right.
  await knex.raw(`create materialized view stats_question_answers as
    select e.course_id, q.question_id, count(*)::int as answers, count(*) filter (where q.is_correct)::int as correct
    from quiz_answers q join quiz_attempts a on a.id = q.attempt_id join enrolments e on e.id = a.enrolment_id
    where a.submitted_at is not null
    group by 1, 2`);
  await knex.raw(
    'create unique index stats_question_answers_key on stats_question_answers (course_id, question_id)',
  );

  await knex.raw(`create materialized view stats_evaluation_months as
    select e.course_id, coalesce(un.organisation_id, 0) as organisation_id,
           date_trunc('month', ev.created_at at time zone 'Europe/Stockholm')::date as month,
           ev.useful, ev.matches_description, count(*)::int as answers
    from evaluations ev join enrolments e on e.id = ev.enrolment_id join users u on u.id = e.user_id left join units un on un.id = u.unit_id
    group by 1, 2, 3, 4, 5`);
  await knex.raw(
    'create unique index stats_evaluation_months_key on stats_evaluation_months (course_id, organisation_id, month, useful, matches_description)',
  );

  // The comments, without who wrote them.
  await knex.raw(`create materialized view stats_evaluation_comments as
    select ev.id, e.course_id, coalesce(un.organisation_id, 0) as organisation_id, ev.created_at, ev.comment
    from evaluations ev join enrolments e on e.id = ev.enrolment_id join users u on u.id = e.user_id left join units un on un.id = u.unit_id
    where ev.comment is not null and ev.comment <> ''`);
  await knex.raw('create unique index stats_evaluation_comments_key on stats_evaluation_comments (id)');
  await knex.raw(
    'create index stats_evaluation_comments_course on stats_evaluation_comments (course_id, created_at desc)',
  );

  await knex.schema.createTable('stats_refreshes', (t) => {
    t.text('view_name').primary();
    t.timestamp('refreshed_at', { useTz: true }).notNullable();
    t.integer('duration_ms').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('stats_refreshes');
  for (const view of [
    'stats_evaluation_comments',
    'stats_evaluation_months',
    'stats_question_answers',
    'stats_quiz_months',
    'stats_course_months',
  ]) {
    await knex.raw(`drop materialized view ${view}`);
  }
}
