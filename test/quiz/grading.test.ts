import { cleanSelection, drawQuestions, isCorrect, passes, shuffle } from '../../server/quiz/grading';
import type { QuestionContent } from '../../server/courses/types';

const t = (s: string) => ({ standard: s, easy: s });
const single: QuestionContent = { id: 's', lesson: null, type: 'single', text: t('?'), explanation: t('!'), options: [{ id: 'a', text: t('a'), correct: true }, { id: 'b', text: t('b'), correct: false }] };
const multiple: QuestionContent = { ...single, id: 'm', type: 'multiple', options: [{ id: 'a', text: t('a'), correct: true }, { id: 'b', text: t('b'), correct: true }, { id: 'c', text: t('c'), correct: false }] };

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

  it('shuffles deterministically with a given random source and keeps every item', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const result = shuffle([1, 2, 3, 4, 5, 6], random);
    expect([...result].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result).not.toEqual([1, 2, 3, 4, 5, 6]);
  });
});
