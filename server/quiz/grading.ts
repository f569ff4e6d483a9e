/** Drawing and grading quiz attempts (pure functions, unit-tested). */
import type { QuestionContent } from '../courses/types';

export interface DrawnQuestion {
  id: string;
  /** Option ids in the order this learner sees them. */
  options: string[];
}

/** Fisher–Yates shuffle with an injectable random source, so tests can be deterministic. */
export function shuffle<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

/** Draws `count` questions from the pool in random order, each with shuffled options (true/false keeps its order). */
export function drawQuestions(pool: QuestionContent[], count: number, random: () => number = Math.random): DrawnQuestion[] {
  return shuffle(pool, random)
    .slice(0, Math.min(count, pool.length))
    .map((q) => ({ id: q.id, options: q.type === 'truefalse' ? q.options.map((o) => o.id) : shuffle(q.options.map((o) => o.id), random) }));
}

/** Right when exactly the correct options are selected (for multiple choice: all of them and no other). */
export function isCorrect(question: QuestionContent, selected: readonly string[]): boolean {
  const correct = question.options.filter((o) => o.correct).map((o) => o.id).sort();
  const chosen = [...new Set(selected)].sort();
  return correct.length === chosen.length && correct.every((id, i) => id === chosen[i]);
}

/** Whether `correct` of `total` reaches the pass mark (a percentage). */
export function passes(correct: number, total: number, passMark: number): boolean {
  return total > 0 && correct * 100 >= passMark * total;
}

/** Keeps only option ids that belong to the question; single-answer questions keep at most one. */
export function cleanSelection(question: QuestionContent, selected: readonly string[]): string[] {
  const known = new Set(question.options.map((o) => o.id));
  const valid = [...new Set(selected)].filter((id) => known.has(id));
  return question.type === 'multiple' ? valid : valid.slice(0, 1);
}
