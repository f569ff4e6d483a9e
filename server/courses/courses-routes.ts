import { Router } from 'express';
import { requireLogin } from '../auth/policy';
import { paths } from '../http/paths';
import { coursesController, type CoursesControllerDeps } from './courses-controller';

export function coursesRoutes(deps: CoursesControllerDeps): Router {
  const router = Router();
  const courses = coursesController(deps);
  router.get(paths.myCourses, requireLogin, courses.myCourses);
  router.post(paths.variant, requireLogin, courses.setVariant);
  router.get(paths.course(), requireLogin, courses.course);
  router.post(paths.courseStart(), requireLogin, courses.start);
  router.get(paths.lesson(), requireLogin, courses.lesson);
  router.post(paths.lessonDone(), requireLogin, courses.lessonDone);
  router.get(paths.courseImage(), requireLogin, courses.image);
  return router;
}
