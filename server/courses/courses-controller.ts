/** Mina kurser, course and lesson pages, the content variant switch and course images. */
import type { Request, Response } from 'express';
import { signedInUser } from '../auth/policy';
import type { AuthService } from '../auth/auth-service';
import type { BookedTraining } from '../bookings/types';
import { notFound } from '../http/errors';
import { paths } from '../http/paths';
import { safeReturnPath } from '../http/return-path';
import { byUrgency, type CoursesService } from './courses-service';
import { renderPublishedLesson } from './markdown';
import { isVariant } from './types';
import type { VideosService } from '../videos/videos-service';

const param = (req: Request, name: string): string => String(req.params[name] ?? '');

export interface CoursesControllerDeps {
  coursesService: CoursesService;
  auth: Pick<AuthService, 'setContentVariant'>;
  videosService: Pick<VideosService, 'lessonFilm'>;
  /** The bookings feature's trainings a person is booked on (shown on Mina kurser). */
  orders: { upcomingForPeople(userIds: number[]): Promise<BookedTraining[]> };
}

export function coursesController(deps: CoursesControllerDeps) {
  const { coursesService, auth, videosService, orders } = deps;

  return {
    async myCourses(req: Request, res: Response) {
      const user = signedInUser(req);
      const [cards, booked] = await Promise.all([
        coursesService.myCourses(user),
        orders.upcomingForPeople([user.id]),
      ]);
      res.render('courses/my-courses', {
        title: req.t('courses:my.title'),
        booked,
        now: new Date(),
        required: cards.filter((c) => c.requirement === 'required').sort(byUrgency),
        recommended: cards.filter((c) => c.requirement === 'recommended'),
        other: cards.filter((c) => c.requirement === 'other'),
        variant: user.contentVariant,
      });
    },

    async course(req: Request, res: Response) {
      const user = signedInUser(req);
      const progress = await coursesService.progressIn(user, param(req, 'slug'));
      const c = progress.version.content;
      res.render('courses/course', {
        title: c.title[user.contentVariant],
        progress,
        content: c,
        variant: user.contentVariant,
      });
    },

    async start(req: Request, res: Response) {
      const slug = param(req, 'slug');
      const lesson = await coursesService.start(signedInUser(req), slug);
      res.redirect(303, lesson ? paths.lesson(slug, lesson.id) : paths.quizStart(slug));
    },

    async lesson(req: Request, res: Response) {
      const user = signedInUser(req);
      const slug = param(req, 'slug');
      const view = await coursesService.lesson(user, slug, param(req, 'lesson'));
      const variant = user.contentVariant;
      const c = view.progress.version.content;
      // The lesson's film (issue 4): shown only when publishable and for this person; educators see why not.
      const described = req.query.syntolkning === 'ja';
      const film = await videosService.lessonFilm(user, view.lesson.video, variant, described);
      res.render('courses/lesson', {
        film,
        describedUrl: `${paths.lesson(slug, view.lesson.id)}${described ? '' : '?syntolkning=ja'}`,
        title: `${view.lesson.title[variant]} – ${c.title[variant]}`,
        ...view,
        content: c,
        variant,
        html: renderPublishedLesson(
          { versionId: view.progress.version.versionId, lessonId: view.lesson.id, variant },
          view.lesson.body[variant],
          c.images,
        ),
        done: view.progress.done.has(view.lesson.id),
        // After a valid completion, reading again is just reading: no new round starts.
        readOnly:
          !view.progress.enrolment &&
          (view.progress.status.state === 'completed' || view.progress.status.state === 'expiring'),
      });
    },

    async lessonDone(req: Request, res: Response) {
      const slug = param(req, 'slug');
      const { next, allDone } = await coursesService.markLessonDone(
        signedInUser(req),
        slug,
        param(req, 'lesson'),
      );
      res.redirect(303, allDone || !next ? paths.quizStart(slug) : paths.lesson(slug, next.id));
    },

    async setVariant(req: Request, res: Response) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (isVariant(body.variant)) await auth.setContentVariant(signedInUser(req).id, body.variant);
      res.redirect(303, safeReturnPath(body.returnTo, paths.myCourses));
    },

    /** Course images are immutable (addressed by hash) and only for logged-in people. */
    async image(req: Request, res: Response) {
      const sha = param(req, 'sha');
      if (!/^[0-9a-f]{64}$/.test(sha)) throw notFound();
      const asset = await coursesService.asset(sha);
      if (!asset) throw notFound();
      res.set({
        'Content-Type': asset.contentType,
        'Cache-Control': 'private, max-age=31536000, immutable',
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
        'X-Content-Type-Options': 'nosniff',
      });
      res.send(asset.bytes);
    },
  };
}
