/**
 * Reads and checks the courses/ folder (no database): the import itself is publishingService.importFolder,
 * started by importCourses in courses-composition.ts.
 */
import path from 'node:path';
import { courseDirs, loadCourse, loadTracks, type LoadedCourse } from './content-loader';
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
export function loadCoursesFolder(root: string): {
  courses: LoadedCourse[];
  tracks: JobRoleTrack[];
  region: RegionFacts;
} {
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
