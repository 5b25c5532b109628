/** Real media files for studio specs, made by ffmpeg and sharp, and readers of what the API answers. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { Response } from 'superagent';
import { ffmpegPath, ffprobePath } from '../../libs/studio/src/ffmpeg-binaries';
import { readExif } from '../../libs/studio/src/exif';

const run = promisify(execFile);

/** supertest parser: the body as one Buffer, whatever the content type. */
export function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

async function withTemp<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'studio-media-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An H.264/AAC MP4 (ffmpeg's test pattern and a sine). */
export function testVideo(options: { seconds: number; width: number; height: number }): Promise<Buffer> {
  return withTemp(async (dir) => {
    const out = join(dir, 'clip.mp4');
    await run(ffmpegPath(), [
      ...[
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        `testsrc=duration=${options.seconds}:size=${options.width}x${options.height}:rate=25`,
      ],
      ...['-f', 'lavfi', '-i', `sine=frequency=330:duration=${options.seconds}`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
      ...['-movflags', '+faststart', out],
    ]);
    return readFile(out);
  });
}

/** A 64×32 JPEG whose EXIF holds a camera (Acme Cam 1) and a GPS location. */
export function gpsJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 32, channels: 3, background: '#c33' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Acme', Model: 'Cam 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 0/1' },
    })
    .toBuffer();
}

export async function readExifOf(image: Buffer) {
  return readExif((await sharp(image).metadata()).exif);
}

/** ffprobe's view of a file: duration, and its streams' types and codecs. */
export function probe(
  data: Buffer,
): Promise<{ duration: number; streams: { codec_type: string; codec_name: string }[] }> {
  return withTemp(async (dir) => {
    const file = join(dir, 'probe');
    await (await import('node:fs/promises')).writeFile(file, data);
    const { stdout } = await run(ffprobePath(), [
      '-v',
      'error',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      file,
    ]);
    const out = JSON.parse(stdout) as {
      format: { duration: string };
      streams: { codec_type: string; codec_name: string }[];
    };
    return { duration: Number(out.format.duration), streams: out.streams };
  });
}
