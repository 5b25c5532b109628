// The compiled worker (dist/, started exactly as `npm run start:worker` starts it, node flags included) in a
// child process, for benchmarks that measure the process that really runs a job: RSS read from /proc.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { AppConfig, loadEnv } from '../../libs/platform/src/config/config.service';
import { JobName, JobPayloads } from '../../libs/platform/src/jobs/job.types';
import { QueueRegistry } from '../../libs/platform/src/jobs/queue.registry';
import { settle } from './servers';

const ROOT = join(__dirname, '..', '..');

export interface CompiledWorker {
  pid: number;
  /** The command it was started with. */
  command: string;
  /** Resident set size now (VmRSS) and the kernel's peak since start (VmHWM), in bytes. */
  memory(): Promise<{ rss: number; hwm: number }>;
  /** SIGTERM (the worker finishes its jobs and closes its pools), then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `npm run start:worker`'s command with `env` (LOG_LEVEL forced to info: its "Worker started" line
 * is the ready signal) and resolves once the worker takes jobs. `extraNodeFlags` go after the script's own
 * flags, so they win (BENCH_WORKER_NODE_FLAGS, e.g. "--max-semi-space-size=16" to compare a setting).
 * BENCH_WORKER_STDOUT=<file> appends what the worker prints there (its logs, or --trace-gc lines).
 * Needs a build: `npm run build:server`.
 */
export async function startCompiledWorker(
  env: Record<string, string>,
  extraNodeFlags = process.env.BENCH_WORKER_NODE_FLAGS ?? '',
): Promise<CompiledWorker> {
  if (!existsSync(join(ROOT, 'dist/apps/worker/src/main.js'))) {
    throw new Error('dist/apps/worker is missing: run `npm run build:server` first');
  }
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts['start:worker'];
  const words = script.split(' ');
  if (words[0] !== 'node') throw new Error(`start:worker does not start with "node ": ${script}`);
  // Just before the entry file, after the script's own flags: for V8, the last occurrence of a flag wins.
  const command = [...words.slice(0, -1), ...(extraNodeFlags ? [extraNodeFlags] : []), words.at(-1)].join(' ');
  // exec: the shell becomes node, so the child's pid is the worker's.
  const child = spawn('sh', ['-c', `exec ${command}`], {
    cwd: ROOT,
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let tail = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start within 60 s:\n${tail}`)), 60_000);
    const onExit = (code: number | null) => reject(new Error(`the worker exited with ${code}:\n${tail}`));
    child.once('exit', onExit);
    // Read every line, ready or not: a full pipe would block the worker's logger.
    child.stdout!.on('data', (chunk: Buffer) => {
      if (process.env.BENCH_WORKER_STDOUT) appendFileSync(process.env.BENCH_WORKER_STDOUT, chunk);
      tail = (tail + chunk.toString()).slice(-4000);
      if (tail.includes('"msg":"Worker started"')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    });
  });
  const pid = child.pid!;
  return {
    pid,
    command,
    async memory() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
      return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A tracked job's record once it ended, as the jobs table holds it. */
export interface EndedJob {
  status: 'COMPLETED' | 'FAILED';
  result: Record<string, unknown>;
  files: Array<{ size: number }>;
  error: unknown;
  /** finished_at − started_at: the job's own time, queue wait excluded. */
  seconds: number;
}

export interface MeasuredJob {
  record: EndedJob;
  command: string;
  /** RSS of the booted, idle worker just before the job. */
  baselineRss: number;
  /** Peak RSS over the job (samples every 20 ms and the kernel's VmHWM). */
  peakRss: number;
  /** The peak so far when `mark` first returned true for the job's progress message (or the final peak). */
  peakRssAtMark: number;
}

/**
 * Boots the compiled worker with `env`, submits one job as the API does (a jobs row, then the BullMQ job with
 * the same id; `prepare` runs before, e.g. to put an upload in FILES_DIR), waits for its record to end and
 * reads the worker's memory. `mark` sees each progress message: the first time it says true, the peak so far
 * is kept (the import's peak over its first fifth of the rows).
 */
export async function measureWorkerJob<N extends JobName>(opts: {
  env: Record<string, string>;
  workspaceId: string;
  name: N;
  payload: (jobId: string) => JobPayloads[N];
  prepare?: (jobId: string) => Promise<void>;
  mark?: (message: string | null) => boolean;
}): Promise<MeasuredJob> {
  const worker = await startCompiledWorker(opts.env);
  const queues = new QueueRegistry(new AppConfig(loadEnv(opts.env)));
  const db = new Client({ connectionString: opts.env.DATABASE_URL });
  await db.connect();
  try {
    await settle(opts.env.DATABASE_URL); // a second at least: the boot's garbage goes too
    const baselineRss = (await worker.memory()).rss;
    let peakRss = baselineRss;
    const sample = async () => {
      const { rss, hwm } = await worker.memory();
      peakRss = Math.max(peakRss, rss, hwm);
      return peakRss;
    };
    const sampler = setInterval(() => void sample().catch(() => undefined), 20);
    const jobId = randomUUID();
    await opts.prepare?.(jobId);
    await db.query(`INSERT INTO jobs (id, workspace_id, user_id, name) VALUES ($1, $2, NULL, $3)`, [
      jobId,
      opts.workspaceId,
      opts.name,
    ]);
    await queues.enqueue(opts.name, opts.payload(jobId), { jobId, attempts: 1 });
    let peakRssAtMark: number | null = null;
    let record: EndedJob & { message: string | null };
    for (;;) {
      [record] = (
        await db.query(
          `SELECT status, result, files, error, message, extract(epoch FROM finished_at - started_at)::float8 AS seconds
             FROM jobs WHERE id = $1`,
          [jobId],
        )
      ).rows;
      if (record.status === 'COMPLETED' || record.status === 'FAILED') break;
      if (peakRssAtMark === null && opts.mark?.(record.message)) peakRssAtMark = await sample();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    clearInterval(sampler);
    await sample();
    return { record, command: worker.command, baselineRss, peakRss, peakRssAtMark: peakRssAtMark ?? peakRss };
  } finally {
    await worker.stop();
    await queues.onApplicationShutdown();
    await db.end();
    await dropRedisKeys(opts.env.REDIS_URL, opts.env.REDIS_PREFIX);
  }
}

/** The queues and schedules a bench's worker left under its throwaway prefix. */
async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
      if ((keys as string[]).length) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
