/**
 * A small XLSX (Office Open XML SpreadsheetML) writer for the statistics exports: one sheet per table,
 * shared strings, numbers as numbers, shares as `0.0%`, dates as dates, bold headers, frozen header
 * rows and column widths. It writes the XML as strings and zips it with Node's zlib.
 *
 * Why not exceljs (used before): for a manager's export of 5 000 people (10 000 rows) it took about
 * a second on this machine, mostly building a cell object model and styles per cell, then deflating
 * in JavaScript; this takes a tenth of that. The tests read the files back with exceljs.
 */
import zlib from 'node:zlib';
import { stockholmDate } from './format';

export type XlsxCell = string | number | null | { share: number } | { date: Date };

export interface XlsxSheet {
  name: string;
  /** Row 1 (bold, larger). */
  title: string;
  /** Row 2 (bold); rows 1–2 stay in view when scrolling. */
  header: string[];
  rows: XlsxCell[][];
  /** Column widths in characters. */
  widths: number[];
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

// Style indexes in cellXfs below.
const STYLE_TITLE = 1;
const STYLE_HEADER = 2;
const STYLE_DATE = 3;
const STYLE_SHARE = 4;

/** Characters XML 1.0 does not allow are dropped; the rest escaped. */
const escapeXml = (s: string) =>
  s
    // eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[<>&"]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '&quot;'));

/** Column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/** The calendar date in Swedish time (as on the page and in the CSV) as an Excel date serial. */
function excelDate(d: Date): number {
  return Date.parse(`${stockholmDate(d)}T00:00:00Z`) / 86_400_000 + 25_569;
}

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="${MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="0.0%"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** The workbook as XLSX bytes. */
export function writeXlsx(
  sheets: XlsxSheet[],
  meta: { title: string; creator: string; created: Date },
): Buffer {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const str = (s: string) => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const files: Record<string, Buffer> = {};
  sheets.forEach((sheet, n) => {
    const cols = sheet.widths
      .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
      .join('');
    const parts: string[] = [
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}" xmlns:r="${REL}">`,
      `<sheetViews><sheetView workbookViewId="0"><pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`,
      `<sheetFormatPr defaultRowHeight="15"/>`,
      cols ? `<cols>${cols}</cols>` : '',
      `<sheetData>`,
      `<row r="1"><c r="A1" t="s" s="${STYLE_TITLE}"><v>${str(sheet.title)}</v></c></row>`,
      `<row r="2">${sheet.header.map((h, i) => `<c r="${columnName(i)}2" t="s" s="${STYLE_HEADER}"><v>${str(h)}</v></c>`).join('')}</row>`,
    ];
    const letters = Array.from(
      { length: Math.max(sheet.header.length, ...sheet.rows.slice(0, 1).map((r) => r.length)) },
      (_, i) => columnName(i),
    );
    sheet.rows.forEach((row, r) => {
      const rn = r + 3;
      let xml = `<row r="${rn}">`;
      for (let i = 0; i < row.length; i++) {
        const c = row[i];
        if (c === null) continue;
        const ref = `${letters[i] ?? columnName(i)}${rn}`;
        if (typeof c === 'number') xml += Number.isFinite(c) ? `<c r="${ref}"><v>${c}</v></c>` : '';
        else if (typeof c === 'string') xml += `<c r="${ref}" t="s"><v>${str(c)}</v></c>`;
        else if ('share' in c) xml += `<c r="${ref}" s="${STYLE_SHARE}"><v>${c.share}</v></c>`;
        else xml += `<c r="${ref}" s="${STYLE_DATE}"><v>${excelDate(c.date)}</v></c>`;
      }
      parts.push(`${xml}</row>`);
    });
    parts.push('</sheetData></worksheet>');
    files[`xl/worksheets/sheet${n + 1}.xml`] = Buffer.from(parts.join(''));
  });
  const sst = strings.map((s) => `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`).join('');
  files['xl/sharedStrings.xml'] = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${MAIN}" count="${strings.length}" uniqueCount="${strings.length}">${sst}</sst>`,
  );
  files['xl/styles.xml'] = Buffer.from(STYLES);
  files['xl/workbook.xml'] = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets
      .map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join('')}</sheets></workbook>`,
  );
  files['xl/_rels/workbook.xml.rels'] = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}">${sheets
      .map(
        (_, i) =>
          `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join(
        '',
      )}<Relationship Id="rId${sheets.length + 1}" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId${sheets.length + 2}" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  );
  files['docProps/core.xml'] = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${escapeXml(meta.title)}</dc:title><dc:creator>${escapeXml(meta.creator)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${meta.created.toISOString().replace(/\.\d{3}Z$/, 'Z')}</dcterms:created></cp:coreProperties>`,
  );
  files['_rels/.rels'] = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
  );
  files['[Content_Types].xml'] = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/>${sheets
      .map(
        (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${CT}.worksheet+xml"/>`,
      )
      .join(
        '',
      )}<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="${CT}.sharedStrings+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
  );
  // [Content_Types].xml first, as Office writes it (some readers expect it).
  const names = ['[Content_Types].xml', ...Object.keys(files).filter((n) => n !== '[Content_Types].xml')];
  return zip(
    names.map((name) => ({ name, data: files[name] })),
    meta.created,
  );
}

let crcTable: Uint32Array | null = null;
/** CRC-32 of the ZIP format: zlib's (Node ≥ 20.15), else a table in JavaScript. */
function crc32(data: Buffer): number {
  const native = (zlib as { crc32?: (d: Buffer) => number }).crc32;
  if (native) return native(data);
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A ZIP archive (deflated entries, no ZIP64: an export is far below 4 GB). */
function zip(entries: { name: string; data: Buffer }[], modified: Date): Buffer {
  const time =
    (modified.getHours() << 11) | (modified.getMinutes() << 5) | Math.floor(modified.getSeconds() / 2);
  const date = ((modified.getFullYear() - 1980) << 9) | ((modified.getMonth() + 1) << 5) | modified.getDate();
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const deflated = zlib.deflateRawSync(e.data, { level: 6 });
    const crc = crc32(e.data);
    // The local header and the central directory's entry describe the file with the same fields.
    const describe = (buf: Buffer, at: number) => {
      buf.writeUInt16LE(20, at); // version needed
      buf.writeUInt16LE(0x0800, at + 2); // names in UTF-8
      buf.writeUInt16LE(8, at + 4); // deflate
      buf.writeUInt16LE(time, at + 6);
      buf.writeUInt16LE(date, at + 8);
      buf.writeUInt32LE(crc, at + 10);
      buf.writeUInt32LE(deflated.length, at + 14);
      buf.writeUInt32LE(e.data.length, at + 18);
      buf.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    describe(local, 4);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4); // version made by
    describe(header, 6);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, deflated);
    central.push(header, name);
    offset += local.length + name.length + deflated.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}
