/** Validates courses/ without a database and prints each lesson's LIX: `npm run courses:check`. */
import path from 'node:path';
import { ContentImportError, lessonReadability, loadCoursesFolder } from '../server/courses/content-import';
import { easyReadabilityProblem, formatReadabilityTable } from '../server/courses/readability-rules';

const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'courses'));
try {
  const { courses, tracks } = loadCoursesFolder(root);
  const rows = courses.flatMap((c) => lessonReadability(c.content));
  console.log(formatReadabilityTable(rows));
  for (const c of courses) console.log(`  ${c.content.slug}: ${c.content.lessons.length} lektioner, ${c.content.questions.length} frågor`);
  console.log(`${courses.length} kurser och ${tracks.length} yrkesroller är giltiga.`);
  const hard = rows.filter((r) => easyReadabilityProblem(r));
  if (hard.length) {
    console.error(`${hard.length} lektioner klarar inte regeln för lätt svenska.`);
    process.exitCode = 1;
  }
} catch (error) {
  if (!(error instanceof ContentImportError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
