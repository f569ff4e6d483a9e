/**
 * Where media (films, posters, originals) are kept: on this node's disk (MEDIA_DIR, the default) or in an
 * S3-compatible bucket every node shares (MEDIA_STORE=s3://bucket/prefix). Both keep objects under the
 * same keys ('videos/12/original') and are written only whole: an object is either absent or complete.
 * Uploads being received and transcodes in progress always use local scratch space in MEDIA_DIR.
 */
import type { Config } from '../config';
import { localStore } from './local-store';
import { s3Store } from './s3-store';
import type { MediaStore } from './types';

export { MediaStoreError, type MediaStore } from './types';

/** The store the configuration names. */
export function createMediaStore(config: Pick<Config, 'mediaDir' | 'mediaStore'>): MediaStore {
  return config.mediaStore.kind === 's3'
    ? s3Store(config.mediaStore, config.mediaDir)
    : localStore(config.mediaDir);
}

/**
 * Checks the configured store before the app starts (server/main.ts): a missing bucket, a wrong endpoint
 * or wrong keys stop the start with a message saying which. Resolves with the store's description.
 */
export async function checkMediaStore(config: Pick<Config, 'mediaDir' | 'mediaStore'>): Promise<string> {
  const store = createMediaStore(config);
  try {
    await store.ensureDirs();
    await store.check();
    return store.description;
  } finally {
    store.close();
  }
}
