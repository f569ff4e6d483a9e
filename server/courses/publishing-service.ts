/**
 * What authors and the content import do to the course catalogue: create courses, publish versions, store
 * images and set the role tracks. The courses feature owns these tables; authoring calls this service.
 */
import crypto from 'node:crypto';
import type { InTransaction, Transaction } from '../db/transaction';
import { notFound } from '../http/errors';
import { lessonReadability, loadCoursesFolder, type ImportReport } from './content-import';
import { contentHash, type LoadedAsset, type LoadedCourse } from './content-loader';
import type { CoursesRepository, CourseVersion, TrackRow } from './courses-repository';
import type { EnrolmentsRepository } from './enrolments-repository';
import type { Area, JobRoleTrack } from './types';

export type { CourseListing, CourseVersion, TrackRow, VersionHistoryEntry } from './courses-repository';

export interface PublishMeta {
  source: 'import' | 'authoring';
  changeNote?: string;
  significant?: boolean;
  publishedBy?: number | null;
}

export function publishingService(deps: {
  courses: CoursesRepository;
  enrolments: Pick<EnrolmentsRepository, 'peopleWithValidCompletion'>;
  transaction: InTransaction;
}) {
  const { courses, enrolments, transaction } = deps;

  /** Publishes `loaded` as a new version unless its latest version already has the same content. */
  async function publish(
    loaded: LoadedCourse,
    meta: PublishMeta,
    trx: Transaction,
  ): Promise<'created' | 'updated' | 'unchanged'> {
    const { content, assets } = loaded;
    const hash = contentHash(content);
    await courses.saveAssets(assets, trx);
    const course = await courses.lockForPublishing(content.slug, content.area, trx);
    // Files that have not changed since the last import leave the course alone, even when it has been
    // edited in the app since: the newer edit wins, whichever side made it.
    if (meta.source === 'import' && course.importedHash === hash) return 'unchanged';
    await courses.reactivate(course.id, content.area, meta.source === 'import' ? hash : undefined, trx);
    const latest = await courses.latestOf(course.id, trx);
    if (latest && latest.contentHash === hash) return 'unchanged';
    await courses.insertVersion(
      {
        courseId: course.id,
        version: (latest?.version ?? 0) + 1,
        contentHash: hash,
        content,
        source: meta.source,
        changeNote: meta.changeNote ?? null,
        significant: meta.significant ?? false,
        publishedBy: meta.publishedBy ?? null,
      },
      trx,
    );
    return course.created ? 'created' : 'updated';
  }

  /** Replaces job roles' tracks with the file's; job roles no longer in the file stay (people may hold them). */
  async function importTracks(tracks: JobRoleTrack[], trx: Transaction): Promise<void> {
    const ids = await courses.idsBySlug(trx);
    const idOf = (slug: string) => {
      const id = ids.get(slug);
      // loadCoursesFolder has checked every slug against the folder, and every course was just imported.
      if (id === undefined) throw new Error(`tracks.yaml names an unknown course: ${slug}`);
      return id;
    };
    for (const [index, role] of tracks.entries()) {
      await courses.saveJobRole(role, index, trx);
      const rows = [
        ...role.required.map((slug) => ({
          courseId: idOf(slug),
          requirement: 'required' as const,
          repeatMonths: role.repeatMonths,
        })),
        ...role.recommended.map((slug) => ({
          courseId: idOf(slug),
          requirement: 'recommended' as const,
          repeatMonths: null,
        })),
      ].map((row, position) => ({ ...row, position }));
      await courses.replaceTrack(role.id, rows, trx);
    }
  }

  return {
    publish,

    /** The course's id; 404 for an unknown slug. */
    async courseId(slug: string): Promise<number> {
      const id = await courses.idBySlug(slug);
      if (id === null) throw notFound('courses:errors.courseNotFound');
      return id;
    },

    /** The newest version of the course, retired or not; null when it was never published. */
    async latestVersion(courseId: number): Promise<CourseVersion | null> {
      const latest = await courses.latestOf(courseId);
      return latest ? courses.versionById(latest.versionId) : null;
    },

    /** The number and id of the course's newest version, or null (in the caller's transaction). */
    async latestVersionOf(
      courseId: number,
      trx?: Transaction,
    ): Promise<{ versionId: number; version: number } | null> {
      const latest = await courses.latestOf(courseId, trx);
      return latest ? { versionId: latest.versionId, version: latest.version } : null;
    },

    versionByNumber: courses.versionByNumber,
    history: courses.history,
    listAll: courses.listAll,
    /** The courses learners can take now (newest versions, not retired). */
    listPublished: courses.listLatest,
    assetBytes: courses.assetBytes,
    saveAssets: (assets: LoadedAsset[], trx?: Transaction) => courses.saveAssets(assets, trx),
    /** Creates a course; null when the slug is taken. */
    create: (slug: string, area: Area, trx: Transaction) => courses.create(slug, area, trx),
    /** The course of this slug, created if it does not exist yet (importing a zip). */
    async ensureCourse(slug: string, area: Area, trx: Transaction): Promise<number> {
      return (await courses.lockForPublishing(slug, area, trx)).id;
    },
    peopleWithValidCompletion: (courseId: number, trx?: Transaction) =>
      enrolments.peopleWithValidCompletion(courseId, trx),
    trackRows: courses.trackRows,
    replaceTrack: (jobRole: string, rows: Omit<TrackRow, 'jobRole'>[], trx: Transaction) =>
      courses.replaceTrack(jobRole, rows, trx),

    /**
     * Imports courses/ in one transaction: a course whose content changed gets a new version (learners
     * half-way keep theirs), unchanged content changes nothing, and the role tracks are replaced by the
     * file's. Either everything is imported or nothing is.
     */
    async importFolder(root: string): Promise<ImportReport> {
      const { courses: loaded, tracks } = loadCoursesFolder(root);
      const report: ImportReport = {
        created: [],
        updated: [],
        unchanged: [],
        tracks: tracks.length,
        readability: [],
      };
      await transaction(async (trx) => {
        await courses.lockImports(trx);
        for (const course of loaded) {
          const outcome = await publish(course, { source: 'import' }, trx);
          report[outcome].push(course.content.slug);
          report.readability.push(...lessonReadability(course.content));
        }
        // Tracks edited in the app stay until tracks.yaml itself changes.
        const tracksHash = crypto.createHash('sha256').update(JSON.stringify(tracks)).digest('hex');
        if ((await courses.importedHash('tracks', trx)) !== tracksHash) {
          await importTracks(tracks, trx);
          await courses.setImportedHash('tracks', tracksHash, trx);
        }
      });
      return report;
    },
  };
}

export type PublishingService = ReturnType<typeof publishingService>;
