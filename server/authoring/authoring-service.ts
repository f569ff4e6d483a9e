/** Authoring commands: open a draft, edit its parts, add images, publish, restore, import and export. */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Knex } from 'knex';
import type { CoursesRepository, CourseVersion } from '../courses/courses-repository';
import { publishCourseVersion } from '../courses/content-import';
import type { LoadedCourse } from '../courses/content-loader';
import { qualityProblems, quizQuality } from '../courses/quiz-quality';
import { readRegion, toTemplate, type RegionFacts } from '../courses/region';
import type { Area, CourseContent, LessonContent, OptionContent, QuestionContent } from '../courses/types';
import { conflict, notFound } from '../http/errors';
import type { MailService } from '../mail/mail-service';
import { courseToFiles, filesToZip, loadCourseZip, validateAsFolder } from './course-folder';
import { missingTexts, slugify } from './draft-checks';
import type { DraftsRepository } from './drafts-repository';
import type { FactsForm, LessonForm, QuestionForm } from './authoring-validation';
import type { Draft } from './types';

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
  db: Knex;
  drafts: DraftsRepository;
  courses: CoursesRepository;
  mail: MailService;
  publicBaseUrl: string;
  coursesDir: string;
}) {
  const { db, drafts, courses, mail } = deps;

  /** The installation's regional facts, read afresh so a replaced region.yaml counts at once. */
  function region(): RegionFacts {
    return readRegion(path.join(deps.coursesDir, 'region.yaml')).region;
  }

  async function courseId(slug: string): Promise<number> {
    const row = await db('courses').where({ slug }).first('id');
    if (!row) throw notFound('courses:errors.courseNotFound');
    return row.id;
  }

  async function imageBytes(content: CourseContent): Promise<Map<string, Buffer>> {
    const shas = Object.values(content.images).map((a) => a.sha256);
    const rows = shas.length
      ? await db('course_assets').whereIn('sha256', shas).select('sha256', 'bytes')
      : [];
    return new Map(rows.map((r: { sha256: string; bytes: Buffer }) => [r.sha256, r.bytes]));
  }

  async function latestVersion(id: number): Promise<CourseVersion | null> {
    const row = await db('course_versions').where({ course_id: id }).orderBy('version', 'desc').first('id');
    return row ? courses.versionById(row.id) : null;
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
      return db.transaction(async (trx) => {
        const inserted = await trx('courses')
          .insert({ slug, area })
          .onConflict('slug')
          .ignore()
          .returning('id');
        if (!inserted.length) return 'taken';
        await drafts.ensure(inserted[0].id, emptyCourse(slug, area, title), null, userId, trx);
        await trx('audit_log').insert({
          actor_id: userId,
          action: 'course.create',
          subject: `course:${inserted[0].id}`,
        });
        return 'created';
      });
    },

    saveFacts(draft: Draft, form: FactsForm, userId: number) {
      return drafts.change(draft.courseId, 'facts', form.revision, userId, (c) => ({
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
      await drafts.change(draft.courseId, 'structure', null, userId, (c) => ({
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
      return drafts.change(draft.courseId, `lesson:${lessonId}`, form.revision, userId, (c) => {
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
      return drafts.change(draft.courseId, 'structure', null, userId, (c) => {
        const i = c.lessons.findIndex((l) => l.id === lessonId);
        const j = direction === 'up' ? i - 1 : i + 1;
        if (i < 0 || j < 0 || j >= c.lessons.length) return c;
        [c.lessons[i], c.lessons[j]] = [c.lessons[j], c.lessons[i]];
        return c;
      });
    },

    removeLesson(draft: Draft, lessonId: string, userId: number) {
      return drafts.change(draft.courseId, 'structure', null, userId, (c) => ({
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
      await drafts.change(draft.courseId, 'structure', null, userId, (c) => ({
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
      return drafts.change(draft.courseId, `question:${questionId}`, form.revision, userId, (c) => {
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
      return drafts.change(draft.courseId, 'structure', null, userId, (c) => ({
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
      await db('course_assets')
        .insert({ sha256, content_type: file.contentType, bytes: file.bytes })
        .onConflict('sha256')
        .ignore();
      const clean = (s: string) => s.replace(/[[\]\n]/g, ' ').trim();
      await drafts.change(draft.courseId, `lesson:${lessonId}`, null, userId, (c) => {
        const lesson = c.lessons.find((l) => l.id === lessonId);
        if (!lesson) throw notFound('courses:errors.lessonNotFound');
        c.images[name] = { sha256, contentType: file.contentType };
        lesson.body.standard = `${lesson.body.standard.trimEnd()}\n\n![${clean(alt.standard)}](${name})\n`;
        lesson.body.easy = `${lesson.body.easy.trimEnd()}\n\n![${clean(alt.easy)}](${name})\n`;
        return c;
      });
    },

    /**
     * Everything that stops the draft from being published: missing easy texts, the format's own rules,
     * and the quiz rules the draw depends on (pool at least twice the draw, two questions per case). The
     * other quiz rules are `warnings`: worth fixing, but only a person can judge the wording.
     */
    async publishProblems(draft: Draft): Promise<{
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
    },

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
      const check = await this.publishProblems(draft);
      if (check.missing.length || !check.loaded) return { ok: false };
      const loaded = check.loaded;
      return db.transaction(async (trx) => {
        const current = await trx('course_drafts')
          .where({ course_id: draft.courseId })
          .forUpdate()
          .first('updated_at');
        // Someone changed the draft after this page was shown: publish what they see, not something else.
        if (!current || new Date(current.updated_at).getTime() !== draft.updatedAt.getTime())
          throw conflict('authoring:errors.changedSincePreview');
        const outcome = await publishCourseVersion(trx, loaded, {
          source: 'authoring',
          changeNote,
          significant,
          publishedBy: userId,
        });
        await drafts.remove(draft.courseId, trx);
        const version = await trx('course_versions')
          .where({ course_id: draft.courseId })
          .orderBy('version', 'desc')
          .first('id', 'version');
        if (outcome !== 'unchanged' && significant) {
          const people = await trx('completions as c')
            .join('users as u', 'u.id', 'c.user_id')
            .where('c.course_id', draft.courseId)
            .where('c.valid_until', '>', trx.fn.now())
            .whereNull('u.disabled_at')
            .distinct('u.id', 'u.email', 'u.name');
          for (const p of people as { id: number; email: string; name: string }[]) {
            await mail.send(
              {
                to: p.email,
                userId: p.id,
                subject: `Nytt i kursen ${loaded.content.title.standard}`,
                text: `Hej ${p.name}!\n\nKursen "${loaded.content.title.standard}" har uppdaterats:\n\n${changeNote}\n\nDitt intyg gäller som förut. Läs det nya här: ${deps.publicBaseUrl}/kurser/${loaded.content.slug}\n\nHälsningar\nHjälpmedelscentrum`,
              },
              { eventKey: `course-update:${version.id}:${p.id}`, trx },
            );
          }
        }
        return { ok: true as const, version: version.version };
      });
    },

    /** Makes an earlier version the draft again (replacing any draft). */
    async restore(slug: string, versionNumber: number, userId: number): Promise<void> {
      const id = await courseId(slug);
      const row = await db('course_versions')
        .where({ course_id: id, version: versionNumber })
        .first('id', 'content');
      if (!row) throw notFound('authoring:errors.versionNotFound');
      await drafts.replace(id, toTemplate(row.content), row.id, userId);
      await db('audit_log').insert({
        actor_id: userId,
        action: 'draft.restore',
        subject: `course:${id}`,
        details: JSON.stringify({ version: versionNumber }),
      });
    },

    async discard(slug: string, userId: number): Promise<void> {
      const id = await courseId(slug);
      await drafts.remove(id);
      await db('audit_log').insert({ actor_id: userId, action: 'draft.discard', subject: `course:${id}` });
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
        await db.transaction(async (trx) => {
          for (const a of assets)
            await trx('course_assets')
              .insert({ sha256: a.sha256, content_type: a.contentType, bytes: a.bytes })
              .onConflict('sha256')
              .ignore();
          await trx('courses').insert({ slug: content.slug, area: content.area }).onConflict('slug').ignore();
          const course = await trx('courses').where({ slug: content.slug }).first('id');
          const latest = await trx('course_versions')
            .where({ course_id: course.id })
            .orderBy('version', 'desc')
            .first('id');
          await drafts.replace(course.id, content, latest?.id ?? null, userId, trx);
          await trx('audit_log').insert({
            actor_id: userId,
            action: 'course.import',
            subject: `course:${course.id}`,
          });
        });
        return { ok: true, slug: content.slug };
      } finally {
        result.cleanup();
      }
    },
  };
}

export type AuthoringService = ReturnType<typeof authoringService>;
