/**
 * Validates courses/ without a database: `npm run courses:check`. Prints each lesson's LIX, a table of
 * each course's quiz (pool/drawn, questions per case, longest-key share, verdict openings, critical
 * questions) and the regional placeholders still in use; exits non-zero when a rule is broken.
 */
import path from 'node:path';
import { ContentImportError, lessonReadability, loadCoursesFolder } from '../server/courses/content-import';
import { formatQualityTable, qualityProblems, quizQuality } from '../server/courses/quiz-quality';
import { easyReadabilityProblem, formatReadabilityTable } from '../server/courses/readability-rules';
import { placeholdersUsed } from '../server/courses/region';

const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'courses'));
try {
  const { courses, tracks, region } = loadCoursesFolder(root);
  const rows = courses.flatMap((c) => lessonReadability(c.content));
  console.log(formatReadabilityTable(rows));
  console.log('');
  const quality = courses.map((c) => quizQuality(c.content));
  console.log(formatQualityTable(quality));
  const broken = quality.flatMap((q) => qualityProblems(q).map((p) => `  ${q.slug}: ${p.message}`));
  if (broken.length) console.error(['', 'Kunskapstesten bryter mot reglerna:', ...broken].join('\n'));

  const placeholders = courses.flatMap((c) =>
    placeholdersUsed(c.content, region).map((p) => `  ⚠ ${c.content.slug}: {{region:${p.key}}} i ${p.where}`),
  );
  if (placeholders.length)
    console.warn(
      [
        '',
        `Regionuppgifter som HMC inte har fyllt i än (placeholder: true i region.yaml, ${region.name}):`,
        ...placeholders,
      ].join('\n'),
    );

  console.log(`\n${courses.length} kurser och ${tracks.length} yrkesroller är giltiga.`);
  const hard = rows.filter((r) => easyReadabilityProblem(r));
  if (hard.length) console.error(`${hard.length} lektioner klarar inte regeln för lätt svenska.`);
  if (hard.length || broken.length) process.exitCode = 1;
} catch (error) {
  if (!(error instanceof ContentImportError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
