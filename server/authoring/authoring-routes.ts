import { Router, type ErrorRequestHandler } from 'express';
import multer from 'multer';
import { requireLogin, requirePermission } from '../auth/policy';
import { refuseNul } from '../http/body-parsing';
import { HttpError } from '../http/errors';
import { paths } from '../http/paths';
import { authoringController } from './authoring-controller';
import type { CommentsRepository } from './comments-repository';
import { lessonEditorController, MAX_IMAGE_BYTES, type LessonEditorDeps } from './lesson-editor-controller';
import { questionEditorController } from './question-editor-controller';
import { tracksController } from './tracks-controller';
import type { TracksService } from './tracks-service';
import { megabytes, ZIP_LIMITS } from './zip-limits';

/** Course files are small: images up to 2 MB, course zips up to 20 MB (unpacked within ZIP_LIMITS), both read into memory. */
const imageUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 20, parts: 21 },
}).single('image');
const zipUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: ZIP_LIMITS.zipBytes, files: 1, fields: 5, parts: 6 },
}).single('zip');

/** A file over its limit gets a message naming the limit; other multer errors go to the error handler. */
const tooLarge =
  (key: string, bytes: number): ErrorRequestHandler =>
  (err, _req, _res, next) => {
    const code = (err as { code?: unknown } | null | undefined)?.code;
    next(code === 'LIMIT_FILE_SIZE' ? new HttpError(413, key, { limit: megabytes(bytes) }) : err);
  };
const imageTooLarge = tooLarge('authoring:image.tooLargeLimit', MAX_IMAGE_BYTES);
const zipTooLarge = tooLarge('authoring:import.zipTooLarge', ZIP_LIMITS.zipBytes);

/** What the authoring pages use: the authoring and tracks services, comments, and the video library's films. */
export interface AuthoringDeps extends LessonEditorDeps {
  comments: CommentsRepository;
  tracks: TracksService;
}

export function authoringRoutes(deps: AuthoringDeps): Router {
  const router = Router();
  const course = authoringController(deps);
  const lesson = lessonEditorController(deps);
  const question = questionEditorController(deps);
  const tracks = tracksController(deps);
  // Educators and administrators write; reviewers read the drafts of their courses and comment
  // (each page checks the course), nobody else sees drafts.
  const readers = [requireLogin, requirePermission('educator', 'admin', 'reviewer')];
  const editors = [requireLogin, requirePermission('educator', 'admin')];

  router.get(paths.authoring, ...readers, course.index);
  router.post(paths.authoring, ...editors, course.createCourse);
  router.post(paths.authoringImport, ...editors, zipUpload, zipTooLarge, refuseNul, course.importZip);
  router.post(paths.authoringPreview, ...readers, lesson.preview);
  router.get(paths.authoringTracks, ...editors, tracks.show);
  router.post(paths.authoringTracks, ...editors, tracks.save);
  router.get(paths.authoringCourse(), ...readers, course.course);
  router.get(paths.authoringFacts(), ...editors, course.facts);
  router.post(paths.authoringFacts(), ...editors, course.saveFacts);
  router.post(paths.authoringLessons(), ...editors, lesson.add);
  router.get(paths.authoringLesson(), ...readers, lesson.show);
  router.post(paths.authoringLesson(), ...editors, lesson.save);
  router.post(paths.authoringLessonMove(), ...editors, lesson.move);
  router.post(
    paths.authoringLessonImages(),
    ...editors,
    imageUpload,
    imageTooLarge,
    refuseNul,
    lesson.addImage,
  );
  router.post(paths.authoringLessonComments(), ...readers, lesson.comment);
  router.post(paths.authoringQuestions(), ...editors, question.add);
  router.get(paths.authoringQuestion(), ...editors, question.show);
  router.post(paths.authoringQuestion(), ...editors, question.save);
  router.post(paths.authoringPublish(), ...editors, course.publish);
  router.post(paths.authoringDiscard(), ...editors, course.discard);
  router.get(paths.authoringHistory(), ...readers, course.history);
  router.post(paths.authoringRestore(), ...editors, course.restore);
  router.get(paths.authoringExport(), ...editors, course.exportZip);
  router.post(paths.authoringReviewers(), ...editors, course.reviewers);
  return router;
}
