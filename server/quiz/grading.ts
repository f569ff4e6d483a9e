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

/**
 * Draws `count` questions for an attempt: first one from each case lesson that has questions (the case
 * is where the whole chain is tested), then round-robin over the lessons in random order so an attempt
 * spreads over the course; the drawn questions come in random order, each with shuffled options
 * (true/false keeps its order).
 */
export function drawQuestions(
  pool: QuestionContent[],
  count: number,
  options: { caseLessons?: readonly string[]; random?: () => number } = {},
): DrawnQuestion[] {
  const random = options.random ?? Math.random;
  const byLesson = new Map<string, QuestionContent[]>();
  for (const q of shuffle(pool, random))
    byLesson.set(q.lesson ?? '', [...(byLesson.get(q.lesson ?? '') ?? []), q]);
  const chosen: QuestionContent[] = [];
  const limit = Math.min(count, pool.length);
  for (const lesson of shuffle(options.caseLessons ?? [], random)) {
    const first = byLesson.get(lesson)?.shift();
    if (first && chosen.length < limit) chosen.push(first);
  }
  const queues = shuffle([...byLesson.values()], random);
  while (chosen.length < limit) {
    for (const queue of queues) {
      const next = queue.shift();
      if (next && chosen.length < limit) chosen.push(next);
    }
  }
  return shuffle(chosen, random).map((q) => ({
    id: q.id,
    options:
      q.type === 'truefalse'
        ? q.options.map((o) => o.id)
        : shuffle(
            q.options.map((o) => o.id),
            random,
          ),
  }));
}

/** Right when exactly the correct options are selected (for multiple choice: all of them and no other). */
export function isCorrect(question: QuestionContent, selected: readonly string[]): boolean {
  const correct = question.options
    .filter((o) => o.correct)
    .map((o) => o.id)
    .sort();
  const chosen = [...new Set(selected)].sort();
  return correct.length === chosen.length && correct.every((id, i) => id === chosen[i]);
}

/** Whether `correct` of `total` reaches the pass mark (a percentage). */
export function passes(correct: number, total: number, passMark: number): boolean {
  return total > 0 && correct * 100 >= passMark * total;
}

/** The drawn critical (safety) questions answered wrong; any of them fails the attempt whatever the score. */
export function criticalMissed(
  questions: readonly QuestionContent[],
  results: ReadonlyMap<string, boolean>,
): string[] {
  return questions.filter((q) => q.critical && results.has(q.id) && !results.get(q.id)).map((q) => q.id);
}

/** Keeps only option ids that belong to the question; single-answer questions keep at most one. */
export function cleanSelection(question: QuestionContent, selected: readonly string[]): string[] {
  const known = new Set(question.options.map((o) => o.id));
  const valid = [...new Set(selected)].filter((id) => known.has(id));
  return question.type === 'multiple' ? valid : valid.slice(0, 1);
}
