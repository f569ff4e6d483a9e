/**
 * Limits for every uploaded zip (and the files inside it): the same caps the image and caption uploads
 * have, plus what keeps a zip bomb from filling memory. Shared by the unzip worker and the routes.
 */
export const ZIP_LIMITS = {
  /** The uploaded zip itself. */
  zipBytes: 20 * 1024 * 1024,
  /** Files in the zip (a course has a handful of texts and some images). */
  entries: 500,
  /** All files together, unpacked. */
  totalBytes: 50 * 1024 * 1024,
  /** One image, as for an image uploaded in the lesson editor. */
  imageBytes: 2 * 1024 * 1024,
  /** One text file (course.yaml, quiz.yaml, a lesson). */
  textBytes: 1024 * 1024,
  /** Unpacked size per packed byte of one file; text packs about 3–10 times, a bomb a thousand. */
  ratio: 100,
  /** Below this a file may pack better than `ratio` (a short file of spaces does). */
  ratioFloorBytes: 64 * 1024,
  /** How long unpacking may take before it is stopped. */
  milliseconds: 30_000,
} as const;

export type ZipLimits = { readonly [K in keyof typeof ZIP_LIMITS]: number };

/** What went wrong, as a translation key with its parameters (the worker cannot translate). */
export interface ZipRefusal {
  status: 413 | 422 | 400;
  key: string;
  params: Record<string, string | number>;
}

const MB = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
export const megabytes = MB;

/**
 * Why an entry name is unsafe to unpack, or null. Refused: absolute paths, drive letters, backslashes,
 * empty, `.` or `..` segments (`images/.`, `../x`), control characters. A pure folder entry (`x/`) is fine.
 */
export function unsafeEntryName(name: string): boolean {
  if (
    name === '' ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.includes('\\') ||
    // eslint-disable-next-line no-control-regex -- control characters are exactly what an entry name may not hold
    /[\u0000-\u001f]/.test(name)
  )
    return true;
  const segments = (name.endsWith('/') ? name.slice(0, -1) : name).split('/');
  return segments.some((s) => s === '' || s === '.' || s === '..');
}
