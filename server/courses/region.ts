/**
 * Regional facts (courses/region.yaml): HMC's name, contact, opening hours, how to report a fault or
 * return an aid, where the films are, the local school agreement. Courses write `{{region:KEY}}`; the
 * loader puts the installation's value in its place, so another region reuses the courses by replacing
 * one file. A fact HMC has not filled in yet (`placeholder: true`) shows to learners clearly marked.
 */
import fs from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { ContentProblem, CourseContent, Texts, Variant } from './types';

export const REGION_KEYS = [
  'hmc',
  'region',
  'hmc-kontakt',
  'hmc-oppettider',
  'felanmalan',
  'aterlamning',
  'instruktionsfilmer',
  'overenskommelse-skola',
] as const;
export type RegionKey = (typeof REGION_KEYS)[number];

export interface RegionFact {
  text: Texts;
  placeholder: boolean;
}

export interface RegionFacts {
  name: string;
  facts: Partial<Record<RegionKey, RegionFact>>;
}

/** What a placeholder fact looks like in the text learners see; the lesson renderer highlights it. */
export const PLACEHOLDER_PREFIX = 'Exempel – HMC fyller i:';
export const PLACEHOLDER_PATTERN = /\[Exempel – HMC fyller i: ([^\]]*)\]/g;

/** `{{region:KEY}}`, also written with stray spaces or an unknown key, so those can be reported. */
const REFERENCE = /\{\{\s*region\s*:\s*([^}]*?)\s*\}\}/g;

const value = z
  .string()
  .trim()
  .min(1, 'Texten saknas')
  .refine((s) => !/[[\]{}<>*`]/.test(s), 'Får inte innehålla [ ] { } < > * eller `');
const fact = z.union([
  value,
  z
    .object(
      { standard: value, easy: value, placeholder: z.boolean().default(false) },
      { error: 'En text eller { standard, easy, placeholder }' },
    )
    .strict(),
]);
const regionFileSchema = z
  .object({
    name: value,
    facts: z
      .object(Object.fromEntries(REGION_KEYS.map((k) => [k, fact])) as Record<RegionKey, typeof fact>)
      .strict(),
  })
  .strict();

export const EMPTY_REGION: RegionFacts = { name: '', facts: {} };

/** Reads region.yaml; a missing file is an empty region (every reference is then unknown). */
export function readRegion(file: string): { region: RegionFacts; problems: ContentProblem[] } {
  if (!fs.existsSync(file)) return { region: EMPTY_REGION, problems: [] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), { lineCounter, prettyErrors: false });
  if (doc.errors.length)
    return {
      region: EMPTY_REGION,
      problems: doc.errors.map((e) => ({
        file: 'region.yaml',
        line: lineCounter.linePos(e.pos[0]).line,
        message: `Felaktig YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  const parsed = regionFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      region: EMPTY_REGION,
      problems: parsed.error.issues.map((i) => {
        const node = doc.getIn(
          i.path.map((k) => (typeof k === 'number' ? k : String(k))),
          true,
        ) as { range?: [number, number, number] } | null;
        return {
          file: 'region.yaml',
          line: node?.range ? lineCounter.linePos(node.range[0]).line : null,
          message: `${i.path.join('.')}: ${i.message}`,
        };
      }),
    };
  }
  const facts: RegionFacts['facts'] = {};
  for (const key of REGION_KEYS) {
    const f = parsed.data.facts[key];
    facts[key] =
      typeof f === 'string'
        ? { text: { standard: f, easy: f }, placeholder: false }
        : { text: { standard: f.standard, easy: f.easy }, placeholder: f.placeholder };
  }
  return { region: { name: parsed.data.name, facts }, problems: [] };
}

/** The references in a file's text that name no fact of the region, with their lines. */
export function unknownReferences(
  source: string,
  region: RegionFacts,
  lineOffset = 0,
): { line: number; message: string }[] {
  const result: { line: number; message: string }[] = [];
  for (const m of source.matchAll(REFERENCE)) {
    const exact = new RegExp(`^\\{\\{region:(${REGION_KEYS.join('|')})\\}\\}$`).exec(m[0]);
    if (exact && region.facts[exact[1] as RegionKey]) continue;
    const line = source.slice(0, m.index).split('\n').length + lineOffset;
    result.push({
      line,
      message: exact
        ? `Regionen saknar uppgiften ${exact[1]} (${m[0]}) i region.yaml`
        : `Okänd regionuppgift ${m[0]}; använd {{region:NYCKEL}} med en av: ${REGION_KEYS.join(', ')}`,
    });
  }
  return result;
}

/** The text with every known reference replaced by the variant's value; placeholders come marked. */
export function substitute(text: string, variant: Variant, region: RegionFacts): string {
  return text.replace(REFERENCE, (whole, key: string) => {
    const f = region.facts[key as RegionKey];
    if (!f) return whole;
    return f.placeholder ? `[${PLACEHOLDER_PREFIX} ${f.text[variant]}]` : f.text[variant];
  });
}

/** The keys a text refers to. */
export function referencedKeys(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => m[1]);
}

type Walk = (text: string, variant: Variant, where: string) => string;

/** Visits every learner-facing text of a course, replacing each with what `fn` returns. */
function mapTexts(content: CourseContent, fn: Walk): CourseContent {
  const texts = (t: Texts, where: string): Texts => ({
    standard: fn(t.standard, 'standard', `${where}.standard`),
    easy: fn(t.easy, 'easy', `${where}.easy`),
  });
  return {
    ...content,
    title: texts(content.title, 'title'),
    summary: texts(content.summary, 'summary'),
    keyPoints: {
      standard: content.keyPoints.standard.map((p, i) => fn(p, 'standard', `keyPoints.standard.${i}`)),
      easy: content.keyPoints.easy.map((p, i) => fn(p, 'easy', `keyPoints.easy.${i}`)),
    },
    lessons: content.lessons.map((l, i) => ({
      ...l,
      title: texts(l.title, `lessons.${i}.title`),
      body: texts(l.body, `lessons.${i}.body`),
    })),
    questions: content.questions.map((q, i) => ({
      ...q,
      text: texts(q.text, `questions.${i}.text`),
      explanation: texts(q.explanation, `questions.${i}.explanation`),
      options: q.options.map((o, j) => ({ ...o, text: texts(o.text, `questions.${i}.options.${j}.text`) })),
    })),
  };
}

/**
 * The course as learners see it: every reference replaced. The texts as written are kept in
 * `regionTemplates` (only those that had a reference), so a draft or an export gets them back.
 */
export function applyRegion(content: CourseContent, region: RegionFacts): CourseContent {
  const templates: Record<string, string> = {};
  const result = mapTexts(toTemplate(content), (text, variant, where) => {
    if (!text.includes('{{')) return text;
    const replaced = substitute(text, variant, region);
    if (replaced !== text) templates[where] = text;
    return replaced;
  });
  delete result.regionTemplates;
  return Object.keys(templates).length ? { ...result, regionTemplates: templates } : result;
}

/** The course as written, with `{{region:KEY}}` where the published version shows the region's value. */
export function toTemplate(content: CourseContent): CourseContent {
  const templates = content.regionTemplates ?? {};
  // Always rebuilt, so every text comes out as { standard, easy } in that order (the files' order).
  const result = mapTexts(content, (text, _variant, where) => templates[where] ?? text);
  delete result.regionTemplates;
  return result;
}

/** The placeholder facts a course still uses, with where (for `courses:check` warnings). */
export function placeholdersUsed(
  content: CourseContent,
  region: RegionFacts,
): { key: string; where: string }[] {
  const used: { key: string; where: string }[] = [];
  mapTexts(toTemplate(content), (text, _variant, where) => {
    for (const key of referencedKeys(text))
      if (region.facts[key as RegionKey]?.placeholder) used.push({ key, where });
    return text;
  });
  return used;
}
