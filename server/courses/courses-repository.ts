/** Published course versions, role tracks and course images. */
import type { Knex } from 'knex';
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

export function coursesRepository(db: Knex) {
  // The newest version of every course that is not retired.
  const latest = () =>
    db('course_versions as v')
      .join('courses as c', 'c.id', 'v.course_id')
      .whereNull('c.retired_at')
      .whereRaw('v.version = (select max(version) from course_versions where course_id = v.course_id)')
      .select('v.id', 'v.course_id', 'v.version', 'v.content');

  return {
    async latestBySlug(slug: string): Promise<CourseVersion | null> {
      const row = await latest().where('c.slug', slug).first();
      return row ? toVersion(row) : null;
    },

    async versionById(versionId: number): Promise<CourseVersion | null> {
      const row = await db('course_versions').where({ id: versionId }).first('id', 'course_id', 'version', 'content');
      return row ? toVersion(row) : null;
    },

    async listLatest(): Promise<CourseVersion[]> {
      return (await latest().orderBy('c.slug')).map(toVersion);
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
  };
}

export type CoursesRepository = ReturnType<typeof coursesRepository>;
