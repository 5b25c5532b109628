// Leads import (POST /api/leads/import's job) against psql's \copy of the same CSV into the same table.
// Ours runs in the compiled worker (BullMQ, tracked job), whose peak RSS is read from /proc; each side
// imports into an empty workspace, and the leads are deleted (and the table vacuumed) before each
// measurement. See leads-import.run.ts.
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { LeadsJobs } from '../libs/leads/src/leads.jobs';
import { benchEnv, settle } from './lib/servers';
import { measureWorkerJob } from './lib/worker';

export interface BenchImportResult {
  ourSeconds: number;
  copySeconds: number;
  /** \copy time / our time: 1 = as fast as \copy. */
  ratio: number;
  workerPeakRssMb: number;
  /** The worker's command (node flags included). */
  workerCommand: string;
  /** RSS of the booted, idle worker before the import. */
  workerBaselineRssMb: number;
  /** Peak RSS while the first fifth of the rows was imported (the 1M-row point of a 5M-row run). */
  workerPeakRssAtFifthMb: number;
  /** workerPeakRssMb / workerPeakRssAtFifthMb: memory growth with the file (target <= 1.2 at 5M vs 1M). */
  rssGrowth: number;
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

/** Both sides start from empty tables (TRUNCATE: deleting millions of rows would take minutes). */
async function emptyLeads(db: Client): Promise<void> {
  await db.query(`TRUNCATE leads, lead_events CASCADE`);
  await db.query(`ANALYZE leads, lead_events`);
}

/**
 * Our side: the compiled worker (started as `npm run start:worker` starts it, node flags included) runs the
 * import job POST /api/leads/import queues, on the file copied to its uploads. The job's own progress
 * message ("N rows read") marks the first fifth of the rows for the RSS growth figure.
 */
async function ourImport(databaseUrl: string, csvPath: string, rows: number, workspaceId: string, filesDir: string) {
  return measureWorkerJob({
    env: { ...benchEnv(databaseUrl), FILES_DIR: filesDir },
    workspaceId,
    name: LeadsJobs.ImportLeads,
    prepare: async (jobId) => {
      await mkdir(join(filesDir, 'uploads'), { recursive: true });
      await copyFile(csvPath, join(filesDir, `uploads/${jobId}.csv`));
    },
    payload: (jobId) => ({
      jobId,
      workspaceId,
      userId: null,
      fileKey: `uploads/${jobId}.csv`,
      format: 'csv',
      mapping: null,
      duplicatePolicy: 'skip',
      defaultSource: null,
    }),
    mark: (message) => Number(/^(\d+) rows read/.exec(message ?? '')?.[1] ?? 0) >= rows / 5,
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
    await settle(opts.databaseUrl);
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
      ourSeconds: ours.record.seconds,
      copySeconds,
      ratio: copySeconds / ours.record.seconds,
      workerPeakRssMb: mb(ours.peakRss),
      workerBaselineRssMb: mb(ours.baselineRss),
      workerPeakRssAtFifthMb: mb(ours.peakRssAtMark),
      rssGrowth: ours.peakRss / ours.peakRssAtMark,
      result: ours.record.result,
      workerCommand: ours.command,
    };
  } finally {
    await db.end();
    await rm(filesDir, { recursive: true, force: true });
  }
}
