/** Builds the video library's parts for the composition root (server/services.ts). */
import type { Knex } from 'knex';
import type { PoolClient } from 'pg';
import type PgBoss from 'pg-boss';
import type { Config } from '../config';
import { transactions } from '../db/transaction';
import type { Logger } from '../logger';
import { createMediaStore } from '../media/media-store';
import type { OrganisationsService } from '../organisations/organisations-service';
import { captionsRepository } from './captions-repository';
import { mediaTools } from './ffmpeg';
import { transcodeQueue } from './transcode-queue';
import { videosRepository } from './videos-repository';
import { videosService } from './videos-service';

/**
 * pg-boss's database adapter over knex: the statement runs on a connection of knex's pool, or on the
 * transaction's own connection when given a transaction (knex's transaction client hands out that one).
 * pg's own parameter handling is used as is, so pg-boss's `$1` placeholders, arrays and JSON work unchanged.
 */
function knexAdapter(db: Knex): PgBoss.Db {
  const client = db.client as {
    acquireConnection(): Promise<PoolClient>;
    releaseConnection(c: PoolClient): Promise<unknown>;
  };
  return {
    async executeSql(text: string, values?: unknown[]) {
      const connection = await client.acquireConnection();
      try {
        return await connection.query(text, values);
      } finally {
        await client.releaseConnection(connection);
      }
    },
  };
}

export function videosComposition(deps: {
  config: Config;
  db: Knex;
  logger: Logger;
  organisationsService: Pick<OrganisationsService, 'organisationExists'>;
}) {
  const { config, db, logger } = deps;
  const videos = videosRepository(db);
  const captions = captionsRepository(db);
  // Local disk (MEDIA_DIR) or an S3-compatible bucket (MEDIA_STORE), checked at start by server/main.ts.
  const storage = createMediaStore(config);
  const tools = mediaTools(config);
  const queue = transcodeQueue({
    sql: (trx) => knexAdapter(trx ?? db),
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
    videosService: videosService({
      transaction: transactions(db),
      organisations: deps.organisationsService,
      videos,
      captions,
      storage,
      tools,
      queue,
      logger,
    }),
  };
}
