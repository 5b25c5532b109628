// Leads import (POST /api/leads/import's job) against psql's \copy of the same CSV into the same table.
// Ours runs in a real worker (WorkerModule, BullMQ, tracked job) in a child process whose peak RSS is
// measured; each side imports into an empty workspace, and the leads are deleted (and the table vacuumed)
// before each measurement. See leads-import.run.ts. BENCH_MEMORY_LOG=1 logs the worker's memory every second.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { execFile, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { benchEnv } from './lib/servers';

export interface BenchImportResult {
  ourSeconds: number;
  copySeconds: number;
  /** \copy time / our time: 1 = as fast as \copy. */
  ratio: number;
  workerPeakRssMb: number;
  /** RSS of the booted, idle worker before the import. */
  workerBaselineRssMb: number;
  /** Peak RSS while the first fifth of the rows was imported (the 1M-row point of a 5M-row run). */
  workerPeakRssAtFifthMb: number;
  /** workerPeakRssMb / workerPeakRssAtFifthMb: memory growth with the file (target <= 1.2 at 5M vs 1M). */
  rssGrowth: number;
  workerIdleHeapTotalMb: number;
  /** V8's figures when the RSS peaked. */
  workerPeakHeap: { heapTotalMb: number; heapUsedMb: number; externalMb: number };
  result: Record<string, unknown>;
}

const COLUMNS = 'name,email,phone,company,job_title,source,status,score,notes';
const STATUSES = ['new', 'contacted', 'qualified', 'converted', 'lost'];

/** A CSV both sides accept: unique e-mails, valid statuses and scores, some quoted notes. */
export async function writeBenchCsv(path: string, rows: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  out.write(`${COLUMNS}\n`);
  for (let i = 0; i < rows; i++) {
    const notes = i % 10 === 0 ? `"Met at the fair, booth ${i % 300}"` : '';
    const line = `Lead ${i},lead${i}@bench.example.com,+33 6 ${i},Company ${i % 5000},Head of sales,bench,${STATUSES[i % 5]},${i % 101},${notes}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function newWorkspace(db: Client): Promise<string> {
  const [user] = (
    await db.query(`INSERT INTO users (email, name) VALUES ($1, 'Bench') RETURNING id`, [
      `bench-${randomBytes(4).toString('hex')}@bench.example.com`,
    ])
  ).rows;
  const [ws] = (await db.query(`INSERT INTO workspaces (name, owner_id) VALUES ('Bench', $1) RETURNING id`, [user.id]))
    .rows;
  return ws.id;
}

async function emptyLeads(db: Client): Promise<void> {
  await db.query(`DELETE FROM lead_events`);
  await db.query(`DELETE FROM leads`);
  await db.query(`VACUUM ANALYZE leads`);
  await db.query(`VACUUM ANALYZE lead_events`);
}

/** The child: a real worker; imports the file as a tracked job and reports time and peak RSS. */
async function runWorker(): Promise<void> {
  const { WorkerModule } = await import('../apps/worker/src/worker.module');
  const { JobTrackerService } = await import('@crescendo/jobs');
  const { FileStore, JobName } = await import('@crescendo/platform');
  const { DataSource } = await import('typeorm');
  const { csvPath, workspaceId, rows } = JSON.parse(process.env.BENCH_IMPORT!) as {
    csvPath: string;
    workspaceId: string;
    rows: number;
  };
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  const files = app.get(FileStore);
  const db = app.get(DataSource);
  const jobId = randomUUID();
  const fileKey = `uploads/${jobId}.csv`;
  await mkdir(dirname(files.path(fileKey)), { recursive: true });
  await copyFile(csvPath, files.path(fileKey));

  const idleMemory = process.memoryUsage();
  const baselineRss = idleMemory.rss;
  let peak = baselineRss;
  let peakMemory = idleMemory;
  const sampler = setInterval(() => {
    const memory = process.memoryUsage();
    if (memory.rss > peak) [peak, peakMemory] = [memory.rss, memory];
  }, 50);
  // VmHWM: the kernel's own peak resident size, which catches spikes between samples.
  const highWater = async () =>
    Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(await readFile('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024);
  const started = process.hrtime.bigint();
  await app.get(JobTrackerService).submit(
    JobName.ImportLeads,
    {
      workspaceId,
      userId: null,
      fileKey,
      format: 'csv',
      mapping: null,
      duplicatePolicy: 'skip',
      defaultSource: null,
    },
    null,
    jobId,
  );
  // The peak RSS over the first fifth of the rows (from the job's "N rows read" progress message), to
  // compare with the peak over the whole file: at 5 000 000 rows, the 5M-vs-1M ratio.
  let peakAtFifth: number | null = null;
  let lastLog = 0;
  let record: { status: string; result: Record<string, unknown>; error: unknown; message: string | null };
  for (;;) {
    [record] = await db.query(`SELECT status, result, error, message FROM jobs WHERE id = $1`, [jobId]);
    if (record.status === 'COMPLETED' || record.status === 'FAILED') break;
    const read = Number(/^(\d+) rows read/.exec(record.message ?? '')?.[1] ?? 0);
    if (process.env.BENCH_MEMORY_LOG && Date.now() - lastLog >= 1000) {
      lastLog = Date.now();
      const { rss, heapTotal, heapUsed, external } = process.memoryUsage();
      console.error(`${read} rows: rss ${mb(rss)} heap ${mb(heapUsed)}/${mb(heapTotal)} external ${mb(external)} MB`);
    }
    if (peakAtFifth === null && read >= rows / 5) peakAtFifth = await highWater();
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  const peakRss = await highWater();
  process.send!({ seconds, record, peakRss, peakAtFifth: peakAtFifth ?? peakRss, baselineRss, idleMemory, peakMemory });
  await app.close();
}

function ourImport(databaseUrl: string, csvPath: string, rows: number, workspaceId: string, filesDir: string) {
  const child = fork(__filename, ['--import-worker'], {
    env: {
      ...benchEnv(databaseUrl),
      FILES_DIR: filesDir,
      BENCH_IMPORT: JSON.stringify({ csvPath, workspaceId, rows }),
    },
    execArgv: [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
      '-r',
      require.resolve('./swc-register.js'),
      '-r',
      'tsconfig-paths/register',
    ],
  });
  return new Promise<{
    seconds: number;
    record: { status: string; result: Record<string, unknown> };
    peakRss: number;
    peakAtFifth: number;
    baselineRss: number;
    idleMemory: NodeJS.MemoryUsage;
    peakMemory: NodeJS.MemoryUsage;
  }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as never));
    child.once('exit', (code) => reject(new Error(`import worker exited with ${code}`)));
  });
}

export async function benchImport(opts: {
  rows: number;
  csvPath: string;
  databaseUrl: string;
}): Promise<BenchImportResult> {
  if (!existsSync(opts.csvPath)) await writeBenchCsv(opts.csvPath, opts.rows);
  const db = new Client({ connectionString: opts.databaseUrl });
  await db.connect();
  const filesDir = await mkdtemp(join(tmpdir(), 'crescendo-bench-files-'));
  try {
    // \copy has no workspace column in the file: the column default supplies it for the duration.
    await emptyLeads(db);
    const copyWorkspace = await newWorkspace(db);
    await db.query(`ALTER TABLE leads ALTER COLUMN workspace_id SET DEFAULT '${copyWorkspace}'`);
    const copyStarted = process.hrtime.bigint();
    try {
      await promisify(execFile)('psql', [
        opts.databaseUrl,
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        `\\copy leads(${COLUMNS}) from '${opts.csvPath}' csv header`,
      ]);
    } finally {
      await db.query(`ALTER TABLE leads ALTER COLUMN workspace_id DROP DEFAULT`);
    }
    const copySeconds = Number(process.hrtime.bigint() - copyStarted) / 1e9;
    const [{ count: copied }] = (await db.query(`SELECT count(*)::int AS count FROM leads`)).rows;
    if (copied !== opts.rows) throw new Error(`\\copy loaded ${copied} rows of ${opts.rows}`);

    await emptyLeads(db);
    const ours = await ourImport(opts.databaseUrl, opts.csvPath, opts.rows, await newWorkspace(db), filesDir);
    if (ours.record.status !== 'COMPLETED' || ours.record.result.inserted !== opts.rows) {
      throw new Error(`the import did not load every row: ${JSON.stringify(ours.record)}`);
    }
    await emptyLeads(db);
    return {
      ourSeconds: ours.seconds,
      copySeconds,
      ratio: copySeconds / ours.seconds,
      workerPeakRssMb: mb(ours.peakRss),
      workerBaselineRssMb: mb(ours.baselineRss),
      workerPeakRssAtFifthMb: mb(ours.peakAtFifth),
      rssGrowth: ours.peakRss / ours.peakAtFifth,
      workerIdleHeapTotalMb: mb(ours.idleMemory.heapTotal),
      workerPeakHeap: {
        heapTotalMb: mb(ours.peakMemory.heapTotal),
        heapUsedMb: mb(ours.peakMemory.heapUsed),
        externalMb: mb(ours.peakMemory.external),
      },
      result: ours.record.result,
    };
  } finally {
    await db.end();
    await rm(filesDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--import-worker') {
  runWorker().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
