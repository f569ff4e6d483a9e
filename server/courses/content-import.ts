/**
 * Imports courses/ into the database in one transaction: a course whose content changed gets a new
 * version (learners half-way keep theirs), unchanged content changes nothing, and the role tracks are
 * replaced by the file's. Either everything is imported or nothing is.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Knex } from 'knex';
import { contentHash, courseDirs, loadCourse, loadTracks, type LoadedCourse } from './content-loader';
import { readability } from './lix';
import { readRegion, type RegionFacts } from './region';
import type { ContentProblem, CourseContent, JobRoleTrack } from './types';

export interface LessonReadability {
  course: string;
  lesson: string;
  standard: number;
  easy: number;
}

export interface ImportReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  tracks: number;
  readability: LessonReadability[];
}

export class ContentImportError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(`Kursinnehållet har ${problems.length} fel:\n${problems.map(formatProblem).join('\n')}`);
  }
}

export function formatProblem(p: ContentProblem): string {
  return `  ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}

/** Loads and validates the whole courses/ folder (with its region.yaml) without touching the database. */
export function loadCoursesFolder(root: string): { courses: LoadedCourse[]; tracks: JobRoleTrack[]; region: RegionFacts } {
  const { region, problems } = readRegion(path.join(root, 'region.yaml'));
  const courses: LoadedCourse[] = [];
  for (const dir of courseDirs(root)) {
    const result = loadCourse(dir, root, region);
    if (result.ok) courses.push(result.value);
    else problems.push(...result.problems);
  }
  const slugs = new Set(courseDirs(root).map((d) => path.basename(d)));
  const tracksFile = path.join(root, 'tracks.yaml');
  const tracks = loadTracks(tracksFile, slugs, root);
  if (!tracks.ok) problems.push(...tracks.problems);
  if (problems.length > 0) throw new ContentImportError(problems);
  return { courses, tracks: tracks.ok ? tracks.value : [], region };
}

/** LIX of each lesson in both variants. */
export function lessonReadability(content: CourseContent): LessonReadability[] {
  return content.lessons.map((l) => ({
    course: content.slug,
    lesson: l.id,
    standard: readability(l.body.standard).lix,
    easy: readability(l.body.easy).lix,
  }));
}

/** Publishes `content` as a new version unless its latest version already has the same content. */
export async function publishCourseVersion(
  trx: Knex.Transaction,
  loaded: LoadedCourse,
  meta: { source: 'import' | 'authoring'; changeNote?: string; significant?: boolean; publishedBy?: number | null },
): Promise<'created' | 'updated' | 'unchanged'> {
  const { content, assets } = loaded;
  const hash = contentHash(content);
  for (const a of assets) {
    await trx('course_assets').insert({ sha256: a.sha256, content_type: a.contentType, bytes: a.bytes }).onConflict('sha256').ignore();
  }
  const inserted = await trx('courses').insert({ slug: content.slug, area: content.area }).onConflict('slug').ignore().returning('id');
  const course = await trx('courses').where({ slug: content.slug }).forUpdate().first('id', 'imported_hash');
  // Files that have not changed since the last import leave the course alone, even when it has been
  // edited in the app since: the newer edit wins, whichever side made it.
  if (meta.source === 'import' && course.imported_hash === hash) return 'unchanged';
  await trx('courses')
    .where({ id: course.id })
    .update({ area: content.area, retired_at: null, ...(meta.source === 'import' ? { imported_hash: hash } : {}) });
  const latest = await trx('course_versions').where({ course_id: course.id }).orderBy('version', 'desc').first('id', 'version', 'content_hash');
  if (latest && latest.content_hash === hash) return 'unchanged';
  await trx('course_versions').insert({
    course_id: course.id,
    version: (latest?.version ?? 0) + 1,
    content_hash: hash,
    content: JSON.stringify(content),
    source: meta.source,
    change_note: meta.changeNote ?? null,
    significant: meta.significant ?? false,
    published_by: meta.publishedBy ?? null,
  });
  return inserted.length > 0 ? 'created' : 'updated';
}

/** Replaces job roles' tracks with the file's; job roles no longer in the file stay (people may hold them). */
async function importTracks(trx: Knex.Transaction, tracks: JobRoleTrack[]): Promise<void> {
  const courseIds = new Map<string, number>((await trx('courses').select('id', 'slug')).map((c: { id: number; slug: string }) => [c.slug, c.id]));
  for (const [index, role] of tracks.entries()) {
    await trx('job_roles')
      .insert({ id: role.id, name_sv: role.name.sv, name_en: role.name.en, sort: index })
      .onConflict('id')
      .merge();
    await trx('track_courses').where({ job_role: role.id }).delete();
    const rows = [
      ...role.required.map((slug) => ({ job_role: role.id, course_id: courseIds.get(slug), requirement: 'required', repeat_months: role.repeatMonths })),
      ...role.recommended.map((slug) => ({ job_role: role.id, course_id: courseIds.get(slug), requirement: 'recommended', repeat_months: null })),
    ].map((row, position) => ({ ...row, position }));
    if (rows.length) await trx('track_courses').insert(rows);
  }
}

/** Validates and imports the whole courses/ folder in one transaction. */
export async function importCourses(db: Knex, root: string): Promise<ImportReport> {
  const { courses, tracks } = loadCoursesFolder(root);
  const report: ImportReport = { created: [], updated: [], unchanged: [], tracks: tracks.length, readability: [] };
  await db.transaction(async (trx) => {
    // Two app processes starting at once must not both publish version N.
    await trx.raw('select pg_advisory_xact_lock(?)', [720_001]);
    for (const loaded of courses) {
      const outcome = await publishCourseVersion(trx, loaded, { source: 'import' });
      report[outcome].push(loaded.content.slug);
      report.readability.push(...lessonReadability(loaded.content));
    }
    // Tracks edited in the app stay until tracks.yaml itself changes.
    const tracksHash = crypto.createHash('sha256').update(JSON.stringify(tracks)).digest('hex');
    const imported = await trx('content_imports').where({ key: 'tracks' }).first('hash');
    if (imported?.hash !== tracksHash) {
      await importTracks(trx, tracks);
      await trx('content_imports').insert({ key: 'tracks', hash: tracksHash, imported_at: trx.fn.now() }).onConflict('key').merge();
    }
  });
  return report;
}
