/** The readability panel of the lesson editor: LIX, counts, the longest sentences, and warnings (not blocks). */
import { readability } from '../courses/lix';
import { EASY_LIX_MAX, EASY_LIX_MIN_GAP } from '../courses/readability-rules';

export interface VariantReport {
  lix: number;
  words: number;
  sentences: number;
  longWords: number;
  longest: { text: string; words: number }[];
}

export interface ReadabilityReport {
  standard: VariantReport;
  easy: VariantReport;
  warnings: string[];
}

function variant(markdown: string): VariantReport {
  const r = readability(markdown);
  const longest = [...r.sentenceList]
    .sort((a, b) => b.words - a.words)
    .filter((s) => s.words >= 12)
    .slice(0, 3);
  return { lix: r.lix, words: r.words, sentences: r.sentences, longWords: r.longWords, longest };
}

/** Both variants' figures, with translation keys for the warnings about the easy one. */
export function readabilityReport(standard: string, easy: string): ReadabilityReport {
  const report = { standard: variant(standard), easy: variant(easy), warnings: [] as string[] };
  if (report.easy.words > 0 && report.easy.lix > EASY_LIX_MAX)
    report.warnings.push('authoring:readability.easyTooHard');
  if (
    report.easy.words > 0 &&
    report.standard.words > 0 &&
    report.standard.lix - report.easy.lix < EASY_LIX_MIN_GAP
  )
    report.warnings.push('authoring:readability.notEasier');
  return report;
}
