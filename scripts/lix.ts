/** Prints the LIX of Markdown files: `npx tsx scripts/lix.ts courses/x/lessons/*.md`. */
import { readFileSync } from 'node:fs';
import { readability } from '../server/courses/lix';

for (const file of process.argv.slice(2)) {
  const r = readability(readFileSync(file, 'utf8'));
  const longest = [...r.sentenceList].sort((a, b) => b.words - a.words).slice(0, 3);
  console.log(
    `${r.lix.toFixed(1).padStart(5)}  ${file}  (${r.words} words, ${r.sentences} sentences, ${r.longWords} long)`,
  );
  for (const s of longest) console.log(`         ${s.words} words: ${s.text.slice(0, 100)}`);
}
