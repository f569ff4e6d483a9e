/** The media store's contract, shared by the local-disk and the S3 implementation. */
import type { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
  lastModified: Date;
}

/** An inclusive byte range, as in HTTP. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface MediaStore {
  /** For logs: where the media are (a folder, or s3://bucket/prefix at an endpoint). Never holds keys. */
  readonly description: string;
  /** Local scratch space for uploads being received (multer writes here). */
  readonly uploadsDir: string;
  /** Local scratch space for transcodes in progress. */
  readonly workDir: string;
  /** Creates the scratch folders. */
  ensureDirs(): Promise<void>;
  /** Checks at start that the store is there and writable; throws MediaStoreError with a clear reason. */
  check(): Promise<void>;
  /**
   * Stores a local file under `key`, whole or not at all, and removes the local file. On failure the
   * local file is left for the caller to remove.
   */
  putFile(key: string, file: string, contentType: string): Promise<void>;
  /** The object's bytes (a range of them when given). */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Size and time of an object; null when there is none. */
  head(key: string): Promise<StoredObject | null>;
  /** Removes an object; no error when it is already gone. */
  delete(key: string): Promise<void>;
  /** The keys that start with `prefix` (a folder-like prefix ending in '/'). */
  list(prefix: string): Promise<string[]>;
  /**
   * A local file holding the object, for tools that read files (ffmpeg): the stored file itself on disk,
   * or a download into `dir` from a bucket. Null when there is no such object.
   */
  localCopy(key: string, dir: string): Promise<string | null>;
  /** Releases connections (the S3 client's sockets). */
  close(): void;
}

/** The store could not be reached or refused the operation (network, permissions, disk full). */
export class MediaStoreError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'MediaStoreError';
  }
}
