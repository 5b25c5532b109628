import { Readable } from 'node:stream';
import type Sharp from 'sharp';
import type { AssetStorage } from './asset-storage';
import { readExif } from './exif';
import { probeAsset, videoPoster } from './media-probe';
import type { AssetKind } from './studio-asset.entity';

export const thumbnailKeyOf = (key: string) => `${key}.thumb`;

/** Longest side of a thumbnail or poster. */
const THUMBNAIL_PX = 320;

export interface AssetAnalysis {
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  metadata: Record<string, unknown>;
  thumbnailKey: string | null;
}

/** sharp (libvips) is loaded on the first image analysed: ≈ 9 MB of RSS every API process would hold idle. */
let sharpModule: Promise<typeof Sharp> | null = null;
const loadSharp = () => (sharpModule ??= import('sharp').then((m) => m.default));

const none: AssetAnalysis = { width: null, height: null, durationSeconds: null, metadata: {}, thumbnailKey: null };

async function toBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * What the stored file says of itself: ffprobe for audio and video (duration, size, container, codecs) and a
 * poster frame for videos; sharp for images (size, format, EXIF) and a thumbnail. An image whose EXIF holds a
 * location is stored again without it (its camera fields kept) unless `keepLocation`.
 */
export async function analyseAsset(
  storage: AssetStorage,
  key: string,
  kind: AssetKind,
  keepLocation: boolean,
): Promise<AssetAnalysis> {
  if (kind === 'image') return analyseImage(storage, key, keepLocation);
  if (kind !== 'video' && kind !== 'audio') return none;
  return analyseMedia(storage, await storage.probeSource(key), key, kind);
}

/**
 * ffprobe's metadata of an audio or video file read from `source` (the stored file's path or URL, or a local
 * copy of its bytes such as a composition's output before it is stored), and for a video a poster frame,
 * stored beside the file under thumbnailKeyOf(key).
 */
export async function analyseMedia(
  storage: AssetStorage,
  source: string,
  key: string,
  kind: 'video' | 'audio',
): Promise<AssetAnalysis> {
  const probed = await probeAsset(source);
  if (!probed) return none;
  const { durationSeconds, width, height, ...rest } = probed;
  let thumbnailKey: string | null = null;
  if (kind === 'video' && width) {
    const poster = await videoPoster(source, Math.min(1, (durationSeconds ?? 0) / 2));
    if (poster) {
      thumbnailKey = thumbnailKeyOf(key);
      await storage.write(thumbnailKey, Readable.from([poster]));
    }
  }
  return {
    width,
    height,
    durationSeconds,
    metadata: { ...rest, ...(thumbnailKey ? { thumbnailType: 'image/jpeg' } : {}) },
    thumbnailKey,
  };
}

async function analyseImage(storage: AssetStorage, key: string, keepLocation: boolean): Promise<AssetAnalysis> {
  let data = await toBuffer(await storage.read(key));
  const sharp = await loadSharp();
  const info = await sharp(data).metadata();
  const exif = readExif(info.exif);
  let locationRemoved = false;
  if (exif?.hasGps && !keepLocation) {
    // sharp writes no metadata unless asked: only the camera fields are written back, the GPS directory is not.
    const kept = Object.fromEntries(
      Object.entries({
        Make: exif.make,
        Model: exif.model,
        Software: exif.software,
        DateTime: exif.dateTime,
        Orientation: exif.orientation?.toString(),
      }).filter(([, v]) => v !== undefined) as [string, string][],
    );
    data = await sharp(data).withExif({ IFD0: kept }).toBuffer();
    await storage.write(key, Readable.from([data]));
    locationRemoved = true;
  }
  const thumbnail = await sharp(data, { animated: false })
    .rotate()
    .resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 })
    .toBuffer();
  const thumbnailKey = thumbnailKeyOf(key);
  await storage.write(thumbnailKey, Readable.from([thumbnail]));
  // EXIF orientations 5–8 turn the picture a quarter: what a viewer shows is height × width.
  const turned = (info.orientation ?? 1) >= 5;
  const { hasGps, ...camera } = exif ?? { hasGps: false };
  void hasGps;
  return {
    width: (turned ? info.height : info.width) ?? null,
    height: (turned ? info.width : info.height) ?? null,
    durationSeconds: null,
    metadata: {
      format: info.format,
      space: info.space,
      channels: info.channels,
      hasAlpha: info.hasAlpha,
      ...(info.pages && info.pages > 1 ? { frames: info.pages } : {}),
      ...(exif ? { exif: camera } : {}),
      ...(exif?.hasGps ? { location: locationRemoved ? 'removed' : 'kept' } : {}),
      thumbnailType: 'image/webp',
    },
    thumbnailKey,
  };
}
