import { Router } from 'express';
import { requireLogin, requirePermission } from '../auth/policy';
import { paths } from '../http/paths';
import { videosController, type VideosDeps } from './videos-controller';

export function videosRoutes(deps: VideosDeps): Router {
  const router = Router();
  const v = videosController(deps);
  const educator = [requireLogin, requirePermission('educator', 'admin')];
  router.get(paths.videos, ...educator, v.library);
  router.get(paths.videoNew, ...educator, v.newForm);
  router.post(paths.videos, ...educator, v.receiveFilm, v.create);
  router.get(paths.video(), ...educator, v.show);
  router.get(paths.videoStatus(), ...educator, v.status);
  router.post(paths.videoRetry(), ...educator, v.retry);
  router.post(paths.videoAudioDescription(), ...educator, v.audioDescription);
  router.get(paths.videoCaptions(), ...educator, v.captionsEditor);
  router.post(paths.videoCaptions(), ...educator, v.receiveCaptions, v.uploadCaptions);
  router.post(paths.videoCueNew(), ...educator, v.addCue);
  router.post(paths.videoCueDelete(), ...educator, v.deleteCue);
  router.post(paths.videoCue(), ...educator, v.updateCue);
  // Media: everyone allowed to watch the film (checked per film in the controller).
  router.get(paths.videoFile(), requireLogin, v.file);
  router.get(paths.videoPoster(), requireLogin, v.poster);
  router.get(paths.videoTrack(), requireLogin, v.track);
  router.get(paths.videoTranscript(), requireLogin, v.transcript);
  return router;
}
