/** Builds the video library's parts for the composition root (server/services.ts). */
import type { Knex } from 'knex';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { captionsRepository } from './captions-repository';
import { createMediaStore } from '../media/media-store';
import { mediaTools } from './ffmpeg';
import { transcodeQueue } from './transcode-queue';
import { videosRepository } from './videos-repository';
import { videosService } from './videos-service';

export function videoLibrary(deps: { config: Config; db: Knex; logger: Logger }) {
  const { config, db, logger } = deps;
  const videos = videosRepository(db);
  const captions = captionsRepository(db);
  // Local disk (MEDIA_DIR) or an S3-compatible bucket (MEDIA_STORE), checked at start by server/main.ts.
  const storage = createMediaStore(config);
  const tools = mediaTools(config);
  const queue = transcodeQueue({
    db,
    logger,
    videos,
    storage,
    tools,
    timeoutSeconds: config.transcodeTimeoutSeconds,
    staleSeconds: config.transcodeStaleSeconds,
  });
  return {
    videos,
    captions,
    mediaStorage: storage,
    mediaTools: tools,
    transcodeQueue: queue,
    videosService: videosService({ db, videos, captions, storage, tools, queue, logger }),
  };
}
