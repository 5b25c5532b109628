/**
 * The fake OpenAI server's media endpoints, answering real files so the app's whole path (storage, ffprobe,
 * players) runs on them:
 * - POST …/images/generations → `{data: [{b64_json, revised_prompt}]}`, a PNG of the requested size drawn by sharp;
 * - POST …/audio/speech → an MP3 that ffmpeg makes from a sine, 0.4 s per word of `input` (at least 1 s);
 * - POST …/audio/transcriptions (multipart) → verbose_json: the received file's duration (ffprobe) cut in
 *   two segments, "first half" and "second half"; the file's bytes are on the recorded request as `fileBytes`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { ffmpegPath, ffprobePath } from '../../libs/studio/src/ffmpeg-binaries';

const run = promisify(execFile);

export type MediaRoute = 'images' | 'speech' | 'transcriptions';

export function mediaRoute(path: string): MediaRoute | null {
  if (path.endsWith('/images/generations')) return 'images';
  if (path.endsWith('/audio/speech')) return 'speech';
  if (path.endsWith('/audio/transcriptions')) return 'transcriptions';
  return null;
}

/** JSON bodies parsed; multipart ones (transcriptions) as their text fields plus `fileBytes` and `fileName`. */
export function parseMediaBody(contentType: string | undefined, raw: Buffer): Record<string, any> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? '');
  if (!boundary) {
    try {
      return JSON.parse(raw.toString('utf8') || '{}');
    } catch {
      return {};
    }
  }
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const body: Record<string, any> = {};
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    const fileName = /filename="([^"]*)"/.exec(headers)?.[1];
    if (name && fileName !== undefined) {
      body.fileBytes = content;
      body.fileName = fileName;
    } else if (name) {
      const value = content.toString('utf8');
      body[name] = name in body ? [].concat(body[name], value as never) : value;
    }
    start = next;
  }
  return body;
}

const words = (text: unknown) => (typeof text === 'string' ? text.split(/\s+/).filter(Boolean).length : 0);

export async function answerMedia(
  route: MediaRoute,
  body: Record<string, any>,
): Promise<{ contentType: string; body: Buffer | string }> {
  if (route === 'images') {
    const [width, height] = String(body.size ?? '1024x1024')
      .split('x')
      .map(Number);
    const png = await sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 200 } } })
      .png()
      .toBuffer();
    const image = { b64_json: png.toString('base64'), revised_prompt: `revised: ${body.prompt}` };
    return json({ created: Math.floor(Date.now() / 1000), data: [image] });
  }
  const dir = await mkdtemp(join(tmpdir(), 'fake-openai-'));
  try {
    if (route === 'speech') {
      const seconds = Math.max(1, words(body.input) * 0.4).toFixed(2);
      const out = join(dir, 'speech.mp3');
      await run(ffmpegPath(), [
        ...['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`],
        ...['-ac', '1', '-ar', '24000', '-c:a', 'libmp3lame', '-b:a', '48k', out],
      ]);
      return { contentType: 'audio/mpeg', body: await readFile(out) };
    }
    const input = join(dir, 'input');
    await writeFile(input, body.fileBytes ?? Buffer.alloc(0));
    const { stdout } = await run(ffprobePath(), [
      ...['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', input],
    ]);
    const duration = Number(stdout.trim());
    const half = Math.round((duration / 2) * 100) / 100;
    return json({
      task: 'transcribe',
      language: body.language ?? 'english',
      duration,
      text: 'first half second half',
      segments: [segment(0, 0, half, 'first half'), segment(1, half, duration, 'second half')],
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const json = (value: unknown) => ({ contentType: 'application/json', body: JSON.stringify(value) });

const segment = (id: number, start: number, end: number, text: string) => ({
  id,
  seek: 0,
  start,
  end,
  text: ` ${text}`,
  tokens: [],
  temperature: 0,
  avg_logprob: -0.1,
  compression_ratio: 1,
  no_speech_prob: 0,
});
