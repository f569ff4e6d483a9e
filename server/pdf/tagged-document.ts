/**
 * A tagged A4 PDF in Swedish (language, title, structure: DOS-lagen covers documents), with the platform's
 * fonts, a paragraph helper that tags what it draws, and `finish` that closes it and gives the bytes.
 */
import PDFDocument from 'pdfkit';
import { useUnicodeFonts } from './fonts';

export interface TaggedDocument {
  doc: PDFKit.PDFDocument;
  /** The document's root structure element; add tables and figures to it. */
  struct: PDFKit.PDFStructureElement;
  /** Draws a heading or paragraph as one tagged structure element. */
  para: (type: 'H1' | 'H2' | 'P', draw: () => void) => PDFKit.PDFStructureElement;
  /** Ends the structure and the document; resolves to the PDF's bytes. */
  finish: () => Promise<Buffer>;
}

export function taggedDocument(o: {
  margin: number;
  title: string;
  author: string;
  subject: string;
}): TaggedDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: o.margin,
    tagged: true,
    pdfVersion: '1.7',
    lang: 'sv-SE',
    displayTitle: true,
    info: { Title: o.title, Author: o.author, Subject: o.subject },
  });
  useUnicodeFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    }),
  );
  const struct = doc.struct('Document');
  doc.addStructure(struct);
  return {
    doc,
    struct,
    para: (type, draw) =>
      struct.add(
        doc.struct(type, {}, () => {
          draw();
        }),
      ),
    finish: () => {
      struct.end();
      doc.end();
      return done;
    },
  };
}
