import type { Knex } from 'knex';

// One row per person and course with what a status needs: the newest completion and the open
// enrolment. Kept current by triggers on enrolments and completions, so a manager's figures are live
// and agree with what the learner sees, without reading every round of history on each request.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table person_course_facts (
    user_id integer not null references users(id) on delete cascade,
    course_id integer not null references courses(id) on delete cascade,
    completed_at timestamptz,
    valid_until timestamptz,
    open_started_at timestamptz,
    primary key (user_id, course_id),
    constraint person_course_facts_something_check check (completed_at is not null or open_started_at is not null),
    constraint person_course_facts_validity_check check ((completed_at is null) = (valid_until is null)))`);
  await knex.raw('create index person_course_facts_valid_until on person_course_facts (valid_until)');

  await knex.raw(`create function refresh_person_course_fact(p_user integer, p_course integer) returns void language plpgsql as $$
    declare
      v_completed timestamptz;
      v_valid timestamptz;
      v_open timestamptz;
    begin
      select completed_at, valid_until into v_completed, v_valid from completions
        where user_id = p_user and course_id = p_course order by completed_at desc, id desc limit 1;
      select started_at into v_open from enrolments where user_id = p_user and course_id = p_course and completed_at is null limit 1;
      -- A person being deleted (cascade) has no facts.
      if (v_completed is null and v_open is null) or not exists (select 1 from users where id = p_user) then
        delete from person_course_facts where user_id = p_user and course_id = p_course;
      else
        insert into person_course_facts (user_id, course_id, completed_at, valid_until, open_started_at)
          values (p_user, p_course, v_completed, v_valid, v_open)
          on conflict (user_id, course_id) do update set completed_at = excluded.completed_at,
            valid_until = excluded.valid_until, open_started_at = excluded.open_started_at;
      end if;
    end $$`);
  await knex.raw(`create function person_course_facts_trigger() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then perform refresh_person_course_fact(old.user_id, old.course_id); end if;
      if tg_op in ('INSERT', 'UPDATE') then perform refresh_person_course_fact(new.user_id, new.course_id); end if;
      return null;
    end $$`);
  await knex.raw(`create trigger enrolments_person_course_facts after insert or update or delete on enrolments
    for each row execute function person_course_facts_trigger()`);
  await knex.raw(`create trigger completions_person_course_facts after insert or update or delete on completions
    for each row execute function person_course_facts_trigger()`);

  // Facts for what already exists.
  await knex.raw(`insert into person_course_facts (user_id, course_id, completed_at, valid_until, open_started_at)
    select k.user_id, k.course_id, c.completed_at, c.valid_until, o.started_at
    from (select user_id, course_id from enrolments union select user_id, course_id from completions) k
    left join lateral (select completed_at, valid_until from completions x where x.user_id = k.user_id and x.course_id = k.course_id
                       order by completed_at desc, id desc limit 1) c on true
    left join enrolments o on o.user_id = k.user_id and o.course_id = k.course_id and o.completed_at is null
    where c.completed_at is not null or o.started_at is not null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger completions_person_course_facts on completions');
  await knex.raw('drop trigger enrolments_person_course_facts on enrolments');
  await knex.raw('drop function person_course_facts_trigger()');
  await knex.raw('drop function refresh_person_course_fact(integer, integer)');
  await knex.raw('drop table person_course_facts');
}
