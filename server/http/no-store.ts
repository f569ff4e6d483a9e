/** Keeps personal pages out of browser and proxy caches. */
import type { RequestHandler } from 'express';

/**
 * Everything a logged-in person is shown is about them or their work, so none of it is stored: the next
 * person at a shared computer cannot bring it back with the back button. A route that serves
 * content-addressed media may set its own caching after this.
 */
export const noStoreForPeople: RequestHandler = (req, res, next) => {
  if (req.user) res.set('Cache-Control', 'no-store');
  next();
};
