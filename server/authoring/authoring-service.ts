/** Authoring commands: open a draft, edit its parts, add images, publish, restore, import and export. */
import crypto from 'node:crypto';
import path from 'node:path';
import type { AuditService } from '../audit/audit-service';
import type { AuthService } from '../auth/auth-service';
import type { LoadedCourse } from '../courses/content-loader';
import type { CourseListing, PublishingService, VersionHistoryEntry } from '../courses/publishing-service';
import { qualityProblems, quizQuality } from '../courses/quiz-quality';
import { readRegion, toTemplate, type RegionFacts } from '../courses/region';
import type { Area, CourseContent, LessonContent, OptionContent, QuestionContent } from '../courses/types';
import { conflict, notFound } from '../http/errors';
import type { InTransaction } from '../db/transaction';
import type { MailService } from '../mail/mail-service';
import { courseToFiles, filesToZip, loadCourseZip, validateAsFolder } from './course-folder';
import { describeChanges, missingTexts, slugify, type Change } from './draft-checks';
import type { DraftsRepository } from './drafts-repository';
import type { FactsForm, LessonForm, QuestionForm } from './authoring-validation';
import { editChanges } from './history-text';
import { DraftConflictError, type Draft } from './types';

/** A course in the authoring list: its newest version and title, and who last changed its draft. */
export interface AuthoringCourse extends CourseListing {
  draftUpdatedAt: Date | null;
  draftUpdatedBy: string | null;
}

/** The history page: published versions (newest first) with what changed, and the logged edits in words. */
export interface CourseHistory {
  versions: (VersionHistoryEntry & { changes: Change[] })[];
  edits: { action: string; at: Date; actorName: string | null; changes: Change[] }[];
}

const TRUE_FALSE: OptionContent[] = [
  { id: 'true', text: { standard: 'Sant', easy: 'Det stämmer' }, correct: false },
  { id: 'false', text: { standard: 'Falskt', easy: 'Det stämmer inte' }, correct: false },
];

export const IMAGE_TYPES: Record<string, string> = {
  'image/svg+xml': '.svg',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/webp': '.webp',
};

/** A new, empty course content for a draft. */
function emptyCourse(slug: string, area: Area, title: string): CourseContent {
  return {
    slug,
    area,
    title: { standard: title, easy: '' },
    summary: { standard: '', easy: '' },
    estimatedMinutes: 30,
    passMark: 80,
    questionsPerAttempt: 10,
    validityMonths: 12,
    keyPoints: { standard: [], easy: [] },
    lessons: [],
    questions: [],
    images: {},
  };
}

export function authoringService(deps: {
  transaction: InTransaction;
  audit: AuditService;
  drafts: DraftsRepository;
  /** The courses feature: versions, images, and the people whose completion is valid. */
  publishing: PublishingService;
  /** The auth feature: reviewers are people with a permission on one course. */
  people: Pick<AuthService, 'activeIdByEmail' | 'grantReviewer' | 'revokeReviewer' | 'reviewersOf'>;
  mail: MailService;
  publicBaseUrl: string;
  coursesDir: string;
}) {
  const { transaction, audit, drafts, publishing, people, mail } = deps;

  /** The installation's regional facts, read afresh so a replaced region.yaml counts at once. */
  function region(): RegionFacts {
    return readRegion(path.join(deps.coursesDir, 'region.yaml')).region;
  }

  const courseId = (slug: string) => publishing.courseId(slug);
  const latestVersion = (id: number) => publishing.latestVersion(id);
  const imageBytes = (content: CourseContent) =>
    publishing.assetBytes(Object.values(content.images).map((a) => a.sha256));

  /**
   * Changes one part of the draft if nobody changed that part since `expectedRevision` (the counter the
   * editor was opened with); otherwise throws DraftConflictError with the current draft. The change and
   * its line in the audit log are one transaction.
   */
  function change(
    courseId: number,
    part: string,
    expectedRevision: number | null,
    userId: number,
    edit: (content: CourseContent) => CourseContent,
  ): Promise<Draft> {
    return transaction(async (trx) => {
      const draft = await drafts.lock(courseId, trx);
      if (!draft) throw new Error(`No draft for course ${courseId}`);
      const current = draft.revisions[part] ?? 0;
      if (expectedRevision !== null && expectedRevision !== current) throw new DraftConflictError(draft);
      const content = edit(structuredClone(draft.content));
      await drafts.update(courseId, content, { ...draft.revisions, [part]: current + 1 }, userId, trx);
      // What changed, in words for the history page (the part alone is only an id like `lesson:bromsar`).
      const changes = describeChanges(draft.content, content);
      await audit.record(
        {
          actorId: userId,
          action: 'draft.change',
          subject: `course:${courseId}`,
          details: { part, changes },
        },
        trx,
      );
      return (await drafts.findByCourse(courseId, trx)) ?? draft;
    });
  }

  /**
   * Everything that stops the draft from being published: missing easy texts, the format's own rules,
   * and the quiz rules the draw depends on (pool at least twice the draw, two questions per case). The
   * other quiz rules are `warnings`: worth fixing, but only a person can judge the wording.
   */
  async function publishProblems(draft: Draft): Promise<{
    missing: ReturnType<typeof missingTexts>;
    problems: string[];
    warnings: string[];
    loaded: LoadedCourse | null;
  }> {
    const missing = missingTexts(draft.content, `/redigera/kurser/${draft.slug}`);
    const result = validateAsFolder(draft.content, await imageBytes(draft.content), region());
    const quiz = qualityProblems(quizQuality(draft.content));
    const problems = result.ok
      ? []
      : result.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    problems.push(...quiz.filter((p) => p.blocksPublishing).map((p) => p.message));
    const warnings = quiz.filter((p) => !p.blocksPublishing).map((p) => p.message);
    return { missing, problems, warnings, loaded: result.ok && !problems.length ? result.value : null };
  }

  return {
    courseId,
    latestVersion,
    region,

    /** The course's draft, created from its newest version on first edit. */
    async openDraft(slug: string, userId: number): Promise<Draft> {
      const id = await courseId(slug);
      const existing = await drafts.findByCourse(id);
      if (existing) return existing;
      const latest = await latestVersion(id);
      if (!latest) throw notFound('courses:errors.courseNotFound');
      // A draft holds the texts as written: {{region:KEY}}, not the region's value.
      return drafts.ensure(id, toTemplate(latest.content), latest.versionId, userId);
    },

    /** The draft if there is one, for readers who may not create one (reviewers). */
    async findDraft(slug: string): Promise<Draft | null> {
      return drafts.findByCourse(await courseId(slug));
    },

    async createCourse(
      slug: string,
      area: Area,
      title: string,
      userId: number,
    ): Promise<'created' | 'taken'> {
      return transaction(async (trx) => {
        const id = await publishing.create(slug, area, trx);
        if (id === null) return 'taken';
        await drafts.ensure(id, emptyCourse(slug, area, title), null, userId, trx);
        await audit.record({ actorId: userId, action: 'course.create', subject: `course:${id}` }, trx);
        return 'created';
      });
    },

    /** Every course with its newest version and its draft's title and last change (for the authoring list). */
    async courseList(): Promise<AuthoringCourse[]> {
      const [listed, draftList] = await Promise.all([publishing.listAll(), drafts.listAll()]);
      const draftOf = new Map(draftList.map((d) => [d.courseId, d]));
      return listed.map((c) => {
        const draft = draftOf.get(c.id);
        return {
          ...c,
          title: draft ? draft.content.title.standard : c.title,
          draftUpdatedAt: draft?.updatedAt ?? null,
          draftUpdatedBy: draft?.updatedByName ?? null,
        };
      });
    },

    /** Published versions with what each changed, and the newest 50 logged edits of the course. */
    async history(id: number, current: CourseContent): Promise<CourseHistory> {
      const [versions, logged] = await Promise.all([
        publishing.history(id),
        audit.forSubjects([`course:${id}`], { limit: 50 }),
      ]);
      return {
        versions: versions
          .map((v, i) => ({
            ...v,
            changes: describeChanges(i > 0 ? versions[i - 1].content : null, v.content),
          }))
          .reverse(),
        edits: logged.map((e) => ({
          action: e.action,
          at: e.at,
          actorName: e.actorName,
          changes: editChanges({ action: e.action, details: e.details }, current),
        })),
      };
    },

    reviewers: (id: number) => people.reviewersOf(id),

    /** Makes the person with this e-mail a reviewer of the course; 'unknown' when there is no such active person. */
    async addReviewer(id: number, email: string, actorId: number): Promise<'added' | 'unknown'> {
      const userId = email ? await people.activeIdByEmail(email) : null;
      if (userId === null) return 'unknown';
      await transaction(async (trx) => {
        await people.grantReviewer(userId, id, trx);
        await audit.record(
          { actorId, action: 'reviewer.add', subject: `course:${id}`, details: { userId } },
          trx,
        );
      });
      return 'added';
    },

    async removeReviewer(id: number, userId: number, actorId: number): Promise<void> {
      await transaction(async (trx) => {
        if (await people.revokeReviewer(userId, id, trx))
          await audit.record(
            { actorId, action: 'reviewer.remove', subject: `course:${id}`, details: { userId } },
            trx,
          );
      });
    },

    saveFacts(draft: Draft, form: FactsForm, userId: number) {
      return change(draft.courseId, 'facts', form.revision, userId, (c) => ({
        ...c,
        area: form.area,
        title: { standard: form.titleStandard, easy: form.titleEasy },
        summary: { standard: form.summaryStandard, easy: form.summaryEasy },
        estimatedMinutes: form.estimatedMinutes,
        passMark: form.passMark,
        questionsPerAttempt: form.questionsPerAttempt,
        validityMonths: form.validityMonths,
        keyPoints: { standard: form.keyPointsStandard, easy: form.keyPointsEasy },
      }));
    },

    async addLesson(draft: Draft, title: string, userId: number): Promise<string> {
      const id = slugify(title, new Set(draft.content.lessons.map((l) => l.id)));
      await change(draft.courseId, 'structure', null, userId, (c) => ({
        ...c,
        lessons: [
          ...c.lessons,
          {
            id,
            kind: 'lesson',
            minutes: 5,
            title: { standard: title, easy: '' },
            body: { standard: '', easy: '' },
            video: null,
          },
        ],
      }));
      return id;
    },

    saveLesson(draft: Draft, lessonId: string, form: LessonForm, userId: number) {
      return change(draft.courseId, `lesson:${lessonId}`, form.revision, userId, (c) => {
        const lesson = c.lessons.find((l) => l.id === lessonId);
        if (!lesson) throw notFound('courses:errors.lessonNotFound');
        Object.assign(lesson, {
          kind: form.kind,
          minutes: form.minutes,
          video: form.video,
          title: { standard: form.titleStandard, easy: form.titleEasy },
          body: { standard: form.bodyStandard, easy: form.bodyEasy },
        } satisfies Partial<LessonContent>);
        return c;
      });
    },

    moveLesson(draft: Draft, lessonId: string, direction: 'up' | 'down', userId: number) {
      return change(draft.courseId, 'structure', null, userId, (c) => {
        const i = c.lessons.findIndex((l) => l.id === lessonId);
        const j = direction === 'up' ? i - 1 : i + 1;
        if (i < 0 || j < 0 || j >= c.lessons.length) return c;
        [c.lessons[i], c.lessons[j]] = [c.lessons[j], c.lessons[i]];
        return c;
      });
    },

    removeLesson(draft: Draft, lessonId: string, userId: number) {
      return change(draft.courseId, 'structure', null, userId, (c) => ({
        ...c,
        lessons: c.lessons.filter((l) => l.id !== lessonId),
        questions: c.questions.map((q) => (q.lesson === lessonId ? { ...q, lesson: null } : q)),
      }));
    },

    async addQuestion(draft: Draft, userId: number): Promise<string> {
      const id = slugify(
        `fraga-${draft.content.questions.length + 1}`,
        new Set(draft.content.questions.map((q) => q.id)),
      );
      await change(draft.courseId, 'structure', null, userId, (c) => ({
        ...c,
        questions: [
          ...c.questions,
          {
            id,
            lesson: null,
            type: 'single',
            text: { standard: '', easy: '' },
            explanation: { standard: '', easy: '' },
            options: ['a', 'b', 'c'].map((o, i) => ({
              id: o,
              text: { standard: '', easy: '' },
              correct: i === 0,
            })),
          },
        ],
      }));
      return id;
    },

    saveQuestion(draft: Draft, questionId: string, form: QuestionForm, userId: number) {
      return change(draft.courseId, `question:${questionId}`, form.revision, userId, (c) => {
        const q = c.questions.find((x) => x.id === questionId);
        if (!q) throw notFound('authoring:errors.questionNotFound');
        let options: OptionContent[];
        if (form.type === 'truefalse') {
          options = TRUE_FALSE.map((o) => ({
            ...o,
            text: { ...o.text },
            correct: o.id === (form.answer ?? 'true'),
          }));
        } else {
          const taken = new Set<string>();
          options = form.optionStandard
            .map((standard, i) => ({
              standard,
              easy: form.optionEasy[i] ?? '',
              given: form.optionId[i] ?? '',
            }))
            .map((o, i) => ({ ...o, row: String(i) }))
            .filter((o) => o.standard || o.easy)
            .map((o) => {
              const id =
                /^[a-z0-9-]{1,40}$/.test(o.given) &&
                !taken.has(o.given) &&
                o.given !== 'true' &&
                o.given !== 'false'
                  ? o.given
                  : slugify(String.fromCharCode(97 + taken.size), taken);
              taken.add(id);
              return {
                id,
                text: { standard: o.standard, easy: o.easy },
                correct: form.correct.includes(o.row),
              };
            });
        }
        Object.assign(q, {
          type: form.type,
          lesson: form.lesson && c.lessons.some((l) => l.id === form.lesson) ? form.lesson : null,
          text: { standard: form.textStandard, easy: form.textEasy },
          explanation: { standard: form.explanationStandard, easy: form.explanationEasy },
          options,
        } satisfies Partial<QuestionContent>);
        // Stored only when set, so questions that are not critical keep their content (and hash) as before.
        if (form.critical) q.critical = true;
        else delete q.critical;
        return c;
      });
    },

    removeQuestion(draft: Draft, questionId: string, userId: number) {
      return change(draft.courseId, 'structure', null, userId, (c) => ({
        ...c,
        questions: c.questions.filter((q) => q.id !== questionId),
      }));
    },

    /** Stores an image and puts it into both variants of a lesson, each with its own alt text. */
    async addImage(
      draft: Draft,
      lessonId: string,
      file: { bytes: Buffer; contentType: string },
      alt: { standard: string; easy: string },
      userId: number,
    ): Promise<void> {
      const sha256 = crypto.createHash('sha256').update(file.bytes).digest('hex');
      const name = `images/${sha256.slice(0, 12)}${IMAGE_TYPES[file.contentType]}`;
      await publishing.saveAssets([{ sha256, contentType: file.contentType, bytes: file.bytes }]);
      const clean = (s: string) => s.replace(/[[\]\n]/g, ' ').trim();
      await change(draft.courseId, `lesson:${lessonId}`, null, userId, (c) => {
        const lesson = c.lessons.find((l) => l.id === lessonId);
        if (!lesson) throw notFound('courses:errors.lessonNotFound');
        c.images[name] = { sha256, contentType: file.contentType };
        lesson.body.standard = `${lesson.body.standard.trimEnd()}\n\n![${clean(alt.standard)}](${name})\n`;
        lesson.body.easy = `${lesson.body.easy.trimEnd()}\n\n![${clean(alt.easy)}](${name})\n`;
        return c;
      });
    },

    publishProblems,

    /**
     * Publishes the draft as a new version. Learners half-way keep the version they started; with a
     * significant change, people whose completion is still valid are told there is something new.
     */
    async publish(
      draft: Draft,
      changeNote: string,
      significant: boolean,
      userId: number,
    ): Promise<{ ok: true; version: number } | { ok: false }> {
      const check = await publishProblems(draft);
      if (check.missing.length || !check.loaded) return { ok: false };
      const loaded = check.loaded;
      return transaction(async (trx) => {
        const current = await drafts.lock(draft.courseId, trx);
        // Someone changed the draft after this page was shown: publish what they see, not something else.
        if (current?.updatedAt.getTime() !== draft.updatedAt.getTime())
          throw conflict('authoring:errors.changedSincePreview');
        const outcome = await publishing.publish(
          loaded,
          { source: 'authoring', changeNote, significant, publishedBy: userId },
          trx,
        );
        await drafts.remove(draft.courseId, trx);
        const version = await publishing.latestVersionOf(draft.courseId, trx);
        if (!version) throw new Error(`Course ${draft.courseId} has no version after publishing`);
        if (outcome !== 'unchanged' && significant) {
          for (const p of await publishing.peopleWithValidCompletion(draft.courseId, trx)) {
            await mail.send(
              {
                to: p.email,
                userId: p.id,
                subject: `Nytt i kursen ${loaded.content.title.standard}`,
                text: `Hej ${p.name}!\n\nKursen "${loaded.content.title.standard}" har uppdaterats:\n\n${changeNote}\n\nDitt intyg gäller som förut. Läs det nya här: ${deps.publicBaseUrl}/kurser/${loaded.content.slug}\n\nHälsningar\nHjälpmedelscentrum`,
              },
              { eventKey: `course-update:${version.versionId}:${p.id}`, trx },
            );
          }
        }
        return { ok: true as const, version: version.version };
      });
    },

    /** Makes an earlier version the draft again (replacing any draft). */
    async restore(slug: string, versionNumber: number, userId: number): Promise<void> {
      const id = await courseId(slug);
      const version = await publishing.versionByNumber(id, versionNumber);
      if (!version) throw notFound('authoring:errors.versionNotFound');
      await transaction(async (trx) => {
        await drafts.replace(id, toTemplate(version.content), version.versionId, userId, trx);
        await audit.record(
          {
            actorId: userId,
            action: 'draft.restore',
            subject: `course:${id}`,
            details: { version: versionNumber },
          },
          trx,
        );
      });
    },

    async discard(slug: string, userId: number): Promise<void> {
      const id = await courseId(slug);
      await transaction(async (trx) => {
        await drafts.remove(id, trx);
        await audit.record({ actorId: userId, action: 'draft.discard', subject: `course:${id}` }, trx);
      });
    },

    /** The newest published version as a zip of its courses/ folder. */
    async exportZip(slug: string): Promise<Buffer> {
      const latest = await latestVersion(await courseId(slug));
      if (!latest) throw notFound('courses:errors.courseNotFound');
      return filesToZip(slug, courseToFiles(latest.content, await imageBytes(latest.content)));
    },

    /** Turns an uploaded course zip into the course's draft (a new course if the slug is new). */
    async importZip(
      zip: Buffer,
      userId: number,
    ): Promise<{ ok: true; slug: string } | { ok: false; problems: string[] }> {
      const result = await loadCourseZip(zip, region());
      try {
        if (!result.ok)
          return {
            ok: false,
            problems: result.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`),
          };
        const { assets } = result.value;
        const content = toTemplate(result.value.content);
        await transaction(async (trx) => {
          await publishing.saveAssets(assets, trx);
          const id = await publishing.ensureCourse(content.slug, content.area, trx);
          const latest = await publishing.latestVersionOf(id, trx);
          await drafts.replace(id, content, latest?.versionId ?? null, userId, trx);
          await audit.record({ actorId: userId, action: 'course.import', subject: `course:${id}` }, trx);
        });
        return { ok: true, slug: content.slug };
      } finally {
        result.cleanup();
      }
    },
  };
}

export type AuthoringService = ReturnType<typeof authoringService>;
