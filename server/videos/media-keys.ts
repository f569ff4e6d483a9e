/**
 * The keys of a film's objects in the media store (server/media): built from its numeric id and names
 * the server chose (uuid output keys), never from anything a person typed or a file name they uploaded.
 * On local disk a key is the path under MEDIA_DIR, so the layout is videos/<id>/original, web-<key>.mp4 …
 */
const OUTPUT_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function folder(id: number): string {
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`bad video id ${id}`);
  return `videos/${id}/`;
}

function output(id: number, kind: 'web' | 'poster', key: string, ext: string): string {
  if (!OUTPUT_KEY.test(key)) throw new Error('bad output key');
  return `${folder(id)}${kind}-${key}.${ext}`;
}

export const mediaKeys = {
  /** Every object of one film starts with this. */
  folder,
  /** The file the educator uploaded, kept for re-transcoding. */
  original: (id: number) => `${folder(id)}original`,
  /** The web version of one transcode run (its run token is the output key). */
  web: (id: number, key: string) => output(id, 'web', key, 'mp4'),
  poster: (id: number, key: string) => output(id, 'poster', key, 'jpg'),
};
