// Upload of a 100 MB file through POST /api/studio/upload (multipart, type sniffed, streamed to the local
// storage driver, ffprobe'd) against a bare node:http server that pipes the same request body to a file, in
// the same run: throughput ratio (target ≥ 0.8×) and the API's RSS growth while it takes the file (< 50 MB).
// Both servers run in child processes; the API's RSS is read from /proc every 20 ms.
//
//   node -r tsconfig-paths/register -r ./bench/swc-register.js bench/studio-upload.ts
import 'reflect-metadata';
import { createWriteStream, createReadStream, readFileSync } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { benchDatabase, benchEnv, benchUser, readyForParent, serveApi, startChild } from './lib/servers';

const FILE_BYTES = 100 * 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FILE = `/tmp/crescendo-bench-upload-${process.pid}.mp4`;
const BOUNDARY = '----crescendo-bench-boundary';

/**
 * An MP4 signature (ftyp isom) followed by incompressible bytes, written in 1 MB blocks. BENCH_UPLOAD_KIND=pdf
 * starts it as a PDF instead: the API then runs no ffprobe on it, which isolates the streaming from the analysis.
 */
async function makeFile(): Promise<void> {
  const handle = await open(FILE, 'w');
  const head =
    process.env.BENCH_UPLOAD_KIND === 'pdf'
      ? Buffer.from('%PDF-1.7\n%bench\n', 'latin1')
      : Buffer.from('0000001c6674797069736f6d0000020069736f6d69736f32', 'hex');
  await handle.write(head);
  for (let written = head.length; written < FILE_BYTES;) {
    const block = randomBytes(Math.min(1024 * 1024, FILE_BYTES - written));
    await handle.write(block);
    written += block.length;
  }
  await handle.close();
}

/** POSTs the file as multipart field `file`, streamed from disk; resolves with the status and seconds taken. */
function postFile(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; seconds: number; body: string }> {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="clip.mp4"\r\n` +
      `Content-Type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
          'content-length': String(head.length + FILE_BYTES + tail.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(FILE, { highWaterMark: 1024 * 1024 });
    file.on('data', (chunk) => {
      if (!req.write(chunk)) {
        file.pause();
        req.once('drain', () => file.resume());
      }
    });
    file.on('end', () => req.end(tail));
    file.on('error', reject);
  });
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) * 1024 : 0;
}

/** Samples a process's RSS every 20 ms until stopped; answers the peak. */
function sampleRss(pid: number): () => number {
  let peak = rssBytes(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssBytes(pid));
  };
}

/** The raw baseline: the request body piped to a file, nothing else. */
async function serveRaw(): Promise<void> {
  const dir = `/tmp/crescendo-bench-raw-${process.pid}`;
  await mkdir(dir, { recursive: true });
  let n = 0;
  const server = createServer((req, res) => {
    const path = `${dir}/${n++}`;
    pipeline(req, createWriteStream(path)).then(
      () => rm(path).then(() => res.end('{}')),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(Number(process.env.PORT), '127.0.0.1');
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const db = await benchDatabase();
  const env: Record<string, string> = { ...benchEnv(db.url), STORAGE_DRIVER: 'local' };
  await makeFile();
  const apiPort = 40000 + Math.floor(Math.random() * 10000);
  const rawPort = apiPort + 1;
  const api = await startChild(__filename, 'api', apiPort, env);
  const raw = await startChild(__filename, 'raw', rawPort, env);
  try {
    const base = `http://127.0.0.1:${apiPort}/api`;
    const { auth } = await benchUser(base);
    const rounds: { api: number; raw: number; rssGrowth: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const rawRun = await postFile(`http://127.0.0.1:${rawPort}/`, {});
      if (rawRun.status !== 200) throw new Error(`raw server answered ${rawRun.status}`);
      const before = rssBytes(api.pid!);
      const stop = sampleRss(api.pid!);
      const apiRun = await postFile(`${base}/studio/upload`, auth);
      const peak = stop();
      if (apiRun.status !== 200) throw new Error(`API answered ${apiRun.status}: ${apiRun.body}`);
      const { fileId } = JSON.parse(apiRun.body) as { fileId: string };
      await fetch(`${base}/studio/assets/${fileId}`, { method: 'DELETE', headers: auth });
      rounds.push({ api: apiRun.seconds, raw: rawRun.seconds, rssGrowth: peak - before });
      console.error(
        `round ${round + 1}: API ${apiRun.seconds.toFixed(2)} s, raw ${rawRun.seconds.toFixed(2)} s, ` +
          `API RSS +${mb(peak - before)} MB`,
      );
    }
    const apiSeconds = median(rounds.map((r) => r.api));
    const rawSeconds = median(rounds.map((r) => r.raw));
    console.log(
      JSON.stringify(
        {
          fileMB: FILE_BYTES / 1024 / 1024,
          rounds: ROUNDS,
          apiMBps: Math.round((FILE_BYTES / 1024 / 1024 / apiSeconds) * 10) / 10,
          rawMBps: Math.round((FILE_BYTES / 1024 / 1024 / rawSeconds) * 10) / 10,
          throughputRatio: Math.round((rawSeconds / apiSeconds) * 100) / 100,
          apiRssGrowthMB: {
            max: mb(Math.max(...rounds.map((r) => r.rssGrowth))),
            perRound: rounds.map((r) => mb(r.rssGrowth)),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    api.kill('SIGTERM');
    raw.kill('SIGTERM');
    await rm(FILE, { force: true });
    await rm(env.FILES_DIR, { recursive: true, force: true });
    await db.drop();
  }
}

if (process.argv[2] === '--serve') {
  (process.argv[3] === 'api' ? serveApi() : serveRaw()).then(readyForParent, (error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
