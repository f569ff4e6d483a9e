/** Published course versions, role tracks and course images. */
import type { Knex } from 'knex';
import { BoundedCache } from './bounded-cache';
import type { CourseContent } from './types';

export interface CourseVersion {
  courseId: number;
  versionId: number;
  version: number;
  content: CourseContent;
}

export interface TrackEntry {
  courseId: number;
  slug: string;
  requirement: 'required' | 'recommended';
  repeatMonths: number | null;
}

interface VersionRow {
  course_id: number;
  id: number;
  version: number;
  content: CourseContent;
}

const toVersion = (r: VersionRow): CourseVersion => ({ courseId: r.course_id, versionId: r.id, version: r.version, content: r.content });

/** Published versions kept in memory: each course has a handful in use, and a version never changes. */
export const VERSION_CACHE_SIZE = 64;

export function coursesRepository(db: Knex) {
  const versions = new BoundedCache<number, CourseVersion>(VERSION_CACHE_SIZE);

  // The newest version of every course that is not retired: its id only, the content comes from memory.
  const latest = () =>
    db('course_versions as v')
      .join('courses as c', 'c.id', 'v.course_id')
      .whereNull('c.retired_at')
      .whereRaw('v.version = (select max(version) from course_versions where course_id = v.course_id)')
      .select('v.id');

  /** The versions by id, in the order given: from memory, the missing ones in one query. */
  async function versionsById(ids: number[]): Promise<CourseVersion[]> {
    const found = new Map(ids.flatMap((id) => versions.get(id) ?? []).map((v) => [v.versionId, v]));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) {
      const rows: VersionRow[] = await db('course_versions').whereIn('id', missing).select('id', 'course_id', 'version', 'content');
      for (const version of rows.map(toVersion)) {
        versions.set(version.versionId, version);
        found.set(version.versionId, version);
      }
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  return {
    versionsById,

    async latestBySlug(slug: string): Promise<CourseVersion | null> {
      const row = await latest().where('c.slug', slug).first();
      return row ? ((await versionsById([row.id]))[0] ?? null) : null;
    },

    async versionById(versionId: number): Promise<CourseVersion | null> {
      return (await versionsById([versionId]))[0] ?? null;
    },

    async listLatest(): Promise<CourseVersion[]> {
      return versionsById((await latest().orderBy('c.slug')).map((r: { id: number }) => r.id));
    },

    async trackFor(jobRole: string | null): Promise<TrackEntry[]> {
      if (!jobRole) return [];
      const rows = await db('track_courses as t')
        .join('courses as c', 'c.id', 't.course_id')
        .whereNull('c.retired_at')
        .where('t.job_role', jobRole)
        .orderBy('t.position')
        .select('t.course_id', 'c.slug', 't.requirement', 't.repeat_months');
      return rows.map((r: { course_id: number; slug: string; requirement: TrackEntry['requirement']; repeat_months: number | null }) => ({
        courseId: r.course_id,
        slug: r.slug,
        requirement: r.requirement,
        repeatMonths: r.repeat_months,
      }));
    },

    /** The newest significant change of each course: learners with a valid completion are told of it. */
    async latestSignificantChanges(): Promise<Map<number, { publishedAt: Date; changeNote: string | null }>> {
      const rows = await db('course_versions')
        .distinctOn('course_id')
        .where({ significant: true })
        .orderBy([{ column: 'course_id' }, { column: 'version', order: 'desc' }])
        .select('course_id', 'published_at', 'change_note');
      return new Map(rows.map((r: { course_id: number; published_at: Date; change_note: string | null }) => [r.course_id, { publishedAt: r.published_at, changeNote: r.change_note }]));
    },

    async asset(sha256: string): Promise<{ contentType: string; bytes: Buffer } | null> {
      const row = await db('course_assets').where({ sha256 }).first('content_type', 'bytes');
      return row ? { contentType: row.content_type, bytes: row.bytes } : null;
    },

    /** The course's title now (its newest version, standard variant), its slug once retired; null if unknown. */
    async titleOf(courseId: number): Promise<string | null> {
      const row = await latest().where('c.id', courseId).first<{ id: number } | undefined>();
      if (row) return (await versionsById([row.id]))[0]?.content.title.standard ?? null;
      const course = await db('courses').where({ id: courseId }).first<{ slug: string } | undefined>('slug');
      return course?.slug ?? null;
    },
  };
}

export type CoursesRepository = ReturnType<typeof coursesRepository>;
