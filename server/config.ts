/**
 * The only reader of process.env: parses it once into a typed config and fails fast when a value is
 * malformed, or when production lacks something it must have.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const root = path.resolve(__dirname, '..', __dirname.includes(`${path.sep}dist${path.sep}`) ? '..' : '');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.url().optional(),
  DATA_DIR: z.string().default(path.join(root, 'data')),
  MEDIA_DIR: z.string().default(path.join(root, 'media')),
  COURSES_DIR: z.string().default(path.join(root, 'courses')),
  SESSION_SECRET: z.string().min(32).optional(),
  PUBLIC_BASE_URL: z.url().optional(),
  DEMO_DATA: z.enum(['auto', 'yes', 'no']).default('auto'),
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  SMTP_URL: z.url().optional(),
  FEEDBACK_TO: z.email().default('hjalpmedelscentrum@example.invalid'),
  MAIL_FROM: z.string().default('Hjälpmedelsskolan <no-reply@hjalpmedelsskolan.local>'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // Video (issue 4).
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 ** 3),
  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),
  TRANSCODE_TIMEOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(10)
    .max(23 * 60)
    .default(6 * 60),
  TRANSCODE_STALE_SECONDS: z.coerce.number().int().min(2).max(3600).default(90),
  VIDEO_WORKER: z.enum(['yes', 'no']).default('yes'),
  // Running as a service (issue 15).
  METRICS_ALLOW: z
    .string()
    .default('127.0.0.1,::1')
    .refine(
      (v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .every(
            (e) => isIP(e.split('/')[0]) !== 0 && (!e.includes('/') || /^\d{1,3}$/.test(e.split('/')[1])),
          ),
      'a comma-separated list of IP addresses or CIDR ranges',
    ),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
  // Sign-in through organisations (issue 16): our SAML key pair, PEM files (encrypted assertions, signed requests).
  SAML_SP_KEY_FILE: z.string().optional(),
  SAML_SP_CERT_FILE: z.string().optional(),
  // Media in S3-compatible object storage (issue 15); unset: on local disk in MEDIA_DIR.
  MEDIA_STORE: z
    .string()
    .regex(
      /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9!_.*'()/-]*)?$/,
      's3://bucket or s3://bucket/prefix (bucket: 3–63 lower-case letters, digits, dots and hyphens)',
    )
    .optional(),
  S3_ENDPOINT: z
    .url()
    .refine((v) => /^https?:\/\//.test(v), 'an http(s) URL')
    .optional(),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{2,40}$/, 'a region name such as eu-north-1')
    .default('us-east-1'),
  S3_FORCE_PATH_STYLE: z.enum(['yes', 'no']).optional(),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
});

/** Where films, posters and originals are kept: this node's disk, or a bucket every node shares. */
export type MediaStoreConfig =
  | { kind: 'local' }
  | {
      kind: 's3';
      bucket: string;
      /** Key prefix without slashes at either end ('' for the bucket's root). */
      prefix: string;
      endpoint: string | undefined;
      region: string;
      forcePathStyle: boolean;
      accessKeyId: string;
      secretAccessKey: string;
    };

function mediaStoreConfig(e: z.infer<typeof schema>): MediaStoreConfig {
  if (!e.MEDIA_STORE) {
    const stray = (['S3_ENDPOINT', 'S3_FORCE_PATH_STYLE'] as const).filter((k) => e[k] !== undefined);
    if (stray.length)
      throw new Error(
        `Invalid configuration: ${stray.join(' and ')} set but MEDIA_STORE is not (set MEDIA_STORE=s3://bucket to keep media in object storage)`,
      );
    return { kind: 'local' };
  }
  const missing = (['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const).filter((k) => !e[k]);
  if (missing.length)
    throw new Error(`Invalid configuration: MEDIA_STORE=${e.MEDIA_STORE} needs ${missing.join(' and ')}`);
  const [bucket = '', ...rest] = e.MEDIA_STORE.slice('s3://'.length).split('/');
  return {
    kind: 's3',
    bucket,
    prefix: rest.filter(Boolean).join('/'),
    endpoint: e.S3_ENDPOINT,
    region: e.S3_REGION,
    // Self-hosted stores (MinIO, Ceph, Garage) want path-style addresses; AWS wants bucket host names.
    forcePathStyle: e.S3_FORCE_PATH_STYLE ? e.S3_FORCE_PATH_STYLE === 'yes' : e.S3_ENDPOINT !== undefined,
    accessKeyId: e.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: e.AWS_SECRET_ACCESS_KEY ?? '',
  };
}

export type Config = ReturnType<typeof loadConfig>;

/** Parses an environment into the app's config; throws with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  // An empty variable means unset (`DATABASE_URL= npm start` runs the embedded database).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  // The fixed development secret is public (it is in this file): sessions signed with it can be forged, so
  // it is used only with the embedded database on a developer's machine, and in tests.
  if (!e.SESSION_SECRET && (production || (e.DATABASE_URL && e.NODE_ENV !== 'test'))) {
    throw new Error(
      'Invalid configuration: SESSION_SECRET is required in production and whenever DATABASE_URL is set ' +
        '(at least 32 random characters, e.g. from `openssl rand -base64 48`); the built-in development secret is only for the embedded database',
    );
  }
  if (!e.SAML_SP_KEY_FILE !== !e.SAML_SP_CERT_FILE)
    throw new Error('Invalid configuration: SAML_SP_KEY_FILE and SAML_SP_CERT_FILE go together');
  if (production && !e.DATABASE_URL)
    throw new Error('Invalid configuration: DATABASE_URL is required in production');
  return {
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    embeddedDatabase: !e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    /** Local disk: the media themselves with the default store, else only uploads and transcodes in progress. */
    mediaDir: e.MEDIA_DIR,
    mediaStore: mediaStoreConfig(e),
    coursesDir: e.COURSES_DIR,
    // With the embedded database (and in tests) a fixed development secret keeps sessions across restarts.
    sessionSecret: e.SESSION_SECRET ?? 'development-only-secret-not-for-production-use-0001',
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`,
    // Demo data only in embedded mode unless asked for explicitly.
    demoData: e.DEMO_DATA === 'yes' || (e.DEMO_DATA === 'auto' && !e.DATABASE_URL),
    trustProxy: e.TRUST_PROXY,
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    logLevel: e.LOG_LEVEL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    /** Where accessibility feedback is mailed: set it to HMC's shared mailbox. */
    feedbackTo: e.FEEDBACK_TO,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    ffmpegPath: e.FFMPEG_PATH,
    ffprobePath: e.FFPROBE_PATH,
    // pg-boss expiry: a job still running after this is retried, so it is far above the longest transcode.
    transcodeTimeoutSeconds: e.TRANSCODE_TIMEOUT_MINUTES * 60,
    // A transcode whose worker has not reported for this long is taken as dead and run again.
    transcodeStaleSeconds: e.TRANSCODE_STALE_SECONDS,
    videoWorker: e.VIDEO_WORKER === 'yes',
    /** Who may read /metrics (req.ip; behind a proxy set TRUST_PROXY). */
    metricsAllow: e.METRICS_ALLOW,
    /** How long a stopping node lets requests in flight finish before it closes their connections. */
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    /** Our SAML private key and certificate (PEM files), when SAML IdPs encrypt assertions to us. */
    samlSpKeyFile: e.SAML_SP_KEY_FILE,
    samlSpCertFile: e.SAML_SP_CERT_FILE,
    viewsDir: path.join(root, 'views'),
    localesDir: path.join(root, 'locales'),
    // Compiled code runs its compiled migrations; ts-jest and tsx run the TypeScript ones.
    migrationsDir: path.join(path.resolve(__dirname, '..'), 'migrations'),
    codeExtension: path.extname(__filename),
  };
}
