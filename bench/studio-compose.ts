// A 60-second 720p composition (five clips, fades, music, burned subtitles) through the API and the worker,
// against the same ffmpeg command run directly on the same files, in the same run, rounds alternating.
//   node -r tsconfig-paths/register -r ./bench/swc-register.js bench/studio-compose.ts
// BENCH_ROUNDS (default 2) rounds of each side; each side's best run is compared. Needs ffmpeg (PATH, FFMPEG_PATH or npm).
import 'reflect-metadata';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { compositionArgs, CompositionPlan, ffmpegPath, outputDuration, toSrt } from '@crescendo/studio';
import { writeFile } from 'node:fs/promises';
import { benchDatabase, benchEnv, benchUser, readyForParent, serveApi, settle, startChild } from './lib/servers';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PORT = 3950 + (process.pid % 40);
const CLIPS = 5;
const CLIP_SECONDS = 12.4; // 5 × 12.4 − 4 × 0.5 s of fades = 60 s
const FADE = 0.5;
const cues = Array.from({ length: 12 }, (_, i) => ({ start: i * 5, end: i * 5 + 4, text: `Subtitle line ${i + 1}` }));

async function makeInputs(dir: string) {
  const clips: string[] = [];
  for (let i = 0; i < CLIPS; i++) {
    const path = join(dir, `clip${i}.mp4`);
    await run(ffmpegPath(), [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=13`],
      ...['-f', 'lavfi', '-i', `sine=frequency=${300 + 100 * i}:duration=13`],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path],
    ]);
    clips.push(path);
  }
  const music = join(dir, 'music.mp3');
  await run(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=220:duration=20', music]);
  return { clips, music };
}

/** The worker (TypeScript compiled by swc, as the API child) with the bench's environment. */
async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', require.resolve('./swc-register.js'), '-r', 'tsconfig-paths/register', 'apps/worker/src/main.ts'],
    { cwd: join(__dirname, '..'), env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let tail = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the worker exited with ${code}:\n${tail}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      if (tail.includes('"msg":"Worker started"')) resolve();
    });
  });
  return child;
}

async function upload(base: string, auth: Record<string, string>, path: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([await readFile(path)]), path.split('/').pop());
  const res = await fetch(`${base}/studio/upload`, { method: 'POST', headers: auth, body: form });
  if (res.status !== 200) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}

async function main() {
  const db = await benchDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'crescendo-bench-compose-'));
  const env = { ...benchEnv(db.url), FILES_DIR: join(dir, 'files') };
  const children: ChildProcess[] = [];
  const pg = new Client({ connectionString: db.url });
  try {
    await pg.connect();
    const inputs = await makeInputs(dir);
    children.push(await startChild(__filename, 'api', PORT, env), await startWorker(env));
    const base = `http://127.0.0.1:${PORT}/api`;
    const { auth } = await benchUser(base);
    const urls = [];
    for (const clip of inputs.clips) urls.push(await upload(base, auth, clip));
    const musicUrl = await upload(base, auth, inputs.music);
    const request = {
      clips: urls.map((url) => ({ url, startTime: 0.3, endTime: 0.3 + CLIP_SECONDS })),
      transitions: ['fade'],
      transitionDuration: FADE,
      music: musicUrl,
      subtitles: cues,
      outputFormat: 'mp4',
      width: 1280,
      height: 720,
      fps: 30,
    };
    // The plan the API builds from that request, for the direct run on the same files.
    const plan: CompositionPlan = {
      clips: inputs.clips.map(() => ({
        storageKey: '',
        still: false,
        start: 0.3,
        duration: CLIP_SECONDS,
        hasAudio: true,
      })),
      transitions: Array.from({ length: CLIPS - 1 }, () => ({ type: 'fade' as const, duration: FADE })),
      music: { storageKey: '', volume: 0.3, fadeIn: 1, fadeOut: 1 },
      voiceOver: null,
      subtitles: { cues, mode: 'burn' },
      width: 1280,
      height: 720,
      fps: 30,
      format: 'mp4',
      title: 'Composition',
    };
    await writeFile(join(dir, 'subtitles.srt'), toSrt(cues));
    const rawArgs = compositionArgs(
      plan,
      { clips: inputs.clips, music: inputs.music, voiceOver: null, subtitles: 'subtitles.srt' },
      'raw.mp4',
    );

    const ours: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await settle(db.url);
      let started = process.hrtime.bigint();
      await run(ffmpegPath(), rawArgs, { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
      raw.push(Number(process.hrtime.bigint() - started) / 1e9);

      await settle(db.url);
      started = process.hrtime.bigint();
      const res = await fetch(`${base}/studio/video/compose`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
      if (res.status !== 202) throw new Error(`compose: ${res.status} ${await res.text()}`);
      const { jobId } = (await res.json()) as { jobId: string };
      for (;;) {
        const { rows } = await pg.query(`SELECT status, result FROM jobs WHERE id = $1`, [jobId]);
        if (rows[0].status === 'COMPLETED') break;
        if (rows[0].status !== 'PENDING' && rows[0].status !== 'PROCESSING') {
          throw new Error(`the composition ended ${rows[0].status}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      ours.push(Number(process.hrtime.bigint() - started) / 1e9);
      const { rows } = await pg.query(`SELECT result FROM jobs WHERE id = $1`, [jobId]);
      if (Math.abs(rows[0].result.duration - outputDuration(plan)) > 0.1) {
        throw new Error(`the output lasts ${rows[0].result.duration} s, not ${outputDuration(plan)}`);
      }
      console.log(
        `round ${round + 1}: direct ffmpeg ${raw.at(-1)!.toFixed(1)} s, API + worker ${ours.at(-1)!.toFixed(1)} s`,
      );
    }
    // Each side's best run: the machine's other load only ever adds time.
    const ratio = Math.min(...ours) / Math.min(...raw);
    console.log(
      `studio compose, ${outputDuration(plan)} s of 1280x720 from ${CLIPS} clips with music and subtitles: ` +
        `API + worker ${Math.min(...ours).toFixed(1)} s, direct ffmpeg ${Math.min(...raw).toFixed(1)} s (best of ${ROUNDS}), ` +
        `ratio ${ratio.toFixed(3)}x (target <= 1.1)`,
    );
    console.log(`direct command: ffmpeg ${rawArgs.map((a) => (/[\s;[\]()']/.test(a) ? `'${a}'` : a)).join(' ')}`);
  } finally {
    for (const child of children) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
    await pg.end().catch(() => undefined);
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  serveApi()
    .then(readyForParent)
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
