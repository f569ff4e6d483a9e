/**
 * The fonts of every PDF the platform makes. PDFKit's built-in Helvetica covers only Latin-1 (WinAnsi), so
 * "Goran Petrović" printed as "Goran Petrovip"; DejaVu Sans covers the names of everyone who takes a course
 * (Latin Extended, Greek, Cyrillic …) and is embedded as a subset.
 */
import fs from 'node:fs';

export const BODY = 'Body';
export const BOLD = 'Body-Bold';

// Resolved through node_modules wherever it is (the app folder, or a parent when installed elsewhere).
const files = { [BODY]: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf', [BOLD]: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf' };
let loaded: Record<string, Buffer> | null = null;

/** Registers BODY and BOLD on the document and makes BODY the current font. */
export function useUnicodeFonts(doc: PDFKit.PDFDocument): void {
  loaded ??= Object.fromEntries(Object.entries(files).map(([name, file]) => [name, fs.readFileSync(require.resolve(file))]));
  for (const [name, bytes] of Object.entries(loaded)) doc.registerFont(name, bytes);
  doc.font(BODY);
}
