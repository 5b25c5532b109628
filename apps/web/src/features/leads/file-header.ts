/**
 * The header row and a few rows of a CSV or XLSX file, read in the browser before upload, so that
 * the import wizard can propose a column mapping. No spreadsheet library: a CSV line splitter, and for
 * XLSX the zip's central directory, DecompressionStream('deflate-raw') and DOMParser.
 */

export interface FilePreview {
  headers: string[];
  rows: string[][];
}

const PREVIEW_ROWS = 5;

export async function readFilePreview(file: File): Promise<FilePreview> {
  if (/\.xlsx$/i.test(file.name)) return readXlsx(file);
  // the start of the file is enough for the header and a few rows
  const text = await file.slice(0, 256 * 1024).text();
  return readCsv(text.replace(/^\uFEFF/, ''));
}

/** RFC 4180 rows; the delimiter is `;` when the header line has more of them than commas. */
export function readCsv(text: string): FilePreview {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length && rows.length <= PREVIEW_ROWS; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      if (row.some((c) => c !== '')) rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    if (row.some((c) => c !== '') && rows.length <= PREVIEW_ROWS) rows.push(row);
  }
  const [headers = [], ...rest] = rows;
  return { headers: headers.map((h) => h.trim()), rows: rest };
}

interface ZipEntry {
  method: number;
  compressedSize: number;
  offset: number;
}

/** The entries of a zip by name, from its central directory. */
function zipEntries(bytes: DataView): Map<string, ZipEntry> {
  let end = bytes.byteLength - 22;
  while (end >= 0 && bytes.getUint32(end, true) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error('This is not an XLSX file (no zip directory).');
  const count = bytes.getUint16(end + 10, true);
  let at = bytes.getUint32(end + 16, true);
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n += 1) {
    const nameLength = bytes.getUint16(at + 28, true);
    const name = decoder.decode(new Uint8Array(bytes.buffer, at + 46, nameLength));
    entries.set(name, {
      method: bytes.getUint16(at + 10, true),
      compressedSize: bytes.getUint32(at + 20, true),
      offset: bytes.getUint32(at + 42, true),
    });
    at += 46 + nameLength + bytes.getUint16(at + 30, true) + bytes.getUint16(at + 32, true);
  }
  return entries;
}

async function zipText(bytes: DataView, entry: ZipEntry | undefined): Promise<string | null> {
  if (!entry) return null;
  const start = entry.offset + 30 + bytes.getUint16(entry.offset + 26, true) + bytes.getUint16(entry.offset + 28, true);
  const data = new Uint8Array(bytes.buffer, start, entry.compressedSize);
  if (entry.method === 0) return new TextDecoder().decode(data);
  const stream = new Blob([data.slice()]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

const xml = (text: string) => new DOMParser().parseFromString(text, 'application/xml');

/** The first sheet's first rows (as the server reads the first sheet). */
async function readXlsx(file: File): Promise<FilePreview> {
  const bytes = new DataView(await file.arrayBuffer());
  const entries = zipEntries(bytes);
  const shared = await zipText(bytes, entries.get('xl/sharedStrings.xml'));
  const strings = shared
    ? Array.from(xml(shared).getElementsByTagName('si')).map((si) =>
        Array.from(si.getElementsByTagName('t'))
          .map((t) => t.textContent ?? '')
          .join(''),
      )
    : [];
  const sheetName = await firstSheetPath(bytes, entries);
  const sheet = await zipText(bytes, entries.get(sheetName));
  if (!sheet) throw new Error('The workbook has no sheet.');
  const rows = Array.from(xml(sheet).getElementsByTagName('row'))
    .slice(0, PREVIEW_ROWS + 1)
    .map((row) => {
      const cells: string[] = [];
      for (const c of Array.from(row.getElementsByTagName('c'))) {
        const column = columnIndex(c.getAttribute('r')) ?? cells.length;
        const type = c.getAttribute('t');
        const value =
          type === 's'
            ? (strings[Number(c.getElementsByTagName('v')[0]?.textContent)] ?? '')
            : type === 'inlineStr'
              ? Array.from(c.getElementsByTagName('t'))
                  .map((t) => t.textContent ?? '')
                  .join('')
              : (c.getElementsByTagName('v')[0]?.textContent ?? '');
        while (cells.length < column) cells.push('');
        cells[column] = value;
      }
      return cells;
    });
  const [headers = [], ...rest] = rows;
  return { headers: headers.map((h) => h.trim()), rows: rest };
}

/** "C7" → 2. */
function columnIndex(ref: string | null): number | null {
  const letters = ref?.match(/^[A-Z]+/)?.[0];
  if (!letters) return null;
  return [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
}

async function firstSheetPath(bytes: DataView, entries: Map<string, ZipEntry>): Promise<string> {
  const workbook = await zipText(bytes, entries.get('xl/workbook.xml'));
  const rels = await zipText(bytes, entries.get('xl/_rels/workbook.xml.rels'));
  const relId = workbook ? xml(workbook).getElementsByTagName('sheet')[0]?.getAttribute('r:id') : null;
  const target = rels
    ? Array.from(xml(rels).getElementsByTagName('Relationship'))
        .find((r) => r.getAttribute('Id') === relId)
        ?.getAttribute('Target')
    : null;
  if (!target) return 'xl/worksheets/sheet1.xml';
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}
