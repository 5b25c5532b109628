// Leads export against psql's \copy of the same rows and columns. Ours is the real thing: the compiled
// worker (dist/, started as `npm run start:worker` starts it) runs the export job a large export becomes,
// writing the file to its FileStore; its peak RSS is read from /proc. With apiBaseUrl and token the HTTP
// route (small exports, answered synchronously) is timed too (its RSS is the API's, not measured here).
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { LeadsJobs } from '../libs/leads/src/leads.jobs';
import { leadExportColumns } from '../libs/leads/src/export/lead-export.columns';
import { benchEnv, settle } from './lib/servers';
import { measureWorkerJob } from './lib/worker';

export interface ExportBenchOptions {
  databaseUrl: string;
  workspaceId: string;
  apiBaseUrl?: string;
  token?: string;
  format?: 'csv' | 'xlsx';
}

export interface ExportBenchResult {
  rows: number;
  psqlCopy: { seconds: number; bytes: number };
  /** The worker's job, from its start to its end (count, export, file written); RSS of the worker process. */
  exporter: {
    seconds: number;
    bytes: number;
    peakRssMb: number;
    baselineRssMb: number;
    ratio: number;
    /** How the worker was started (node flags included). */
    command: string;
  };
  http?: { seconds: number; bytes: number; ratio: number };
}

const MB = 1024 * 1024;

export async function benchExport(opts: ExportBenchOptions): Promise<ExportBenchResult> {
  const format = opts.format ?? 'csv';
  // The same columns, joins, filter and order as the export, as one statement \copy can run.
  const select = `SELECT ${leadExportColumns.map((c) => c.sql).join(', ')}
    FROM leads l LEFT JOIN niches n ON n.id = l.niche_id AND n.workspace_id = l.workspace_id
    LEFT JOIN users u ON u.id = l.owner_id
    WHERE l.workspace_id = '${opts.workspaceId.replace(/[^0-9a-f-]/gi, '')}' AND l.deleted_at IS NULL
    ORDER BY l.created_at DESC, l.id ASC`;

  const exporter = await workerExport(opts.databaseUrl, opts.workspaceId, format);
  await settle(opts.databaseUrl);
  const psql = await psqlCopy(opts.databaseUrl, select.replace(/\s+/g, ' '));
  const result: ExportBenchResult = {
    rows: exporter.rows,
    psqlCopy: psql,
    exporter: {
      seconds: exporter.seconds,
      bytes: exporter.bytes,
      peakRssMb: exporter.peakRss / MB,
      baselineRssMb: exporter.baselineRss / MB,
      ratio: psql.seconds / exporter.seconds,
      command: exporter.command,
    },
  };
  if (opts.apiBaseUrl && opts.token) {
    const started = process.hrtime.bigint();
    const res = await fetch(`${opts.apiBaseUrl}/api/leads/export?format=${format}`, {
      headers: { Authorization: `Bearer ${opts.token}` },
    });
    if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status} (raise EXPORT_SYNC_MAX_ROWS)`);
    const counter = { bytes: 0 };
    for await (const chunk of res.body) counter.bytes += (chunk as Uint8Array).length;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    result.http = { seconds, bytes: counter.bytes, ratio: psql.seconds / seconds };
  }
  return result;
}

function psqlCopy(databaseUrl: string, select: string): Promise<{ seconds: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const counter = { bytes: 0 };
    const child = execFile('psql', [databaseUrl, '-Xq', '-c', `\\copy (${select}) to stdout csv header`], {
      maxBuffer: Infinity,
      encoding: 'buffer',
    });
    child.stdout!.on('data', (chunk: Buffer) => (counter.bytes += chunk.length));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`psql exited with ${code}`));
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes: counter.bytes });
    });
  });
}

/** The compiled worker runs the export job a large export becomes; its file goes to a throwaway FILES_DIR. */
async function workerExport(databaseUrl: string, workspaceId: string, format: 'csv' | 'xlsx') {
  const filesDir = await mkdtemp(join(tmpdir(), 'crescendo-bench-export-'));
  try {
    // As the API does: it counts the rows to choose a job, and hands the count to the job (for progress).
    let expectedRows = 0;
    const run = await measureWorkerJob({
      env: { ...benchEnv(databaseUrl), FILES_DIR: filesDir },
      workspaceId,
      name: LeadsJobs.ExportLeads,
      prepare: async () => {
        const db = new Client({ connectionString: databaseUrl });
        await db.connect();
        const { rows } = await db.query(
          `SELECT count(*)::int AS n FROM leads WHERE workspace_id = $1 AND deleted_at IS NULL`,
          [workspaceId],
        );
        await db.end();
        expectedRows = rows[0].n;
      },
      payload: (jobId) => ({
        expectedRows,
        jobId,
        workspaceId,
        format,
        filters: { sortBy: 'createdAt', order: 'desc' },
        fileName: `bench.${format}`,
      }),
    });
    if (run.record.status !== 'COMPLETED')
      throw new Error(`the export job failed: ${JSON.stringify(run.record.error)}`);
    return {
      rows: Number(run.record.result.rows),
      seconds: run.record.seconds,
      bytes: run.record.files[0].size,
      peakRss: run.peakRss,
      baselineRss: run.baselineRss,
      command: run.command,
    };
  } finally {
    await rm(filesDir, { recursive: true, force: true });
  }
}

/** A workspace with `rows` varied leads (generate_series), for export measurements; returns its id. */
export async function seedExportWorkspace(db: Client, rows: number): Promise<string> {
  const [user] = (
    await db.query(`INSERT INTO users (email, name) VALUES ('bench-' || gen_random_uuid() || '@bench.test', 'Bench')
                    RETURNING id`)
  ).rows;
  const workspaceId = (
    await db.query(`INSERT INTO workspaces (name, owner_id) VALUES ('Export bench', $1) RETURNING id`, [user.id])
  ).rows[0].id as string;
  const [niche] = (
    await db.query(`INSERT INTO niches (workspace_id, name) VALUES ($1, 'Boulangerie') RETURNING id`, [workspaceId])
  ).rows;
  await db.query(
    `INSERT INTO leads (workspace_id, name, email, phone, company, job_title, source, status, niche_id, tags, score,
                        notes, custom_fields, owner_id, last_contacted_at, created_at)
     SELECT $1, 'Lead ' || i || CASE WHEN i % 10 = 0 THEN ', "é"' ELSE '' END, 'lead' || i || '@bench.test',
            '+33 6 ' || lpad((i % 100000000)::text, 8, '0'), 'Société ' || (i % 1000), 'CTO', 'linkedin',
            (ARRAY['new','contacted','qualified','converted','lost'])[1 + i % 5],
            CASE WHEN i % 2 = 0 THEN $2::uuid END, ARRAY['vip', 't' || (i % 7)], i % 101,
            CASE WHEN i % 3 = 0 THEN 'Appelé le ' || i END,
            CASE WHEN i % 4 = 0 THEN jsonb_build_object('budget', i) ELSE '{}'::jsonb END,
            $3::uuid, now() - make_interval(days => i % 300), now() - make_interval(secs => i)
       FROM generate_series(1, $4::int) AS i`,
    [workspaceId, niche.id, user.id, rows],
  );
  return workspaceId;
}
