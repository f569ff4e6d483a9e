/**
 * Where video files live under MEDIA_DIR. Every path is built from a numeric id and names the server
 * chose (uuid output keys), never from anything a person typed or a file name they uploaded.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function mediaStorage(mediaDir: string) {
  const root = path.resolve(mediaDir);
  const videoDir = (id: number) => {
    if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`bad video id ${id}`);
    return path.join(root, 'videos', String(id));
  };
  const keyed = (id: number, prefix: string, key: string, ext: string) => {
    if (!KEY.test(key)) throw new Error('bad output key');
    return path.join(videoDir(id), `${prefix}-${key}.${ext}`);
  };

  return {
    root,
    uploadsDir: path.join(root, 'uploads'),
    videoDir,
    original: (id: number) => path.join(videoDir(id), 'original'),
    web: (id: number, key: string) => keyed(id, 'web', key, 'mp4'),
    poster: (id: number, key: string) => keyed(id, 'poster', key, 'jpg'),
    /** A run's unfinished output: only renamed to its real name once complete. */
    partial: (id: number, key: string, ext: 'mp4' | 'jpg') =>
      `${keyed(id, ext === 'mp4' ? 'web' : 'poster', key, ext)}.part`,

    async ensureDirs(): Promise<void> {
      await fs.mkdir(path.join(root, 'uploads'), { recursive: true });
      await fs.mkdir(path.join(root, 'videos'), { recursive: true });
    },

    /** Removes every output of a film except the current one (older versions, unfinished parts of dead runs). */
    async removeStaleOutputs(id: number, keep: string | null): Promise<void> {
      const dir = videoDir(id);
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      await Promise.all(
        names
          .filter((n) => /^(web|poster)-/.test(n) && (!keep || !n.includes(keep) || n.endsWith('.part')))
          .map((n) => fs.rm(path.join(dir, n), { force: true })),
      );
    },
  };
}

export type MediaStorage = ReturnType<typeof mediaStorage>;
