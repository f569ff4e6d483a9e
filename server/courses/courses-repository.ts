/** Published course versions, role tracks and course images. */
import type { Knex } from 'knex';
import { replaceRows } from '../db/rows';
import { prepared } from '../db/prepared';
import { BoundedCache } from '../db/bounded-cache';
import type { LoadedAsset } from './content-loader';
import type { Area, CourseContent } from './types';

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

/** One published version as the history page lists it (who published it, why, and what it held). */
export interface VersionHistoryEntry {
  versionId: number;
  version: number;
  content: CourseContent;
  publishedAt: Date;
  publishedByName: string | null;
  changeNote: string | null;
  significant: boolean;
  source: 'import' | 'authoring';
}

/** Every course (published or not) with its newest version number and title, for the authoring list. */
export interface CourseListing {
  id: number;
  slug: string;
  version: number | null;
  title: string | null;
}

export interface NewVersion {
  courseId: number;
  version: number;
  contentHash: string;
  content: CourseContent;
  source: 'import' | 'authoring';
  changeNote: string | null;
  significant: boolean;
  publishedBy: number | null;
}

/** A role track as stored: one row per job role and course. */
export interface TrackRow {
  jobRole: string;
  courseId: number;
  requirement: 'required' | 'recommended';
  repeatMonths: number | null;
  position: number;
}

const toVersion = (r: VersionRow): CourseVersion => ({
  courseId: r.course_id,
  versionId: r.id,
  version: r.version,
  content: r.content,
});

interface CatalogueRow {
  version_id: number;
  course_id: number;
  slug: string;
  requirement: TrackEntry['requirement'] | null;
  repeat_months: number | null;
  position: number | null;
  change_published_at: Date | null;
  change_note: string | null;
}

export interface Catalogue {
  latest: CourseVersion[];
  track: TrackEntry[];
  changes: Map<number, { publishedAt: Date; changeNote: string | null }>;
}

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
      const rows: VersionRow[] = await db('course_versions')
        .whereIn('id', missing)
        .select('id', 'course_id', 'version', 'content');
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
      const row = await latest().where('c.slug', slug).first<{ id: number } | undefined>();
      return row ? ((await versionsById([row.id]))[0] ?? null) : null;
    },

    async versionById(versionId: number): Promise<CourseVersion | null> {
      return (await versionsById([versionId]))[0] ?? null;
    },

    async listLatest(): Promise<CourseVersion[]> {
      return versionsById((await latest().orderBy('c.slug').select<{ id: number }[]>()).map((r) => r.id));
    },

    async trackFor(jobRole: string | null): Promise<TrackEntry[]> {
      if (!jobRole) return [];
      const rows = await db('track_courses as t')
        .join('courses as c', 'c.id', 't.course_id')
        .whereNull('c.retired_at')
        .where('t.job_role', jobRole)
        .orderBy('t.position')
        .select('t.course_id', 'c.slug', 't.requirement', 't.repeat_months');
      return rows.map(
        (r: {
          course_id: number;
          slug: string;
          requirement: TrackEntry['requirement'];
          repeat_months: number | null;
        }) => ({
          courseId: r.course_id,
          slug: r.slug,
          requirement: r.requirement,
          repeatMonths: r.repeat_months,
        }),
      );
    },

    /**
     * Mina kurser's catalogue in one query: the newest version of every course that is not retired (by
     * slug), the person's role track (by position) and each course's newest significant change.
     */
    async catalogueFor(jobRole: string | null): Promise<Catalogue> {
      const { rows } = await prepared(
        'course-catalogue',
        db.raw<{ rows: CatalogueRow[] }>(
          `select v.id as version_id, c.id as course_id, c.slug, t.requirement, t.repeat_months, t.position,
             sc.published_at as change_published_at, sc.change_note
           from courses c
           join course_versions v on v.course_id = c.id
             and v.version = (select max(version) from course_versions where course_id = c.id)
           left join track_courses t on t.course_id = c.id and t.job_role = ?
           left join lateral (select published_at, change_note from course_versions
             where course_id = c.id and significant order by version desc limit 1) sc on true
           where c.retired_at is null
           order by c.slug`,
          [jobRole],
        ),
      );
      return {
        latest: await versionsById(rows.map((r) => r.version_id)),
        track: rows
          .filter(
            (r): r is CatalogueRow & { requirement: TrackEntry['requirement']; position: number } =>
              r.requirement !== null,
          )
          .sort((a, b) => a.position - b.position)
          .map((r) => ({
            courseId: r.course_id,
            slug: r.slug,
            requirement: r.requirement,
            repeatMonths: r.repeat_months,
          })),
        changes: new Map(
          rows.flatMap((r) =>
            r.change_published_at
              ? [[r.course_id, { publishedAt: r.change_published_at, changeNote: r.change_note }] as const]
              : [],
          ),
        ),
      };
    },

    /** The course's id by slug, retired courses included. */
    async idBySlug(slug: string, trx: Knex = db): Promise<number | null> {
      const row = await trx('courses').where({ slug }).first<{ id: number } | undefined>('id');
      return row?.id ?? null;
    },

    /** The newest version of a course (retired or not), or null when it was never published. */
    async latestOf(
      courseId: number,
      trx: Knex = db,
    ): Promise<{ versionId: number; version: number; contentHash: string } | null> {
      const row = await trx('course_versions')
        .where({ course_id: courseId })
        .orderBy('version', 'desc')
        .first<{ id: number; version: number; content_hash: string } | undefined>(
          'id',
          'version',
          'content_hash',
        );
      return row ? { versionId: row.id, version: row.version, contentHash: row.content_hash } : null;
    },

    async versionByNumber(courseId: number, version: number): Promise<CourseVersion | null> {
      const row = await db('course_versions')
        .where({ course_id: courseId, version })
        .first<{ id: number } | undefined>('id');
      return row ? ((await versionsById([row.id]))[0] ?? null) : null;
    },

    /** Every version of a course, oldest first, with who published it. */
    async history(courseId: number): Promise<VersionHistoryEntry[]> {
      const rows = await db('course_versions as v')
        .leftJoin('users as u', 'u.id', 'v.published_by')
        .where('v.course_id', courseId)
        .orderBy('v.version')
        .select<
          (VersionRow & {
            published_at: Date;
            change_note: string | null;
            significant: boolean;
            source: VersionHistoryEntry['source'];
            published_by_name: string | null;
          })[]
        >(
          'v.id',
          'v.course_id',
          'v.version',
          'v.content',
          'v.published_at',
          'v.change_note',
          'v.significant',
          'v.source',
          'u.name as published_by_name',
        );
      return rows.map((r) => ({
        versionId: r.id,
        version: r.version,
        content: r.content,
        publishedAt: r.published_at,
        publishedByName: r.published_by_name,
        changeNote: r.change_note,
        significant: r.significant,
        source: r.source,
      }));
    },

    /** Every course with its newest version number and title (the version's, or none when never published). */
    async listAll(): Promise<CourseListing[]> {
      const rows = await db('courses as c')
        .orderBy('c.slug')
        .select<{ id: number; slug: string; version: number | null; title: string | null }[]>(
          'c.id',
          'c.slug',
          db.raw('(select max(version) from course_versions v where v.course_id = c.id) as version'),
          db.raw(
            "(select content->'title'->>'standard' from course_versions v where v.course_id = c.id order by version desc limit 1) as title",
          ),
        );
      return rows;
    },

    /** Creates a course; null when the slug is taken. */
    async create(slug: string, area: Area, trx: Knex = db): Promise<number | null> {
      const inserted = await trx('courses')
        .insert({ slug, area })
        .onConflict('slug')
        .ignore()
        .returning<{ id: number }[]>('id');
      return inserted[0]?.id ?? null;
    },

    /** Locks the course of this slug for publishing, creating it first if needed. */
    async lockForPublishing(
      slug: string,
      area: Area,
      trx: Knex,
    ): Promise<{ id: number; importedHash: string | null; created: boolean }> {
      const inserted = await trx('courses')
        .insert({ slug, area })
        .onConflict('slug')
        .ignore()
        .returning<{ id: number }[]>('id');
      const row = await trx('courses')
        .where({ slug })
        .forUpdate()
        .first<{ id: number; imported_hash: string | null }>('id', 'imported_hash');
      return { id: row.id, importedHash: row.imported_hash, created: inserted.length > 0 };
    },

    /** Sets the course's area and un-retires it; `importedHash` too when the files were imported. */
    async reactivate(
      courseId: number,
      area: Area,
      importedHash: string | undefined,
      trx: Knex,
    ): Promise<void> {
      await trx('courses')
        .where({ id: courseId })
        .update({
          area,
          retired_at: null,
          ...(importedHash === undefined ? {} : { imported_hash: importedHash }),
        });
    },

    async insertVersion(v: NewVersion, trx: Knex): Promise<void> {
      await trx('course_versions').insert({
        course_id: v.courseId,
        version: v.version,
        content_hash: v.contentHash,
        content: JSON.stringify(v.content),
        source: v.source,
        change_note: v.changeNote,
        significant: v.significant,
        published_by: v.publishedBy,
      });
    },

    /** Stores images by their hash (an image already stored is kept). */
    async saveAssets(assets: LoadedAsset[], trx: Knex = db): Promise<void> {
      for (const a of assets)
        await trx('course_assets')
          .insert({ sha256: a.sha256, content_type: a.contentType, bytes: a.bytes })
          .onConflict('sha256')
          .ignore();
    },

    /** The stored bytes of the given images, by hash. */
    async assetBytes(shas: string[]): Promise<Map<string, Buffer>> {
      const rows = shas.length
        ? await db('course_assets')
            .whereIn('sha256', shas)
            .select<{ sha256: string; bytes: Buffer }[]>('sha256', 'bytes')
        : [];
      return new Map(rows.map((r) => [r.sha256, r.bytes]));
    },

    /** Every course id by slug. */
    async idsBySlug(trx: Knex = db): Promise<Map<string, number>> {
      const rows = await trx('courses').select<{ id: number; slug: string }[]>('id', 'slug');
      return new Map(rows.map((c) => [c.slug, c.id]));
    },

    async trackRows(): Promise<TrackRow[]> {
      const rows = await db('track_courses').select<
        {
          job_role: string;
          course_id: number;
          requirement: TrackRow['requirement'];
          repeat_months: number | null;
          position: number;
        }[]
      >('job_role', 'course_id', 'requirement', 'repeat_months', 'position');
      return rows.map((r) => ({
        jobRole: r.job_role,
        courseId: r.course_id,
        requirement: r.requirement,
        repeatMonths: r.repeat_months,
        position: r.position,
      }));
    },

    /** Replaces one job role's track with `rows`. */
    async replaceTrack(jobRole: string, rows: Omit<TrackRow, 'jobRole'>[], trx: Knex): Promise<void> {
      await replaceRows(
        trx,
        'track_courses',
        (q) => q.where({ job_role: jobRole }),
        rows.map((r) => ({
          job_role: jobRole,
          course_id: r.courseId,
          requirement: r.requirement,
          repeat_months: r.repeatMonths,
          position: r.position,
        })),
      );
    },

    /**
     * Creates or renames a job role named in tracks.yaml. The organisations feature reads job_roles; the
     * file that defines them is the courses folder's, so its import writes them here.
     */
    async saveJobRole(
      role: { id: string; name: { sv: string; en: string } },
      sort: number,
      trx: Knex,
    ): Promise<void> {
      await trx('job_roles')
        .insert({ id: role.id, name_sv: role.name.sv, name_en: role.name.en, sort })
        .onConflict('id')
        .merge();
    },

    /** Two app processes starting at once must not both import (and publish version N twice). */
    async lockImports(trx: Knex): Promise<void> {
      await trx.raw('select pg_advisory_xact_lock(?)', [720_001]);
    },

    /** The hash of what was last imported under `key` (e.g. `tracks`), or null. */
    async importedHash(key: string, trx: Knex): Promise<string | null> {
      const row = await trx('content_imports').where({ key }).first<{ hash: string } | undefined>('hash');
      return row?.hash ?? null;
    },

    async setImportedHash(key: string, hash: string, trx: Knex): Promise<void> {
      await trx('content_imports').insert({ key, hash, imported_at: trx.fn.now() }).onConflict('key').merge();
    },

    async asset(sha256: string): Promise<{ contentType: string; bytes: Buffer } | null> {
      const row = await db('course_assets')
        .where({ sha256 })
        .first<{ content_type: string; bytes: Buffer } | undefined>('content_type', 'bytes');
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
