import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { ZipFile } from 'yazl';

export type XlsxCell = string | number | null;

/** Output buffered ahead of a slow client before the writer waits. */
const OUTPUT_BUFFER_BYTES = 256 * 1024;
/** Sheet XML gathered before one write into the zip entry (fewer, larger writes). */
const SHEET_CHUNK_CHARS = 64 * 1024;
/** Deflate level of the sheet: 1 is several times faster than the default 6 for ≈ 15 % more bytes. */
const COMPRESSION_LEVEL = 1;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CONTENT_TYPES =
  `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '</Types>';
const ROOT_RELS =
  `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
  `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS =
  `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
  `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const workbookXml = (sheetName: string) =>
  `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
  `<sheets><sheet name="${xmlText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;

/**
 * A one-sheet XLSX file written as the rows come, with constant memory: the sheet XML (inline strings, no
 * shared-strings table, no styles) goes into the zip entry through yazl, which deflates it with zlib, and
 * every step waits for the next one (client → zip → sheet → rows). ExcelJS's streaming writer, used
 * before, built an object per cell and queued its XML without back-pressure (≈ 0.05–0.15× `\copy`).
 * Destroying the returned stream (client gone) stops reading `rows` (the caller closes its source).
 */
export function xlsxSheetStream(
  sheetName: string,
  header: readonly string[],
  rows: AsyncIterable<readonly XlsxCell[]>,
  onRow?: (rowsWritten: number) => void,
): Readable {
  const columns = header.map((_, i) => columnName(i));
  const zip = new ZipFile();
  const mtime = new Date();
  for (const [name, xml] of [
    ['[Content_Types].xml', CONTENT_TYPES],
    ['_rels/.rels', ROOT_RELS],
    ['xl/workbook.xml', workbookXml(sheetName)],
    ['xl/_rels/workbook.xml.rels', WORKBOOK_RELS],
  ]) {
    zip.addBuffer(Buffer.from(xml), name, { mtime });
  }
  const sheet = new PassThrough();
  zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml', { mtime, compressionLevel: COMPRESSION_LEVEL });
  zip.end();

  const out = new PassThrough({ highWaterMark: OUTPUT_BUFFER_BYTES });
  (zip.outputStream as Readable).once('error', (error) => out.destroy(error)).pipe(out);
  const stopped = new AbortController();
  out.once('close', () => stopped.abort());

  void (async () => {
    let chunk = `${XML_HEAD}<worksheet xmlns="${MAIN_NS}"><sheetData>${rowXml(1, header, columns)}`;
    let written = 0;
    for await (const row of rows) {
      chunk += rowXml(++written + 1, row, columns);
      if (chunk.length >= SHEET_CHUNK_CHARS) {
        onRow?.(written);
        const more = sheet.write(chunk);
        chunk = '';
        if (!more) await once(sheet, 'drain', { signal: stopped.signal });
      }
      if (stopped.signal.aborted) return;
    }
    sheet.end(`${chunk}</sheetData></worksheet>`);
    onRow?.(written);
  })().catch((error: Error) => {
    if (!stopped.signal.aborted) out.destroy(error);
  });
  return out;
}

/** `<row>` of inline-string and number cells; a null is no cell at all. */
function rowXml(index: number, cells: readonly XlsxCell[], columns: readonly string[]): string {
  let xml = `<row r="${index}">`;
  for (let i = 0; i < columns.length; i++) {
    const cell = cells[i];
    if (cell === null || cell === undefined) continue;
    const ref = `${columns[i]}${index}`;
    if (typeof cell === 'number') {
      xml += Number.isFinite(cell) ? `<c r="${ref}"><v>${cell}</v></c>` : '';
    } else {
      const space = /^\s|\s$/.test(cell) ? ' xml:space="preserve"' : '';
      xml += `<c r="${ref}" t="inlineStr"><is><t${space}>${xmlText(cell)}</t></is></c>`;
    }
  }
  return `${xml}</row>`;
}

// The control characters are the point here: XML 1.0 forbids them in a document.
// eslint-disable-next-line no-control-regex
const XML_SPECIALS = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const XML_SPECIAL = new RegExp(XML_SPECIALS.source);
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text as XML character data: the markup characters escaped, the characters XML 1.0 forbids dropped. */
export function xmlText(text: string): string {
  if (!XML_SPECIAL.test(text)) return text;
  return text.replace(XML_SPECIALS, (c) => ENTITIES[c] ?? '');
}

/** 0 → A, 25 → Z, 26 → AA. */
function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
