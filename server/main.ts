/**
 * Starts Hjälpmedelsskolan: config → database (embedded PostgreSQL without DATABASE_URL) → migrations
 * → course import → demo data → HTTP. On SIGTERM/SIGINT it shuts down gracefully: /readyz turns 503 and
 * the port closes at once, requests in flight (and the queries of those whose client has left) get
 * SHUTDOWN_GRACE_SECONDS (10 s) to finish, then the job queue, the timers, the session store, the pools
 * and the embedded PostgreSQL are closed, and it exits 0.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { createApp, type App } from './app';
import { loadConfig } from './config';
import { importCourses } from './courses/courses-composition';
import { formatReadabilityTable } from './courses/readability-rules';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres';
import { createKnex, migrateLatest, queriesSettled } from './db/knex';
import { seedDemoData } from './demo/demo-data';
import { stopServer, type Lifecycle } from './http/lifecycle';
import { createLogger } from './logger';
import { checkMediaStore } from './media/media-store';
import { startScheduledJobs } from './reminders/scheduled-jobs';
import { createServices, type Services } from './services';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // A missing bucket, a wrong endpoint or wrong keys stop the start here, before anything else (issue 15).
  const media = await checkMediaStore(config).catch((error: unknown) => {
    logger.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
  logger.info('Media store ready', { media });
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    logger.info('Starting embedded PostgreSQL', { dataDir: config.dataDir });
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      database: 'hjalpmedelsskolan',
      log: (m) => {
        logger.debug(m);
      },
      warn: (m) => {
        logger.warn(m);
      },
    });
    databaseUrl = embedded.url;
  }
  const db = createKnex(databaseUrl);
  const sessionPool = new Pool({ connectionString: databaseUrl, max: 4 });
  // An idle connection closed by the server (the embedded PostgreSQL stops on SIGTERM too) is not a crash.
  sessionPool.on('error', (error) => {
    logger.warn(`session pool: ${error.message}`);
  });
  let server: Server | null = null;
  let services: Services | null = null;
  let app: App | null = null;
  const lifecycle: Lifecycle = { ready: false, shuttingDown: false };
  const timers: NodeJS.Timeout[] = [];

  const shutdown = async (signal: string, exitCode = 0) => {
    if (lifecycle.shuttingDown) return;
    lifecycle.shuttingDown = true;
    logger.info('Shutting down', { signal, graceSeconds: config.shutdownGraceMs / 1000 });
    // Whatever hangs after the grace period (a stuck pool, a stuck PostgreSQL) does not keep the node up.
    const forced = setTimeout(() => {
      logger.error('Shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 20_000);
    forced.unref();
    timers.forEach((t) => {
      clearInterval(t);
    });
    const deadline = Date.now() + config.shutdownGraceMs;
    if (server) {
      const { cut } = await stopServer(server, config.shutdownGraceMs);
      if (cut) logger.warn('Requests still running after the grace period were cut off');
    }
    // The port closes when every connection has; a request whose client left may still be working.
    if (!(await queriesSettled(db, deadline)))
      logger.warn('Database work still running after the grace period was cut off');
    // A transcode in progress is stopped and its job handed back to the queue for the next start.
    await services?.transcodeQueue.stop().catch(() => undefined);
    await app?.closeSessions().catch(() => undefined);
    await sessionPool.end().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    await embedded?.stop();
    logger.info('Stopped', { signal });
    process.exit(exitCode);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  try {
    const applied = await migrateLatest(db, config.migrationsDir, config.codeExtension);
    if (applied.length) logger.info('Migrations applied', { applied });
    const report = await importCourses(db, config.coursesDir);
    logger.info('Courses imported', {
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged.length,
      tracks: report.tracks,
    });
    if (config.logLevel !== 'silent') process.stdout.write(`${formatReadabilityTable(report.readability)}\n`);
    if (config.demoData) await seedDemoData(db, logger);
  } catch (error) {
    logger.error(error instanceof Error ? error.message : String(error));
    await sessionPool.end().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    await embedded?.stop();
    process.exit(1);
  }

  services = createServices(config, db, logger);
  app = createApp(services, sessionPool, lifecycle);
  // Mail is queued in the outbox by the work that causes it and delivered here, outside requests.
  const mailTimer = setInterval(
    () =>
      void services.mail.deliverQueued().catch((e: unknown) => {
        logger.error(`Mail delivery: ${String(e)}`);
      }),
    15_000,
  );
  mailTimer.unref();
  // Regional figures, reminders and monthly summaries (issue 6).
  timers.push(mailTimer, startScheduledJobs(services));
  if (config.videoWorker) {
    await services.transcodeQueue.startWorker().catch((error: unknown) => {
      logger.error(`Video worker did not start: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  // Express 5 calls this back with the error too when listening fails (the 'error' handler below deals with it).
  server = app.listen(config.port, (error?: Error) => {
    if (error) return;
    const port = (server?.address() as AddressInfo).port;
    lifecycle.ready = true;
    logger.info(
      `Hjälpmedelsskolan is running on ${config.publicBaseUrl.replace(`:${config.port}`, `:${port}`)}`,
      { port },
    );
  });
  server.on('error', async (error) => {
    logger.error(`Could not listen on port ${config.port}: ${error.message}`);
    await shutdown('listen-error', 1);
  });
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
