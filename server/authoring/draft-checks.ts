/** What a draft still lacks before it can be published, and what changed between two versions (pure). */
import type { CourseContent, Texts } from '../courses/types';
import type { MissingText } from './types';

/** Every text whose standard or easy variant is empty, with a link to where it is edited. */
export function missingTexts(content: CourseContent, base: string): MissingText[] {
  const missing: MissingText[] = [];
  const check = (texts: Texts, where: string, href: string) => {
    for (const variant of ['standard', 'easy'] as const)
      // A draft saved before a field existed may lack it.
      if (!(texts[variant] as string | undefined)?.trim()) missing.push({ where, variant, href });
  };
  check(content.title, 'Kursens namn', `${base}/fakta`);
  check(content.summary, 'Kort beskrivning', `${base}/fakta`);
  if (!content.keyPoints.standard.length)
    missing.push({ where: 'Viktigaste punkterna', variant: 'standard', href: `${base}/fakta` });
  if (!content.keyPoints.easy.length)
    missing.push({ where: 'Viktigaste punkterna', variant: 'easy', href: `${base}/fakta` });
  content.lessons.forEach((l, i) => {
    const href = `${base}/lektioner/${l.id}`;
    check(l.title, `Lektion ${i + 1}: rubrik`, href);
    check(l.body, `Lektion ${i + 1}: text`, href);
  });
  content.questions.forEach((q, i) => {
    const href = `${base}/fragor/${q.id}`;
    check(q.text, `Fråga ${i + 1}`, href);
    check(q.explanation, `Fråga ${i + 1}: förklaring`, href);
    q.options.forEach((o, j) => {
      check(o.text, `Fråga ${i + 1}: svar ${j + 1}`, href);
    });
  });
  return missing;
}

export interface Change {
  key: string;
  params?: Record<string, string>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A text shortened for a history line: "Vad gör du om bromsen …". */
const short = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57).trimEnd()} …` : flat;
};

/** Named changes up to this many questions; beyond it the history counts them. */
const NAMED_QUESTIONS = 5;

/** What changed from one version (or draft state) to the next, as translation keys for the history page. */
export function describeChanges(previous: CourseContent | null, next: CourseContent): Change[] {
  if (!previous) return [{ key: 'authoring:history.firstVersion' }];
  const changes: Change[] = [];
  const facts = [
    'title',
    'summary',
    'area',
    'estimatedMinutes',
    'passMark',
    'questionsPerAttempt',
    'validityMonths',
    'keyPoints',
  ] as const;
  for (const f of facts)
    if (!same(previous[f], next[f])) changes.push({ key: `authoring:history.factsChanged.${f}` });
  const prevLessons = new Map(previous.lessons.map((l) => [l.id, l]));
  const nextIds = new Set(next.lessons.map((l) => l.id));
  for (const l of next.lessons) {
    const before = prevLessons.get(l.id);
    if (!before) changes.push({ key: 'authoring:history.lessonAdded', params: { title: l.title.standard } });
    else if (!same(before, l)) {
      const variants = (['standard', 'easy'] as const).filter(
        (v) => before.body[v] !== l.body[v] || before.title[v] !== l.title[v],
      );
      const which =
        variants.length === 2
          ? 'Both'
          : variants.length
            ? variants[0] === 'standard'
              ? 'Standard'
              : 'Easy'
            : 'Other';
      changes.push({ key: `authoring:history.lessonChanged${which}`, params: { title: l.title.standard } });
    }
  }
  for (const l of previous.lessons)
    if (!nextIds.has(l.id))
      changes.push({ key: 'authoring:history.lessonRemoved', params: { title: l.title.standard } });
  if (
    !same(
      previous.lessons.map((l) => l.id).filter((id) => nextIds.has(id)),
      next.lessons.map((l) => l.id).filter((id) => prevLessons.has(id)),
    )
  ) {
    changes.push({ key: 'authoring:history.lessonsReordered' });
  }
  const prevQuestions = new Map(previous.questions.map((q) => [q.id, q]));
  const nextQuestionIds = new Set(next.questions.map((q) => q.id));
  const added = next.questions.filter((q) => !prevQuestions.has(q.id));
  const changed = next.questions.filter((q) => prevQuestions.has(q.id) && !same(prevQuestions.get(q.id), q));
  const removed = previous.questions.filter((q) => !nextQuestionIds.has(q.id));
  const questions = (list: typeof added, key: 'Added' | 'Changed' | 'Removed') => {
    if (!list.length) return;
    if (list.length > NAMED_QUESTIONS)
      return changes.push({
        key: `authoring:history.questions${key}`,
        params: { count: String(list.length) },
      });
    for (const q of list) {
      const text = short(q.text.standard);
      changes.push(
        text
          ? { key: `authoring:history.question${key}`, params: { text } }
          : { key: `authoring:history.question${key}Blank` },
      );
    }
  };
  questions(added, 'Added');
  questions(changed, 'Changed');
  questions(removed, 'Removed');
  if (!same(previous.images, next.images)) changes.push({ key: 'authoring:history.imagesChanged' });
  return changes.length ? changes : [{ key: 'authoring:history.noChanges' }];
}

/** A URL- and file-safe id from a Swedish title: "Ny lektion om lyftar" → "ny-lektion-om-lyftar". */
export function slugify(text: string, taken: Set<string> = new Set()): string {
  const base =
    text
      .toLowerCase()
      .replace(/[åä]/g, 'a')
      .replace(/ö/g, 'o')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/g, '') || 'del';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
