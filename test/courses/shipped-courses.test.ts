import { lessonReadability, loadCoursesFolder } from '../../server/courses/content-import';
import { quizQuality, MAX_LONGEST_KEY_SHARE } from '../../server/courses/quiz-quality';
import { EASY_LIX_MAX, EASY_LIX_MIN_GAP } from '../../server/courses/readability-rules';
import { SHIPPED_COURSES } from '../support/test-app';

describe('the shipped courses in courses/', () => {
  const { courses, tracks } = loadCoursesFolder(SHIPPED_COURSES);

  it('are all valid and every role track names only shipped courses', () => {
    expect(courses.length).toBeGreaterThanOrEqual(1);
    expect(tracks.length).toBeGreaterThanOrEqual(1);
  });

  it.each(courses.map((c) => [c.content.slug, c] as const))(
    '%s has easy Swedish with LIX ≤ 35 and at least 8 below standard in every lesson',
    (_slug, course) => {
      for (const r of lessonReadability(course.content)) {
        expect({ lesson: r.lesson, easyWithinMax: r.easy <= EASY_LIX_MAX }).toEqual({
          lesson: r.lesson,
          easyWithinMax: true,
        });
        expect({ lesson: r.lesson, gap: r.standard - r.easy >= EASY_LIX_MIN_GAP }).toEqual({
          lesson: r.lesson,
          gap: true,
        });
      }
    },
  );

  it.each(courses.map((c) => [c.content.slug, c] as const))(
    '%s has 4–12 lessons with a practical case, and a pool mixing all three question types',
    (_slug, course) => {
      const c = course.content;
      expect(c.lessons.length).toBeGreaterThanOrEqual(4);
      // Issue 10 added areas (vårdsäng, a person on the floor, mobile-lift stability...): short lessons, more of them.
      expect(c.lessons.length).toBeLessThanOrEqual(12);
      expect(c.lessons.some((l) => l.kind === 'case')).toBe(true);
      // The managers' and the school course are shorter (issue 3): 8 questions; the others 12.
      expect(c.questions.length).toBeGreaterThanOrEqual(['ledning', 'skola'].includes(c.area) ? 8 : 12);
      for (const type of ['single', 'multiple', 'truefalse'])
        expect({ type, count: c.questions.filter((q) => q.type === type).length >= 2 }).toEqual({
          type,
          count: true,
        });
      expect(c.questions.length).toBeGreaterThan(c.questionsPerAttempt);
    },
  );

  // Issue 10: quizzes that test understanding (counted as `npm run courses:check` counts them).
  describe.each(courses.map((c) => [c.content.slug, c] as const))(
    '%s has a quiz that cannot be passed by pattern',
    (_slug, course) => {
      const q = quizQuality(course.content);

      it('holds at least twice as many questions as an attempt draws', () => {
        expect({ pool: q.pool, atLeast: 2 * q.drawn, ok: q.pool >= 2 * q.drawn }).toEqual({
          pool: q.pool,
          atLeast: 2 * q.drawn,
          ok: true,
        });
      });

      it('has at least two questions on every case lesson', () => {
        expect(q.caseLessons.length).toBeGreaterThanOrEqual(1);
        for (const c of q.caseLessons)
          expect({ lesson: c.id, enough: c.questions >= 2 }).toEqual({ lesson: c.id, enough: true });
      });

      it('has no explanation opening with a verdict word', () => {
        expect(q.verdictOpenings).toEqual([]);
      });

      it('has the right answer as the longest option in at most 40 % of single-choice questions', () => {
        expect({ longest: q.longestKeys, ok: q.longestKeyShare <= MAX_LONGEST_KEY_SHARE }).toEqual({
          longest: q.longestKeys,
          ok: true,
        });
      });

      it('names the lesson of every question', () => {
        expect(q.withoutLesson).toEqual([]);
      });

      it('shows no {{region:…}} reference unreplaced', () => {
        expect(JSON.stringify({ ...course.content, regionTemplates: undefined })).not.toContain('{{region:');
      });
    },
  );

  it('gives every job role of the survey a track with at least one required course', () => {
    const roles = [
      'vardbitrade',
      'underskoterska',
      'rehabassistent',
      'rehabombud',
      'personlig-assistent',
      'behandlingsassistent',
      'handledare-daglig-verksamhet',
      'stodpedagog',
      'stodbitrade',
      'stodassistent',
      'vaktmastare',
      'enhetschef',
      'rektor',
      'larare',
      'specialpedagog',
      'elevassistent',
      'skolskoterska',
    ];
    expect(tracks.map((t) => t.id).sort()).toEqual([...roles].sort());
    for (const t of tracks)
      expect({ role: t.id, hasRequired: t.required.length > 0, repeat: t.repeatMonths }).toEqual({
        role: t.id,
        hasRequired: true,
        repeat: 12,
      });
  });
});
