/**
 * Media in an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage …) that every node shares, through the
 * AWS SDK v3. A PUT (and a completed multipart upload) is atomic: an object is either absent or whole.
 * Local files are only scratch: uploads being received and transcodes in progress, in MEDIA_DIR.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { MediaStoreConfig } from '../config';
import { MediaStoreError, type ByteRange, type MediaStore, type StoredObject } from './types';

type S3Config = Extract<MediaStoreConfig, { kind: 's3' }>;

/** How long the start-up check waits for the store before it gives up. */
const CHECK_TIMEOUT_MS = 10_000;
/** Multipart uploads in 16 MB parts, two at a time: at most 32 MB of a film in memory per upload. */
const PART_SIZE = 16 * 1024 * 1024;

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (error: unknown) => (error as SdkError).$metadata?.httpStatusCode;
const isNotFound = (error: unknown) =>
  statusOf(error) === 404 || ['NotFound', 'NoSuchKey'].includes((error as SdkError).name ?? '');

/** What went wrong, in a few words: an HTTP status and S3 error code, or the network error. */
function reason(error: unknown): string {
  const e = (error ?? {}) as SdkError;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'no answer in time';
  const status = statusOf(error);
  if (status) return `HTTP ${status}${e.name && !/^Unknown/.test(e.name) ? ` ${e.name}` : ''}`;
  return e.code ?? e.message ?? String(error);
}

export function s3Store(c: S3Config, mediaDir: string): MediaStore {
  const client = new S3Client({
    region: c.region,
    endpoint: c.endpoint,
    forcePathStyle: c.forcePathStyle,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
    maxAttempts: 3,
    // A dead endpoint fails fast; a stalled transfer (no bytes for a minute) is given up.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    // Checksums only where S3 requires them: self-hosted S3-compatible stores differ in the newer ones.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const root = path.resolve(mediaDir);
  const where = c.endpoint ?? `AWS S3 (${c.region})`;
  const Bucket = c.bucket;
  const full = (key: string) => (c.prefix ? `${c.prefix}/${key}` : key);
  const failed = (what: string, error: unknown) =>
    new MediaStoreError(`${what} in s3://${Bucket} at ${where}: ${reason(error)}`, error);

  async function head(key: string): Promise<StoredObject | null> {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket, Key: full(key) }));
      return { size: out.ContentLength ?? 0, lastModified: out.LastModified ?? new Date(0) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw failed(`Reading ${key} failed`, error);
    }
  }

  async function read(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const out = await client.send(
        new GetObjectCommand({
          Bucket,
          Key: full(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      if (!(out.Body instanceof Readable)) throw new Error('no body');
      return out.Body;
    } catch (error) {
      throw failed(`Reading ${key} failed`, error);
    }
  }

  /** Explains a failed start-up check: which of bucket, keys, region or endpoint is wrong. */
  function startProblem(error: unknown): MediaStoreError {
    const status = statusOf(error);
    const store = `MEDIA_STORE=s3://${Bucket}${c.prefix ? `/${c.prefix}` : ''} at ${where}`;
    const text =
      status === 404
        ? `the bucket "${Bucket}" does not exist. Create it (with versioning on), or correct MEDIA_STORE or S3_ENDPOINT`
        : status === 403
          ? `access refused (${reason(error)}). Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and that the key may read, write, list and delete in the bucket`
          : status === 301 || (status === 400 && /region/i.test((error as SdkError).message ?? ''))
            ? `the bucket is in another region than S3_REGION=${c.region}`
            : status
              ? `the store answered ${reason(error)}`
              : `no answer from the store (${reason(error)}). Check S3_ENDPOINT and that the store is running`;
    return new MediaStoreError(`Media store ${store}: ${text}.`, error);
  }

  return {
    description: `s3://${Bucket}${c.prefix ? `/${c.prefix}` : ''} at ${where}`,
    uploadsDir: path.join(root, 'uploads'),
    workDir: path.join(root, 'work'),

    async ensureDirs() {
      for (const dir of ['uploads', 'work'])
        await fs.mkdir(path.join(root, dir), { recursive: true }).catch((e: unknown) => {
          throw new MediaStoreError(`Scratch folder ${root}/${dir} cannot be created (MEDIA_DIR)`, e);
        });
    },

    async check() {
      const options = () => ({ abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
      try {
        await client.send(new HeadBucketCommand({ Bucket }), options());
        // The bucket is there: can the key write and delete in it too?
        const Key = full('.hms-start-check');
        await client.send(new PutObjectCommand({ Bucket, Key, Body: 'ok' }), options());
        await client.send(new DeleteObjectCommand({ Bucket, Key }), options());
      } catch (error) {
        throw startProblem(error);
      }
    },

    async putFile(key, file, contentType) {
      const upload = new Upload({
        client,
        params: { Bucket, Key: full(key), Body: createReadStream(file), ContentType: contentType },
        partSize: PART_SIZE,
        queueSize: 2,
        // A failed multipart upload is aborted, so no parts are left behind.
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        throw failed(`Storing ${key} failed`, error);
      }
      await fs.rm(file, { force: true });
    },

    read,
    head,

    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: full(key) }));
      } catch (error) {
        throw failed(`Removing ${key} failed`, error);
      }
    },

    async list(prefix) {
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      try {
        do {
          const out = await client.send(
            new ListObjectsV2Command({ Bucket, Prefix: full(prefix), ContinuationToken }),
          );
          for (const o of out.Contents ?? [])
            if (o.Key) keys.push(c.prefix ? o.Key.slice(c.prefix.length + 1) : o.Key);
          ContinuationToken = out.IsTruncated ? out.NextContinuationToken : undefined;
        } while (ContinuationToken);
      } catch (error) {
        throw failed(`Listing ${prefix} failed`, error);
      }
      return keys;
    },

    async localCopy(key, dir) {
      if (!(await head(key))) return null;
      const file = path.join(dir, path.basename(key));
      try {
        await pipeline(await read(key), createWriteStream(file));
      } catch (error) {
        await fs.rm(file, { force: true });
        throw error instanceof MediaStoreError ? error : failed(`Reading ${key} failed`, error);
      }
      return file;
    },

    close() {
      client.destroy();
    },
  };
}
