/**
 * Media on this node's disk under MEDIA_DIR (the default; one node, or several sharing a file system).
 * An object is a file at MEDIA_DIR/<key>; it arrives by rename, so a reader sees all of it or none.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { MediaStoreError, type ByteRange, type MediaStore, type StoredObject } from './types';

/** Keys are made by the app (ids, uuids), never from what a person typed; anything else is refused. */
const KEY = /^[a-z0-9]+(?:[/._-][a-z0-9]+)*\/?$/i;

const failed = (what: string, error: unknown) =>
  new MediaStoreError(`${what}: ${error instanceof Error ? error.message : String(error)}`, error);

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

export function localStore(mediaDir: string): MediaStore {
  const root = path.resolve(mediaDir);
  const pathOf = (key: string) => {
    if (!KEY.test(key) || key.split('/').includes('..')) throw new Error(`bad media key ${key}`);
    return path.join(root, key);
  };
  const uploadsDir = path.join(root, 'uploads');
  const workDir = path.join(root, 'work');

  async function head(key: string): Promise<StoredObject | null> {
    try {
      const stat = await fs.stat(pathOf(key));
      return stat.isFile() ? { size: stat.size, lastModified: stat.mtime } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw failed(`Reading ${key} failed`, error);
    }
  }

  return {
    description: root,
    uploadsDir,
    workDir,

    async ensureDirs() {
      for (const dir of [uploadsDir, workDir, path.join(root, 'videos')])
        await fs.mkdir(dir, { recursive: true }).catch((e: unknown) => {
          throw failed(`Media folder ${dir} cannot be created`, e);
        });
    },

    async check() {
      await fs.access(root, fs.constants.W_OK).catch((e: unknown) => {
        throw failed(`Media folder ${root} is not writable (MEDIA_DIR)`, e);
      });
    },

    async putFile(key, file) {
      const target = pathOf(key);
      try {
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.rename(file, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw failed(`Storing ${key} failed`, error);
        // Scratch space on another file system: copy beside the target, then rename into place.
        const temporary = `${target}.${crypto.randomUUID()}.tmp`;
        try {
          await fs.copyFile(file, temporary);
          await fs.rename(temporary, target);
        } catch (copyError) {
          await fs.rm(temporary, { force: true });
          throw failed(`Storing ${key} failed`, copyError);
        }
        await fs.rm(file, { force: true });
      }
    },

    async read(key, range?: ByteRange): Promise<Readable> {
      const file = pathOf(key);
      // Open first, so a missing file is an error here rather than on the response stream.
      const handle = await fs.open(file, 'r').catch((e: unknown) => {
        throw failed(`Reading ${key} failed`, e);
      });
      return handle.createReadStream({ start: range?.start, end: range?.end });
    },

    head,

    async delete(key) {
      await fs.rm(pathOf(key), { force: true }).catch((e: unknown) => {
        throw failed(`Removing ${key} failed`, e);
      });
    },

    async list(prefix) {
      const dir = pathOf(prefix);
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch((e: unknown) => {
        if (isMissing(e)) return [];
        throw failed(`Listing ${prefix} failed`, e);
      });
      const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
      return entries.filter((e) => e.isFile()).map((e) => `${base}${e.name}`);
    },

    async localCopy(key) {
      return (await head(key)) ? pathOf(key) : null;
    },

    close() {
      // Nothing to release: files are opened per read.
    },
  };
}
