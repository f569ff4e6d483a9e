/**
 * The text of a PDF as a reader extracts it (pdf-parse on pdf.js), to check what a PDF really shows.
 * pdf.js loads its worker with a dynamic import, which Jest's module sandbox does not allow, so it runs
 * in a plain Node child process.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const EXTRACT = `
import { PDFParse } from 'pdf-parse';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
const result = await parser.getText();
await parser.destroy();
process.stdout.write(result.text);
`;

export function pdfText(pdf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', EXTRACT], {
      cwd: path.join(__dirname, '..', '..'),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`pdf-parse failed: ${Buffer.concat(err).toString()}`));
    });
    child.stdin.end(pdf);
  });
}

/** How many structure elements of a type (/S /TR …) the PDF's structure tree has. */
export function structureCount(pdf: Buffer, type: string): number {
  return pdf.toString('latin1').split(`/S /${type}\n`).length - 1;
}
