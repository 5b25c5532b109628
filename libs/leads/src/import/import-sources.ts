import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';

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

/** Reads an object stream in chunks of what it has buffered, with read() (paused mode). */
async function* readChunks<T>(stream: Readable): AsyncGenerator<T[]> {
  let ended = false;
  let failed: Error | null = null;
  stream.once('end', () => (ended = true));
  stream.once('error', (error) => (failed = error));
  for (;;) {
    const out: T[] = [];
    let item: T | null;
    while (out.length < CHUNK_ROWS && (item = stream.read() as T | null) !== null) out.push(item);
    if (failed) throw failed;
    if (out.length) {
      yield out;
      continue;
    }
    if (ended || stream.readableEnded) return;
    await new Promise<void>((resolve) => {
      const wake = () => {
        stream.off('readable', wake);
        stream.off('end', wake);
        stream.off('error', wake);
        resolve();
      };
      stream.on('readable', wake);
      stream.on('end', wake);
      stream.on('error', wake);
    });
  }
}

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

export async function openCsv(path: string, size: number): Promise<RowSource> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(64 * 1024);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  await handle.close();
  const text = head.subarray(0, bytesRead).toString('utf8');
  if (!text.replace(/^\uFEFF/, '').trim()) throw new UnreadableFileError('The file is empty');
  if (text.includes('\u0000')) throw new UnreadableFileError('The file is not a text (CSV) file');

  const counter = new ByteCounter();
  const delimiter = sniffDelimiter(text.replace(/^\uFEFF/, ''));
  // No `info` (it halves the parser's speed): line numbers are counted here, blank lines included.
  const parser = parse({ delimiter, bom: true, relax_column_count: true, skip_records_with_error: true });
  // Records the parser gives up on (stray or unclosed quote) are reported as failed rows, not fatal.
  const skipped: Array<Error & { lines?: number; raw?: string }> = [];
  parser.on('skip', (error: Error & { lines?: number; raw?: string }) => skipped.push(error));
  createReadStream(path)
    .on('error', (e) => parser.destroy(e))
    .pipe(counter)
    .pipe(parser);

  const chunks = readChunks<string[]>(parser);
  let pending: string[][] = [];
  let line = 1;
  const newlines = (record: string[]) => {
    let count = 0;
    for (const value of record) for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) count++;
    return count;
  };
  const isBlank = (record: string[]) => record.length === 1 && record[0] === '';
  let headers: string[] | null = null;
  try {
    while (!headers) {
      const next = await chunks.next();
      if (next.done) throw new UnreadableFileError('The file has no header line');
      pending = next.value;
      while (pending.length && !headers) {
        const record = pending.shift()!;
        if (isBlank(record)) line++;
        else {
          headers = record.map((h) => h.trim());
          line += 1 + newlines(record);
        }
      }
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(`The file is not a valid CSV: ${(error as Error).message}`);
  }

  const toRows = (records: string[][]): SourceRow[] => {
    const rows: SourceRow[] = [];
    while (skipped.length) {
      const error = skipped.shift()!;
      const at = error.lines ?? line;
      rows.push({
        line: at,
        values: [],
        raw: (error.raw ?? '').replace(/\r?\n$/, ''),
        error: `unreadable: ${error.message}`,
      });
      line = at + 1;
    }
    for (const record of records) {
      // The record starts where the previous one ended; it spans as many lines as its fields hold newlines.
      const start = line;
      line += 1 + newlines(record);
      if (isBlank(record)) continue;
      rows.push({ line: start, values: record, raw: record.map((v) => csvField(v, delimiter)).join(delimiter) });
    }
    return rows;
  };
  async function* rows(): AsyncGenerator<SourceRow[]> {
    if (pending.length) yield toRows(pending);
    for await (const records of chunks) yield toRows(records);
    const rest = toRows([]);
    if (rest.length) yield rest;
  }
  return { headers, chunks: rows(), progress: () => (size ? counter.bytes / size : 1) };
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
  const counter = new ByteCounter();
  const input = createReadStream(path).pipe(counter);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
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
        if (values.some((v) => v.trim())) yield { number: row.number, values };
      }
      return; // first worksheet only
    }
  };
  const iterator = rowsOf();
  const first = await iterator.next().catch((e: Error) => {
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
