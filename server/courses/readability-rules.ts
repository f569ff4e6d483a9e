/** The easy-Swedish rule the shipped courses keep: easy LIX ≤ 35 and at least 8 below the standard variant. */
import type { LessonReadability } from './content-import';

export const EASY_LIX_MAX = 35;
export const EASY_LIX_MIN_GAP = 8;

/** Why a lesson's easy variant is not clearly easy, or null when it is. */
export function easyReadabilityProblem(r: LessonReadability): string | null {
  if (r.easy > EASY_LIX_MAX) return `lätt svenska har LIX ${r.easy} (högst ${EASY_LIX_MAX})`;
  if (r.standard - r.easy < EASY_LIX_MIN_GAP)
    return `lätt svenska (LIX ${r.easy}) är inte minst ${EASY_LIX_MIN_GAP} under standard (LIX ${r.standard})`;
  return null;
}

/** A table of every lesson's LIX for the import's output. */
export function formatReadabilityTable(rows: LessonReadability[]): string {
  const lines = rows.map((r) => {
    const problem = easyReadabilityProblem(r);
    return `  ${`${r.course}/${r.lesson}`.padEnd(58)} standard ${r.standard.toFixed(1).padStart(5)}  lätt ${r.easy.toFixed(1).padStart(5)}${problem ? `  ⚠ ${problem}` : ''}`;
  });
  return ['LIX per lektion:', ...lines].join('\n');
}
