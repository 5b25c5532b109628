/** What the studio keeps of an image's EXIF: its first directory's camera fields, and whether it had a location. */
export interface ExifSummary {
  make?: string;
  model?: string;
  software?: string;
  dateTime?: string;
  orientation?: number;
  /** The file carried a GPS directory (a location). */
  hasGps: boolean;
}

const TAGS: Record<number, keyof ExifSummary> = {
  0x010f: 'make',
  0x0110: 'model',
  0x0131: 'software',
  0x0132: 'dateTime',
  0x0112: 'orientation',
};
const GPS_IFD = 0x8825;

/**
 * Reads IFD0 of an EXIF block (as sharp's metadata().exif gives it: "Exif\0\0" then TIFF). Bounds are checked
 * at every read: the block comes from an uploaded file. Null when it is not EXIF.
 */
export function readExif(block: Buffer | undefined): ExifSummary | null {
  if (!block) return null;
  const tiff = block.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? block.subarray(6) : block;
  if (tiff.length < 8) return null;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (at: number) => (at + 2 <= tiff.length ? (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at)) : -1);
  const u32 = (at: number) => (at + 4 <= tiff.length ? (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at)) : -1);
  const ifd = u32(4);
  const count = u16(ifd);
  if (ifd < 8 || count < 0) return null;
  const summary: ExifSummary = { hasGps: false };
  for (let i = 0; i < Math.min(count, 512); i++) {
    const entry = ifd + 2 + i * 12;
    const tag = u16(entry);
    const type = u16(entry + 2);
    const n = u32(entry + 4);
    if (tag < 0 || n < 0) break;
    if (tag === GPS_IFD) summary.hasGps = true;
    const field = TAGS[tag];
    if (!field) continue;
    if (field === 'orientation' && type === 3) summary.orientation = u16(entry + 8);
    else if (type === 2 && field !== 'orientation') {
      const at = n <= 4 ? entry + 8 : u32(entry + 8);
      if (at < 0 || at + n > tiff.length) continue;
      const text = tiff.toString('latin1', at, at + n);
      const nul = text.indexOf('\0'); // EXIF strings end with a NUL
      (summary as unknown as Record<string, string>)[field] = (nul === -1 ? text : text.slice(0, nul)).slice(0, 100);
    }
  }
  return summary;
}
