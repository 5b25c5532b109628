import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';

/**
 * What an XLSX import may expand to. ExcelJS keeps the whole shared-string table in memory and its XML parser
 * buffers a text node whole, so a few hundred KB of deflated XML can otherwise take gigabytes.
 */
export const XLSX_LIMITS = {
  entries: 10_000,
  /** Every part of the archive, inflated. */
  inflatedBytes: 512 * 1024 * 1024,
  /** xl/sharedStrings.xml inflated: ExcelJS holds the table it describes. */
  sharedStringsBytes: 64 * 1024 * 1024,
  sharedStrings: 1_000_000,
  /** Longest run between two `<` in any XML part: a text node or a tag (a cell holds at most 32,767 characters). */
  xmlRunBytes: 256 * 1024,
  /** Excel's own limits on a cell's text and a sheet's rows. */
  cellChars: 32_767,
  rows: 1_048_576,
};

/** An XLSX file past one of XLSX_LIMITS: the import fails with IMPORT_XLSX_TOO_LARGE, before it runs out of memory. */
export class XlsxLimitError extends Error {}

/** A file that is not a ZIP archive ExcelJS could read. */
export class XlsxFormatError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const LT = 0x3c;
const SHARED_STRINGS = 'xl/sharedStrings.xml';
const MB = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/** Reads the archive's central directory (ZIP64 archives, over 4 GB or 65,535 entries, are refused). */
async function centralDirectory(path: string): Promise<ZipEntry[]> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let at = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at === -1) throw new XlsxFormatError('it is not a ZIP archive');
    const count = tail.readUInt16LE(at + 10);
    const cdSize = tail.readUInt32LE(at + 12);
    const cdOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      throw new XlsxLimitError('The XLSX file is a ZIP64 archive (over 4 GB or 65,535 parts): save it as CSV');
    }
    if (count > XLSX_LIMITS.entries) {
      throw new XlsxLimitError(`The XLSX file has more than ${XLSX_LIMITS.entries} parts`);
    }
    if (cdOffset + cdSize > size) throw new XlsxFormatError('its central directory is cut off');
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let pos = 0;
    for (let i = 0; i < count; i++) {
      if (pos + 46 > cdSize || cd.readUInt32LE(pos) !== CENTRAL)
        throw new XlsxFormatError('its central directory is damaged');
      const nameLength = cd.readUInt16LE(pos + 28);
      const entry = {
        method: cd.readUInt16LE(pos + 10),
        compressedSize: cd.readUInt32LE(pos + 20),
        size: cd.readUInt32LE(pos + 24),
        offset: cd.readUInt32LE(pos + 42),
        name: cd.toString('utf8', pos + 46, pos + 46 + nameLength),
      };
      if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.offset === 0xffffffff) {
        throw new XlsxLimitError('The XLSX file is a ZIP64 archive (over 4 GB or 65,535 parts): save it as CSV');
      }
      entries.push(entry);
      pos += 46 + nameLength + cd.readUInt16LE(pos + 30) + cd.readUInt16LE(pos + 32);
    }
    // Where each part's data starts: after its local header, whose name and extra field lengths may differ.
    const local = Buffer.alloc(30);
    for (const entry of entries) {
      const { bytesRead } = await handle.read(local, 0, 30, entry.offset);
      if (bytesRead < 30 || local.readUInt32LE(0) !== LOCAL) throw new XlsxFormatError(`part ${entry.name} is damaged`);
      entry.offset += 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** Counts a part's inflated bytes, its `<si` elements and its longest run between two `<`, failing past a limit. */
class PartScanner extends Writable {
  bytes = 0;
  sharedStrings = 0;
  private run = 0;
  private carry = Buffer.alloc(0);

  constructor(
    private readonly name: string,
    private readonly budget: number,
    private readonly budgetMessage: string,
    private readonly xml: boolean,
    private readonly countStrings: boolean,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.budget) return done(new XlsxLimitError(this.budgetMessage));
    if (this.xml) {
      let from = 0;
      for (let lt = chunk.indexOf(LT); lt !== -1; lt = chunk.indexOf(LT, from)) {
        if (this.run + lt - from > XLSX_LIMITS.xmlRunBytes) break;
        this.run = 0;
        from = lt + 1;
      }
      this.run += chunk.length - from;
      if (this.run > XLSX_LIMITS.xmlRunBytes) {
        return done(
          new XlsxLimitError(
            `The XLSX file holds a text or tag longer than ${XLSX_LIMITS.xmlRunBytes / 1024} KB in ${this.name} ` +
              `(a cell holds at most ${XLSX_LIMITS.cellChars} characters)`,
          ),
        );
      }
    }
    if (this.countStrings) {
      // `<si>` or `<si ` may straddle two chunks: the previous chunk's last 3 bytes are searched again.
      const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
      for (let at = data.indexOf('<si'); at !== -1 && at + 3 < data.length; at = data.indexOf('<si', at + 3)) {
        const next = data[at + 3];
        if (next === 0x3e || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d) this.sharedStrings++;
      }
      this.carry = Buffer.from(data.subarray(Math.max(0, data.length - 3)));
      if (this.sharedStrings > XLSX_LIMITS.sharedStrings) {
        return done(
          new XlsxLimitError(`The XLSX file has more than ${XLSX_LIMITS.sharedStrings} shared strings: save it as CSV`),
        );
      }
    }
    done();
  }
}

/**
 * Checks an XLSX file against XLSX_LIMITS before ExcelJS reads it: first the sizes its central directory
 * declares, then each part inflated for real (declared sizes can lie), counting bytes as they come and stopping
 * at the first limit crossed, so that the check itself never holds more than a chunk.
 */
export async function checkXlsxLimits(path: string): Promise<void> {
  const entries = await centralDirectory(path);
  const tooLarge = `The XLSX file expands to more than ${MB(XLSX_LIMITS.inflatedBytes)}: split it or save it as CSV`;
  const tooManyStrings =
    `The XLSX file's shared strings (${SHARED_STRINGS}) expand to more than ` +
    `${MB(XLSX_LIMITS.sharedStringsBytes)}: split it or save it as CSV`;
  let declared = 0;
  for (const entry of entries) {
    declared += entry.size;
    if (declared > XLSX_LIMITS.inflatedBytes) throw new XlsxLimitError(tooLarge);
    if (entry.name === SHARED_STRINGS && entry.size > XLSX_LIMITS.sharedStringsBytes) {
      throw new XlsxLimitError(tooManyStrings);
    }
  }
  let inflated = 0;
  for (const entry of entries) {
    if (entry.method !== 0 && entry.method !== 8) {
      throw new XlsxFormatError(`part ${entry.name} uses compression method ${entry.method}`);
    }
    if (entry.compressedSize === 0) continue;
    const shared = entry.name === SHARED_STRINGS;
    const budget = Math.min(
      XLSX_LIMITS.inflatedBytes - inflated,
      shared ? XLSX_LIMITS.sharedStringsBytes : Number.MAX_SAFE_INTEGER,
    );
    const scanner = new PartScanner(
      entry.name,
      budget,
      shared ? tooManyStrings : tooLarge,
      /\.(xml|rels)$/i.test(entry.name),
      shared,
    );
    const input = createReadStream(path, { start: entry.offset, end: entry.offset + entry.compressedSize - 1 });
    try {
      await (entry.method === 8 ? pipeline(input, createInflateRaw(), scanner) : pipeline(input, scanner));
    } catch (error) {
      if (error instanceof XlsxLimitError) throw error;
      throw new XlsxFormatError(`part ${entry.name} cannot be inflated (${(error as Error).message})`);
    }
    inflated += scanner.bytes;
  }
}
