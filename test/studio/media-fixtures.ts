import { execFile } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ffmpegPath, ffprobePath } from '@crescendo/studio';
import type { TestApp, TestUser } from '../helpers/test-app';

const run = promisify(execFile);

/** A test-pattern video (testsrc) of `seconds`, with a sine tone unless `silent`, encoded fast. */
export async function makeClip(
  path: string,
  {
    seconds,
    size = '320x240',
    rate = 25,
    tone = 440,
    silent = false,
  }: Partial<Record<'size', string>> & {
    seconds: number;
    rate?: number;
    tone?: number;
    silent?: boolean;
  },
): Promise<string> {
  const audio = silent ? [] : ['-f', 'lavfi', '-i', `sine=frequency=${tone}:duration=${seconds}`, '-c:a', 'aac'];
  await run(ffmpegPath(), [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${rate}:duration=${seconds}`],
    ...audio,
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-shortest', path],
  ]);
  return path;
}

/** An MP3 sine tone. */
export async function makeTone(path: string, seconds: number, frequency = 220): Promise<string> {
  await run(ffmpegPath(), [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${frequency}:duration=${seconds}`,
    path,
  ]);
  return path;
}

/** Uploads a file through POST /api/studio/upload; answers its asset url. */
export async function uploadFile(t: TestApp, who: TestUser, path: string): Promise<string> {
  const res = await t
    .http()
    .post('/api/studio/upload')
    .set(who.auth)
    .attach('file', await readFile(path), path.split('/').pop());
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.url;
}

export interface Probe {
  format: { duration: string; size: string; format_name: string };
  streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }>;
}

export async function ffprobe(path: string): Promise<Probe> {
  const { stdout } = await run(ffprobePath(), [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    path,
  ]);
  return JSON.parse(stdout) as Probe;
}

/** Downloads a route's bytes. */
export async function download(t: TestApp, who: TestUser, url: string): Promise<Buffer> {
  const res = await t
    .http()
    .get(url)
    .set(who.auth)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  if (res.status !== 200) throw new Error(`download failed: ${res.status}`);
  return res.body as Buffer;
}

/** Pids of the processes whose working directory is `dir` (ffmpeg runs in its job's work directory). */
export async function processesIn(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(join('/proc', entry, 'cwd')).catch(() => null);
    if (cwd === dir || cwd === `${dir} (deleted)`) pids.push(Number(entry));
  }
  return pids;
}

/** Whether the process runs (a zombie, dead but not yet reaped by its parent, does not). */
export async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  // "pid (comm) S …": the state follows the last parenthesis (comm may hold spaces and parentheses).
  return stat !== null && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}
