/**
 * What can be counted about whether a quiz tests understanding (issue 10): pool size against the draw,
 * questions per case lesson, explanations opening with a verdict word, single-choice keys that are the
 * longest option, questions without a lesson, and the critical questions. Used by `courses:check`, the
 * shipped-courses test and authoring's publish check (see docs/course-format.md, "Quiz quality").
 */
import { VARIANTS, type CourseContent, type QuestionContent } from './types';

export const MIN_POOL_FACTOR = 2;
export const MIN_CASE_QUESTIONS = 2;
export const MAX_LONGEST_KEY_SHARE = 0.4;

const VERDICT_WORDS = [
  'Rätt',
  'Fel',
  'Riktigt',
  'Korrekt',
  'Ja',
  'Nej',
  'Sant',
  'Falskt',
  'Precis',
  'Stämmer',
  'Just det',
  'Bra',
];
// A verdict word followed by punctuation ("Fel.", "Rätt!", "Ja, …", "Nej –"): a word followed by a space
// is usually not a verdict ("Fel på automaten …", "Bra belysning …") and is left to the reader.
const VERDICT = new RegExp(`^\\s*(?:${VERDICT_WORDS.join('|')})(?=\\s*\\p{P}|\\s*$)`, 'iu');

/** Whether an explanation opens with a verdict word (the app already says right or wrong). */
export function opensWithVerdict(text: string): boolean {
  return VERDICT.test(text);
}

/** A single-choice question whose right option is strictly the longest (in characters) in this variant or the other. */
export function keyIsLongest(q: QuestionContent): boolean {
  if (q.type !== 'single') return false;
  return VARIANTS.some((v) => {
    const key = q.options.find((o) => o.correct);
    if (!key) return false;
    const length = key.text[v].trim().length;
    return q.options.every((o) => o === key || o.text[v].trim().length < length);
  });
}

export interface QuizQuality {
  slug: string;
  pool: number;
  drawn: number;
  /** Every case lesson with how many questions test it. */
  caseLessons: { id: string; questions: number }[];
  singles: number;
  longestKeys: string[];
  /** Share of single-choice questions whose key is the longest option, 0–1. */
  longestKeyShare: number;
  verdictOpenings: { question: string; variant: string }[];
  withoutLesson: string[];
  critical: number;
}

export function quizQuality(content: CourseContent): QuizQuality {
  const singles = content.questions.filter((q) => q.type === 'single');
  const longestKeys = singles.filter(keyIsLongest).map((q) => q.id);
  return {
    slug: content.slug,
    pool: content.questions.length,
    drawn: content.questionsPerAttempt,
    caseLessons: content.lessons
      .filter((l) => l.kind === 'case')
      .map((l) => ({ id: l.id, questions: content.questions.filter((q) => q.lesson === l.id).length })),
    singles: singles.length,
    longestKeys,
    longestKeyShare: singles.length ? longestKeys.length / singles.length : 0,
    verdictOpenings: content.questions.flatMap((q) =>
      VARIANTS.filter((v) => opensWithVerdict(q.explanation[v])).map((variant) => ({
        question: q.id,
        variant,
      })),
    ),
    withoutLesson: content.questions.filter((q) => !q.lesson).map((q) => q.id),
    critical: content.questions.filter((q) => q.critical).length,
  };
}

export interface QualityProblem {
  rule: 'pool' | 'caseQuestions' | 'verdict' | 'longestKey' | 'lesson';
  /** Swedish, for authors. */
  message: string;
  /**
   * Blocks publishing in authoring: the draw depends on it (pool and case questions). The others are
   * warnings there, because only a person can judge the wording; `courses:check` fails on all of them.
   */
  blocksPublishing: boolean;
}

/** Every rule the quiz breaks, in Swedish. */
export function qualityProblems(q: QuizQuality): QualityProblem[] {
  const problems: QualityProblem[] = [];
  if (q.pool < MIN_POOL_FACTOR * q.drawn) {
    problems.push({
      rule: 'pool',
      blocksPublishing: true,
      message: `Frågebanken har ${q.pool} frågor men testet drar ${q.drawn}; banken behöver minst ${MIN_POOL_FACTOR * q.drawn} (minst dubbelt så många).`,
    });
  }
  for (const c of q.caseLessons) {
    if (c.questions < MIN_CASE_QUESTIONS)
      problems.push({
        rule: 'caseQuestions',
        blocksPublishing: true,
        message: `Fallet ${c.id} har ${c.questions} ${c.questions === 1 ? 'fråga' : 'frågor'}; det behöver minst ${MIN_CASE_QUESTIONS}.`,
      });
  }
  for (const v of q.verdictOpenings) {
    problems.push({
      rule: 'verdict',
      blocksPublishing: false,
      message: `Förklaringen till ${v.question} (${v.variant}) börjar med ett omdöme som Rätt eller Fel; appen säger redan rätt eller fel, förklaringen ska säga varför.`,
    });
  }
  if (q.longestKeyShare > MAX_LONGEST_KEY_SHARE) {
    problems.push({
      rule: 'longestKey',
      blocksPublishing: false,
      message: `I ${q.longestKeys.length} av ${q.singles} frågor med ett svar är det rätta svaret det längsta (${Math.round(q.longestKeyShare * 100)} %, högst ${MAX_LONGEST_KEY_SHARE * 100} %): ${q.longestKeys.join(', ')}.`,
    });
  }
  if (q.withoutLesson.length)
    problems.push({
      rule: 'lesson',
      blocksPublishing: false,
      message: `Frågor utan lektion (lesson:): ${q.withoutLesson.join(', ')}.`,
    });
  return problems;
}

/** The table `courses:check` prints: one row per course. */
export function formatQualityTable(rows: QuizQuality[]): string {
  const header = `  ${'kurs'.padEnd(30)} ${'bank/dras'.padStart(9)}  ${'frågor per fall'.padEnd(28)} ${'längst rätt'.padStart(12)} ${'omdöme'.padStart(6)} ${'kritiska'.padStart(8)}`;
  const lines = rows.map((q) => {
    const cases = q.caseLessons.map((c) => `${c.id}:${c.questions}`).join(' ') || '–';
    const share = `${q.longestKeys.length}/${q.singles} ${String(Math.round(q.longestKeyShare * 100)).padStart(3)}%`;
    const flags = qualityProblems(q).length ? '  ⚠' : '';
    return `  ${q.slug.padEnd(30)} ${`${q.pool}/${q.drawn}`.padStart(9)}  ${cases.padEnd(28)} ${share.padStart(12)} ${String(q.verdictOpenings.length).padStart(6)} ${String(q.critical).padStart(8)}${flags}`;
  });
  const legend = `  bank/dras: frågor i quiz.yaml / frågor per försök (banken ≥ ${MIN_POOL_FACTOR}×). frågor per fall: minst ${MIN_CASE_QUESTIONS} per fall-lektion. längst rätt: envalsfrågor där rätt svar är längst (högst ${MAX_LONGEST_KEY_SHARE * 100} %). omdöme: förklaringar som börjar med Rätt/Fel o.d. (ska vara 0). kritiska: säkerhetsfrågor.`;
  return ['Kunskapstest per kurs:', header, ...lines, legend].join('\n');
}
