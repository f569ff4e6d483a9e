import { lessonReadability, loadCoursesFolder } from '../../server/courses/content-import';
import { EASY_LIX_MAX, EASY_LIX_MIN_GAP } from '../../server/courses/readability-rules';
import { SHIPPED_COURSES } from '../support/test-app';

describe('the shipped courses in courses/', () => {
  const { courses, tracks } = loadCoursesFolder(SHIPPED_COURSES);

  it('are all valid and every role track names only shipped courses', () => {
    expect(courses.length).toBeGreaterThanOrEqual(1);
    expect(tracks.length).toBeGreaterThanOrEqual(1);
  });

  it.each(courses.map((c) => [c.content.slug, c] as const))('%s has easy Swedish with LIX ≤ 35 and at least 8 below standard in every lesson', (_slug, course) => {
    for (const r of lessonReadability(course.content)) {
      expect({ lesson: r.lesson, easyWithinMax: r.easy <= EASY_LIX_MAX }).toEqual({ lesson: r.lesson, easyWithinMax: true });
      expect({ lesson: r.lesson, gap: r.standard - r.easy >= EASY_LIX_MIN_GAP }).toEqual({ lesson: r.lesson, gap: true });
    }
  });

  it.each(courses.map((c) => [c.content.slug, c] as const))('%s has a practical case and a question pool that mixes all three types', (_slug, course) => {
    const c = course.content;
    expect(c.lessons.some((l) => l.kind === 'case')).toBe(true);
    expect(new Set(c.questions.map((q) => q.type))).toEqual(new Set(['single', 'multiple', 'truefalse']));
    expect(c.questions.length).toBeGreaterThan(c.questionsPerAttempt - 1);
  });
});
