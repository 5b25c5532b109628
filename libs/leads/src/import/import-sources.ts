import type ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { checkXlsxLimits, XLSX_LIMITS, XlsxFormatError, XlsxLimitError } from './xlsx-guard';

/** One record of the file: its first physical line (header = 1), cells, and the raw text for the report. */
export interface SourceRow {
  line: number;
  values: string[];
  /** The record's cells joined as a CSV line again (with the file's delimiter), for the report. */
  raw: string;
  /** Why the record could not be read (CSV syntax); values are then empty. */
  error?: string;
}

export interface RowSource {
  headers: string[];
  /** The data rows, a few hundred at a time (one promise per chunk rather than per row). */
  chunks: AsyncIterable<SourceRow[]>;
  /** 0..1: how far through the file the reader is. */
  progress(): number;
}

const CHUNK_ROWS = 500;

/** A file that cannot be read as a table at all: the job fails with IMPORT_FILE_UNREADABLE. */
export class UnreadableFileError extends Error {}

/** Bytes that went through the stream, for progress. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/** A cell as a CSV field: quoted when it holds the delimiter, a quote or a line break. */
const csvField = (value: string, delimiter = ',') =>
  value.includes(delimiter) || /["\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/** `;` or `,`, whichever appears more often outside quotes on the header line (`,` when tied). */
export function sniffDelimiter(head: string): ';' | ',' {
  let quoted = false;
  let commas = 0;
  let semicolons = 0;
  for (const char of head) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ',') commas++;
    else if (!quoted && char === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** Longest record the CSV reader holds: past it a quote was almost surely left open, and the file is refused. */
const MAX_RECORD_CHARS = 1 << 20;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * A CSV reader for one delimiter (RFC 4180: `""` escapes a quote inside a quoted field; CRLF, LF and CR all end
 * a record), fed text chunk by chunk. Each record comes with its first physical line and its raw text. A stray
 * quote (inside an unquoted field, or after a closing one) makes that record an `unreadable` row, read to its
 * end literally. Written for the import's hot path: it scans char codes and slices, where csv-parse spent
 * about 20 µs a row.
 */
export class CsvRecordReader {
  private rest = '';
  /** Physical line of the next record. */
  private line = 1;
  private readonly delimiter: number;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** The complete records of what was fed so far (all of them once `end`). */
  feed(text: string, end: boolean): SourceRow[] {
    const buf = this.rest ? this.rest + text : text;
    const rows: SourceRow[] = [];
    const length = buf.length;
    let pos = 0;
    while (pos < length) {
      const at = this.record(buf, pos, end, rows);
      if (at === -1) break;
      pos = at;
    }
    this.rest = pos < length ? buf.slice(pos) : '';
    if (this.rest.length > MAX_RECORD_CHARS) {
      throw new UnreadableFileError(
        `The record at line ${this.line} is longer than ${MAX_RECORD_CHARS} characters (a quote left open?)`,
      );
    }
    return rows;
  }

  /** Reads the record at `start` into `rows`; answers where the next one starts, or -1 when it needs more text. */
  private record(buf: string, start: number, end: boolean, rows: SourceRow[]): number {
    const d = this.delimiter;
    const length = buf.length;
    const values: string[] = [];
    let error: string | null = null;
    let breaks = 0; // line breaks inside quoted fields
    let pos = start;
    for (;;) {
      // One field; `pos` is its first char.
      if (buf.charCodeAt(pos) === QUOTE) {
        let value = '';
        let from = pos + 1;
        for (;;) {
          const q = buf.indexOf('"', from);
          if (q === -1 || (q + 1 === length && !end)) {
            if (!end) return -1;
            error ??= `Quote Not Closed: the file ends inside the quoted field opened at line ${this.line + breaks}`;
            value += buf.slice(from);
            pos = length;
            break;
          }
          if (buf.charCodeAt(q + 1) === QUOTE) {
            value += buf.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += buf.slice(from, q);
          pos = q + 1;
          break;
        }
        breaks += countBreaks(value);
        const next = pos < length ? buf.charCodeAt(pos) : -1;
        if (next !== d && next !== LF && next !== CR && next !== -1) {
          error ??= `Invalid Closing Quote: got "${buf[pos]}" at line ${this.line + breaks} instead of a delimiter or the end of the line`;
          // The rest of the field is read literally.
          const from = pos;
          while (pos < length) {
            const c = buf.charCodeAt(pos);
            if (c === d || c === LF || c === CR) break;
            pos++;
          }
          value += buf.slice(from, pos);
        }
        values.push(value);
      } else {
        const from = pos;
        while (pos < length) {
          const c = buf.charCodeAt(pos);
          if (c === d || c === LF || c === CR) break;
          if (c === QUOTE) {
            error ??= `Invalid Opening Quote: a quote is found on field ${values.length} at line ${this.line + breaks}`;
          }
          pos++;
        }
        values.push(buf.slice(from, pos));
      }
      // After a field: a delimiter, a line break, or the end of the text.
      if (pos >= length) {
        if (!end) return -1;
        this.emit(rows, buf, start, pos, values, error, breaks);
        return pos;
      }
      const c = buf.charCodeAt(pos);
      if (c === d) {
        pos++;
        if (pos >= length && !end) return -1;
        continue;
      }
      const recordEnd = pos;
      if (c === CR) {
        if (pos + 1 >= length && !end) return -1;
        pos += buf.charCodeAt(pos + 1) === LF ? 2 : 1;
      } else pos++;
      this.emit(rows, buf, start, recordEnd, values, error, breaks);
      return pos;
    }
  }

  private emit(
    rows: SourceRow[],
    buf: string,
    start: number,
    end: number,
    values: string[],
    error: string | null,
    breaks: number,
  ): void {
    const line = this.line;
    this.line += 1 + breaks;
    if (values.length === 1 && values[0] === '' && !error) return; // a blank line
    const raw = buf.slice(start, end);
    rows.push(error ? { line, values: [], raw, error: `unreadable: ${error}` } : { line, values, raw });
  }
}

/** Line breaks in a field's text (CRLF counts once). */
function countBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) count++;
  }
  return count;
}

export async function openCsv(path: string, size: number): Promise<RowSource> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(64 * 1024);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  await handle.close();
  const text = head.subarray(0, bytesRead).toString('utf8');
  if (!text.replace(/^\uFEFF/, '').trim()) throw new UnreadableFileError('The file is empty');
  if (text.includes('\u0000')) throw new UnreadableFileError('The file is not a text (CSV) file');

  const reader = new CsvRecordReader(sniffDelimiter(text.replace(/^\uFEFF/, '')));
  let bytes = 0;
  async function* read(): AsyncGenerator<SourceRow[]> {
    const decoder = new StringDecoder('utf8');
    let first = true;
    for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
      bytes += (chunk as Buffer).length;
      let text = decoder.write(chunk as Buffer);
      if (first && text) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      const rows = reader.feed(text, false);
      if (rows.length) yield rows;
    }
    const rows = reader.feed(decoder.end(), true);
    if (rows.length) yield rows;
  }

  const chunks = read();
  let pending: SourceRow[] = [];
  let headers: string[] | null = null;
  while (!headers) {
    const next = await chunks.next();
    if (next.done) throw new UnreadableFileError('The file has no header line');
    pending = next.value;
    const header = pending.shift();
    if (header?.error) throw new UnreadableFileError(`The file is not a valid CSV: ${header.error}`);
    if (header) headers = header.values.map((h) => h.trim());
  }

  async function* rows(): AsyncGenerator<SourceRow[]> {
    if (pending.length) yield pending;
    yield* chunks;
  }
  return { headers, chunks: rows(), progress: () => (size ? bytes / size : 1) };
}

/** Text of an exceljs cell value (rich text, hyperlinks, formulas, dates). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  return '';
}

/** The first worksheet of an XLSX file, streamed; progress follows the bytes read from the file. */
export async function openXlsx(path: string, size: number): Promise<RowSource> {
  try {
    await checkXlsxLimits(path);
  } catch (error) {
    if (error instanceof XlsxFormatError) {
      throw new UnreadableFileError(`The file is not a valid XLSX workbook: ${error.message}`);
    }
    throw error;
  }
  // Loaded on the first XLSX import only: ExcelJS adds ≈ 7 MB to every worker that never reads one.
  const { default: Excel } = await import('exceljs');
  const counter = new ByteCounter();
  const input = createReadStream(path).pipe(counter);
  const reader = new Excel.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const rowsOf = async function* (): AsyncGenerator<{ number: number; values: string[] }> {
    for await (const worksheet of reader) {
      for await (const row of worksheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const cells = (row.values as ExcelJS.CellValue[]).slice(1);
        const values = Array.from({ length: cells.length }, (_, i) => cellText(cells[i]));
        if (row.number > XLSX_LIMITS.rows) {
          throw new XlsxLimitError(`The worksheet has more than ${XLSX_LIMITS.rows} rows`);
        }
        const long = values.findIndex((v) => v.length > XLSX_LIMITS.cellChars);
        if (long !== -1) {
          throw new XlsxLimitError(
            `The cell in column ${long + 1} of row ${row.number} holds more than ${XLSX_LIMITS.cellChars} characters`,
          );
        }
        if (values.some((v) => v.trim())) yield { number: row.number, values };
      }
      return; // first worksheet only
    }
  };
  const iterator = rowsOf();
  const first = await iterator.next().catch((e: Error) => {
    if (e instanceof XlsxLimitError) throw e;
    throw new UnreadableFileError(`The file is not a valid XLSX workbook: ${e.message}`);
  });
  if (first.done) throw new UnreadableFileError('The first worksheet is empty');
  const headers = first.value.values.map((h) => h.trim());

  async function* rows(): AsyncGenerator<SourceRow[]> {
    let chunk: SourceRow[] = [];
    for await (const row of iterator) {
      chunk.push({ line: row.number, values: row.values, raw: row.values.map((v) => csvField(v)).join(',') });
      if (chunk.length >= CHUNK_ROWS) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length) yield chunk;
  }
  return { headers, chunks: rows(), progress: () => (size ? counter.bytes / size : 1) };
}
