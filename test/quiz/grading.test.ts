import {
  cleanSelection,
  criticalMissed,
  drawQuestions,
  isCorrect,
  passes,
  shuffle,
} from '../../server/quiz/grading';
import type { QuestionContent } from '../../server/courses/types';

const t = (s: string) => ({ standard: s, easy: s });
const single: QuestionContent = {
  id: 's',
  lesson: null,
  type: 'single',
  text: t('?'),
  explanation: t('!'),
  options: [
    { id: 'a', text: t('a'), correct: true },
    { id: 'b', text: t('b'), correct: false },
  ],
};
const multiple: QuestionContent = {
  ...single,
  id: 'm',
  type: 'multiple',
  options: [
    { id: 'a', text: t('a'), correct: true },
    { id: 'b', text: t('b'), correct: true },
    { id: 'c', text: t('c'), correct: false },
  ],
};

describe('grading', () => {
  it('counts a single-choice answer right only with the correct option', () => {
    expect(isCorrect(single, ['a'])).toBe(true);
    expect(isCorrect(single, ['b'])).toBe(false);
    expect(isCorrect(single, [])).toBe(false);
  });

  it('counts multiple choice right only with all correct options and no wrong one', () => {
    expect(isCorrect(multiple, ['b', 'a'])).toBe(true);
    expect(isCorrect(multiple, ['a'])).toBe(false);
    expect(isCorrect(multiple, ['a', 'b', 'c'])).toBe(false);
    expect(isCorrect(multiple, ['a', 'a', 'b'])).toBe(true);
  });

  it('applies the pass mark as a percentage, inclusive', () => {
    expect(passes(8, 10, 80)).toBe(true);
    expect(passes(7, 10, 80)).toBe(false);
    expect(passes(7, 8, 100)).toBe(false);
    expect(passes(8, 8, 100)).toBe(true);
    expect(passes(0, 0, 50)).toBe(false);
  });

  it('drops unknown option ids and keeps one answer for single choice', () => {
    expect(cleanSelection(single, ['x', 'b', 'a'])).toEqual(['b']);
    expect(cleanSelection(multiple, ['c', 'zzz', 'a', 'c'])).toEqual(['c', 'a']);
  });

  it('draws the asked number of distinct questions with every option kept', () => {
    const pool = Array.from({ length: 12 }, (_, i) => ({ ...multiple, id: `q${i}` }));
    const drawn = drawQuestions(pool, 8);
    expect(drawn).toHaveLength(8);
    expect(new Set(drawn.map((d) => d.id)).size).toBe(8);
    for (const d of drawn) expect([...d.options].sort()).toEqual(['a', 'b', 'c']);
  });

  it('draws at least one question from every case lesson that has questions, in every attempt', () => {
    const pool = [
      ...Array.from({ length: 10 }, (_, i) => ({ ...single, id: `l${i}`, lesson: 'lektion' })),
      { ...single, id: 'fall-1', lesson: 'fallet' },
      { ...single, id: 'fall-2', lesson: 'fallet' },
      { ...single, id: 'annat-fall', lesson: 'fall-tva' },
    ];
    for (let i = 0; i < 200; i++) {
      const ids = drawQuestions(pool, 3, { caseLessons: ['fallet', 'fall-tva', 'fall-utan-fragor'] }).map(
        (d) => d.id,
      );
      expect(ids).toHaveLength(3);
      expect(ids.some((id) => id.startsWith('fall-'))).toBe(true);
      expect(ids).toContain('annat-fall');
    }
  });

  it('spreads the draw over the lessons instead of drawing at random from the pool', () => {
    const pool = [
      ...Array.from({ length: 20 }, (_, i) => ({ ...single, id: `a${i}`, lesson: 'a' })),
      ...Array.from({ length: 2 }, (_, i) => ({ ...single, id: `b${i}`, lesson: 'b' })),
      ...Array.from({ length: 2 }, (_, i) => ({ ...single, id: `c${i}`, lesson: 'c' })),
    ];
    for (let i = 0; i < 100; i++) {
      const ids = drawQuestions(pool, 6).map((d) => d.id);
      expect(new Set(ids).size).toBe(6);
      // Round-robin: two from each lesson, where pure chance would mostly pick lesson a.
      for (const lesson of ['a', 'b', 'c'])
        expect({ lesson, n: ids.filter((id) => id.startsWith(lesson)).length }).toEqual({ lesson, n: 2 });
    }
  });

  it('draws every question when the pool is smaller than asked, and shuffles the order', () => {
    const pool = Array.from({ length: 5 }, (_, i) => ({
      ...single,
      id: `q${i}`,
      lesson: i < 4 ? 'x' : 'fall',
    }));
    expect(
      drawQuestions(pool, 9, { caseLessons: ['fall'] })
        .map((d) => d.id)
        .sort(),
    ).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
    const orders = new Set(
      Array.from({ length: 30 }, () =>
        drawQuestions(pool, 5)
          .map((d) => d.id)
          .join(),
      ),
    );
    expect(orders.size).toBeGreaterThan(1);
  });

  it('fails an attempt with a drawn critical question wrong, whatever the score', () => {
    const critical = { ...single, id: 'sele', critical: true };
    const questions = [
      critical,
      { ...single, id: 'a' },
      { ...single, id: 'b' },
      { ...single, id: 'ej-dragen', critical: true },
    ];
    expect(
      criticalMissed(
        questions,
        new Map([
          ['sele', false],
          ['a', true],
          ['b', true],
        ]),
      ),
    ).toEqual(['sele']);
    expect(
      criticalMissed(
        questions,
        new Map([
          ['sele', true],
          ['a', false],
          ['b', true],
        ]),
      ),
    ).toEqual([]);
    // A critical question that was not drawn does not count.
    expect(
      criticalMissed(
        questions,
        new Map([
          ['a', true],
          ['b', true],
        ]),
      ),
    ).toEqual([]);
  });

  it('shuffles deterministically with a given random source and keeps every item', () => {
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const result = shuffle([1, 2, 3, 4, 5, 6], random);
    expect([...result].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result).not.toEqual([1, 2, 3, 4, 5, 6]);
  });
});
