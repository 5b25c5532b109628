// Leads export against psql's \copy of the same rows and columns. The exporter runs in a child process
// (the streaming function itself, as the API and the worker call it) so its peak RSS is its own; with
// apiBaseUrl and token the HTTP route is timed too (its RSS is the API's, not measured here).
import 'reflect-metadata';
import { execFile, fork } from 'node:child_process';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../libs/platform/src/database/data-source-options';
import { WorkspaceEntity } from '../libs/identity/src/workspaces/workspace.entity';
import { leadExportColumns } from '../libs/leads/src/export/lead-export.columns';
import { LeadsExportService } from '../libs/leads/src/export/leads-export.service';
import { LeadEntity } from '../libs/leads/src/lead.entity';
import { NicheEntity } from '../libs/leads/src/niche.entity';

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
  exporter: { seconds: number; bytes: number; peakRssMb: number; baselineRssMb: number; ratio: number };
  http?: { seconds: number; bytes: number; ratio: number };
}

const MB = 1024 * 1024;

/** Counts the bytes it is given and throws them away (a fast client). */
const sink = (counter: { bytes: number }) =>
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      counter.bytes += chunk.length;
      done();
    },
  });

export async function benchExport(opts: ExportBenchOptions): Promise<ExportBenchResult> {
  const format = opts.format ?? 'csv';
  // The same columns, joins, filter and order as the export, as one statement \copy can run.
  const select = `SELECT ${leadExportColumns.map((c) => c.sql).join(', ')}
    FROM leads l LEFT JOIN niches n ON n.id = l.niche_id AND n.workspace_id = l.workspace_id
    LEFT JOIN users u ON u.id = l.owner_id
    WHERE l.workspace_id = '${opts.workspaceId.replace(/[^0-9a-f-]/gi, '')}' AND l.deleted_at IS NULL
    ORDER BY l.created_at DESC, l.id ASC`;

  const exporter = await runChild(opts.databaseUrl, opts.workspaceId, format);
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

interface ChildFigures {
  rows: number;
  seconds: number;
  bytes: number;
  peakRss: number;
  baselineRss: number;
}

function runChild(databaseUrl: string, workspaceId: string, format: string): Promise<ChildFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--export-child', databaseUrl, workspaceId, format], {
      execArgv: ['-r', join(__dirname, 'esbuild-register.js'), '-r', 'tsconfig-paths/register', ...childNodeFlags()],
    });
    child.once('message', (figures) => resolve(figures as ChildFigures));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`export child exited with ${code}`)));
  });
}

/** BENCH_CHILD_HEAP_MB caps the child's heap: proves constant memory (it would run out otherwise). */
function childNodeFlags(): string[] {
  const heap = process.env.BENCH_CHILD_HEAP_MB;
  return heap ? [`--max-old-space-size=${heap}`] : [];
}

/** Child: opens the export stream exactly as the route does and drains it into a counting sink. */
async function exportChild(databaseUrl: string, workspaceId: string, format: 'csv' | 'xlsx') {
  const dataSource = new DataSource(
    dataSourceOptions(databaseUrl, { entities: [LeadEntity, NicheEntity, WorkspaceEntity], poolSize: 2 }),
  );
  await dataSource.initialize();
  const service = new LeadsExportService(dataSource, dataSource.getRepository(LeadEntity), null!, null!);
  global.gc?.();
  const baselineRss = process.memoryUsage.rss();
  let peakRss = baselineRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  let rows = 0;
  const counter = { bytes: 0 };
  const started = process.hrtime.bigint();
  const filters = { sortBy: 'createdAt', order: 'desc' } as const;
  const stream = await service.stream(workspaceId, filters, format, (n) => (rows = n));
  await pipeline(stream, sink(counter));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
  await dataSource.destroy();
  process.send!({ rows, seconds, bytes: counter.bytes, peakRss, baselineRss });
  process.disconnect();
}

if (process.argv[2] === '--export-child') {
  const [, , , databaseUrl, workspaceId, format] = process.argv;
  exportChild(databaseUrl, workspaceId, format as 'csv' | 'xlsx').catch((error) => {
    console.error(error);
    process.exit(1);
  });
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
