/**
 * LIX readability (Björnsson 1968) for Swedish text, counted on Unicode letters so that
 * sentences starting with Å, Ä or Ö are not merged (a known fault of `text-readability`).
 */

export interface Readability {
  lix: number;
  words: number;
  sentences: number;
  longWords: number;
  /** Sentences in reading order, with their word counts, for highlighting the longest. */
  sentenceList: { text: string; words: number }[];
}

const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
const LETTER = /\p{L}/gu;

/** Turns lesson Markdown into plain sentences-bearing lines: headings, list items and alt text end sentences. */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .replace(/^---\n[\s\S]*?\n---\n?/, '') // front matter
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '\n$1\n') // image → its alt text on a line of its own
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // link → its text
    .replace(/^\s{0,3}#{1,6}\s*/gm, '') // heading marks
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '') // list marks
    .replace(/^\s*>\s?/gm, '') // block quote marks
    .replace(/[*_`]+/g, ''); // emphasis and code marks
}

/** Splits plain text into sentences: at . ! ? : and at every line end (headings, list items, paragraphs). */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?:])\s+/))
    .map((s) => s.trim())
    .filter((s) => countWords(s) > 0);
}

function countWords(text: string): number {
  return (text.match(WORD) ?? []).length;
}

/** LIX and the counts behind it for a piece of lesson Markdown. */
export function readability(markdown: string): Readability {
  const sentences = splitSentences(markdownToPlainText(markdown));
  let words = 0;
  let longWords = 0;
  const sentenceList = sentences.map((text) => {
    const ws = text.match(WORD) ?? [];
    words += ws.length;
    longWords += ws.filter((w) => (w.match(LETTER) ?? []).length > 6).length;
    return { text, words: ws.length };
  });
  const lix = words === 0 ? 0 : words / sentences.length + (100 * longWords) / words;
  return { lix: Math.round(lix * 10) / 10, words, sentences: sentences.length, longWords, sentenceList };
}
