/** A transcoding worker in a process of its own, for the test that kills a worker mid-job. */
import { loadConfig } from '../../server/config';
import { createKnex } from '../../server/db/knex';
import { createLogger } from '../../server/logger';
import { createServices } from '../../server/services';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const db = createKnex(config.databaseUrl!, 3);
const services = createServices(config, db, createLogger('silent'));
void services.transcodeQueue
  .startWorker({ pollingIntervalSeconds: 0.5 })
  .then(() => process.stdout.write('ready\n'));
