/**
 * The fonts of every PDF the platform makes. PDFKit's built-in Helvetica covers only Latin-1 (WinAnsi), so
 * "Goran Petrović" printed as "Goran Petrovip"; DejaVu Sans covers the names of everyone who takes a course
 * (Latin Extended, Greek, Cyrillic …) and is embedded as a subset.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';

export const BODY = 'Body';
export const BOLD = 'Body-Bold';

// Resolved through node_modules wherever it is (the app folder, or a parent when installed elsewhere).
const files: Record<string, string> = {
  [BODY]: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  [BOLD]: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
};

/** A font parsed by fontkit (PDFKit's font engine), which PDFKit accepts in place of the file's bytes. */
interface ParsedFont {
  layout(text: string): unknown;
}

// Parsing the TTF for each PDF took about 200 ms of blocked event loop per certificate; parsed once and
// shared, the tables it has read stay read. Each PDF still makes its own subset of the glyphs it uses.
// fontkit is taken from where PDFKit finds it, so it is the very version PDFKit works with.
let parsed: Record<string, ParsedFont> | null = null;
function parsedFonts(): Record<string, ParsedFont> {
  if (!parsed) {
    const load = createRequire(__filename);
    const fontkit = load(load.resolve('fontkit', { paths: [load.resolve('pdfkit')] })) as {
      create(bytes: Buffer): ParsedFont;
    };
    parsed = Object.fromEntries(
      Object.entries(files).map(([name, file]) => [
        name,
        fontkit.create(fs.readFileSync(require.resolve(file))),
      ]),
    );
  }
  return parsed;
}

/** Registers BODY and BOLD on the document and makes BODY the current font. */
export function useUnicodeFonts(doc: PDFKit.PDFDocument): void {
  // The type of registerFont lists only file names and bytes; PDFKit also takes a parsed font (its layout() tells).
  for (const [name, font] of Object.entries(parsedFonts())) doc.registerFont(name, font as unknown as Buffer);
  doc.font(BODY);
}
