// Authenticated GET /api/leads (20 of N rows, newest first, with the bounded total and the next cursor) through the whole API —
// Fastify, JWT, principal, Redis rate limit, validation, DTO mapping — against a bare node:http + pg
// server (same pool size) running the same statement and answering byte-identical JSON. The API sends it
// as a prepared statement (preparedStatement in @crescendo/platform); the bare server the issue describes
// sends it as a plain parameterised query, and a second bare server prepares it too, so that the report
// also shows the API's own cost with the same work in Postgres.
import { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { type AppConfig, boundedCount, CursorCodec, keysetPageSql } from '../libs/platform/src';
import { LEAD_OUTPUT_COLUMNS, rowToLeadResponse } from '../libs/leads/src/leads.repository';
import {
  benchEnv,
  benchUser,
  CONNECTIONS,
  DURATION,
  load,
  readyForParent,
  serveApi,
  settle,
  startChild,
} from './lib/servers';

// The API's statements for page 1 without filters (LeadsService.list → LeadsRepository): the page with each row's
// cursor values, and beside it the bounded total (the planner's estimate, then a capped count when that is small).
const WHERE = 'l.workspace_id = $1 AND l.deleted_at IS NULL';
const PAGE_SQL = keysetPageSql({
  from: `leads l WHERE ${WHERE}`,
  alias: 'l',
  outputs: LEAD_OUTPUT_COLUMNS,
  order: { columns: ['l.created_at', 'l.id'], descending: true },
  orderBy: 'l.created_at DESC, l.id DESC',
  paging: 'LIMIT $2',
});

/**
 * The bare baseline: the same statements (the page prepared once per connection or not), same pool size, the
 * repository's own row mapper and the same signed cursor, byte-identical JSON, and nothing else.
 */
function serveBare(prepared: boolean): void {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  });
  const workspaceId = process.env.BENCH_WORKSPACE_ID!;
  const cursors = new CursorCodec({ env: { JWT_SECRET: process.env.JWT_SECRET! } } as AppConfig);
  createServer(async (_req, res) => {
    const values = [workspaceId, 21];
    const [{ rows }, { total, totalIsEstimate }] = await Promise.all([
      pool.query(prepared ? { name: 'leads_page', text: PAGE_SQL, values } : { text: PAGE_SQL, values }),
      boundedCount((text, params) => pool.query(text, params), `leads l WHERE ${WHERE}`, [workspaceId]),
    ]);
    const page = rows.slice(0, 20);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > 20
        ? cursors.encode(`${workspaceId}:leads:createdAt:desc`, { direction: 'next', values: last.cursor_key })
        : null;
    const data = page.map(({ cursor_key: _key, ...row }) => rowToLeadResponse(row));
    const pagination = {
      page: 1,
      limit: 20,
      total,
      pages: Math.ceil(total / 20),
      totalIsEstimate,
      nextCursor,
      prevCursor: null,
    };
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ data, pagination }));
  }).listen(Number(process.env.PORT), '127.0.0.1');
}

type RunFigures = {
  rps: number;
  p99: number;
  total: number;
  cpuUsPerRequest?: number;
  runQueueUsPerRequest?: number;
  machineUsPerRequest?: number;
};

export interface ListBenchResult {
  scenario: string;
  api: RunFigures;
  bare: RunFigures;
  barePrepared: RunFigures;
  /** Against the bare server as the issue describes it (plain parameterised query). */
  ratioRps: number;
  ratioP99: number;
  /** Against the bare server that prepares the statement too: the API's own cost alone. */
  ratioRpsPrepared: number;
  ratioP99Prepared: number;
  rounds: { api: RunFigures; bare: RunFigures; barePrepared: RunFigures }[];
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** Median requests/s, median p99 and the summed request count of a side's rounds. */
function medianRun(runs: RunFigures[]): RunFigures {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  return {
    rps: median(runs.map((r) => r.rps)),
    p99: median(runs.map((r) => r.p99)),
    total: runs.reduce((sum, r) => sum + r.total, 0),
    ...(runs.every((r) => r.cpuUsPerRequest !== undefined)
      ? {
          cpuUsPerRequest: median(runs.map((r) => r.cpuUsPerRequest!)),
          runQueueUsPerRequest: median(runs.map((r) => r.runQueueUsPerRequest!)),
          machineUsPerRequest: median(runs.map((r) => r.machineUsPerRequest!)),
        }
      : {}),
  };
}

/** Seeds `rows` leads in a fresh workspace and measures the API and the bare server one after the other. */
export async function benchList(databaseUrl: string, rows = 1000): Promise<ListBenchResult> {
  const env = benchEnv(databaseUrl);
  const children: ChildProcess[] = [];
  try {
    const api = await startChild(__filename, 'api', 3901, env);
    children.push(api);
    const base = 'http://127.0.0.1:3901/api';
    const { auth, workspaceId } = await benchUser(base);
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    await pool.query(
      `INSERT INTO leads (workspace_id, name, email, company, source, status, tags, score, custom_fields, created_at)
       SELECT $1, 'Lead ' || i, 'lead' || i || '@example.com', 'Company ' || (i % 50), 'import',
              (ARRAY['new','contacted','qualified','converted','lost'])[1 + i % 5], ARRAY['t' || (i % 7)], i % 101,
              jsonb_build_object('plan', 'p' || (i % 3)), now() - make_interval(secs => i)
         FROM generate_series(1, $2) AS i`,
      [workspaceId, rows],
    );
    // Settle the table before measuring: otherwise autovacuum analyses it during some round and the plan
    // (and the visibility map the count uses) changes under one side only.
    await pool.query('VACUUM ANALYZE leads');
    await pool.end();
    const apiBody = await (await fetch(`${base}/leads`, { headers: auth })).text();

    const bareEnv = { ...env, BENCH_WORKSPACE_ID: workspaceId };
    const bare = await startChild(__filename, 'bare', 3902, bareEnv);
    children.push(bare);
    const barePrepared = await startChild(__filename, 'bare-prepared', 3903, bareEnv);
    children.push(barePrepared);
    for (const port of [3902, 3903]) {
      const bareBody = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      if (bareBody !== apiBody) throw new Error(`the bare server on ${port} does not answer the same JSON as the API`);
    }

    // Warm each, then measure them in alternating rounds (never at the same time, so they never share the
    // CPU) and keep each side's median: one run swings by ±20 % with whatever else the machine does.
    const sides = [
      { url: `${base}/leads`, headers: auth, pid: api.pid, runs: [] as RunFigures[] },
      { url: 'http://127.0.0.1:3902/', headers: {}, pid: bare.pid, runs: [] as RunFigures[] },
      { url: 'http://127.0.0.1:3903/', headers: {}, pid: barePrepared.pid, runs: [] as RunFigures[] },
    ];
    for (const side of sides) await load(side.url, side.headers);
    await settle(databaseUrl);
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of sides) side.runs.push(await load(side.url, side.headers, side.pid));
    }
    const [apiRun, bareRun, barePreparedRun] = sides.map((side) => medianRun(side.runs));
    const ratio = (a: number, b: number) => +(a / b).toFixed(2);
    return {
      scenario: `GET /api/leads (20 of ${rows} rows), ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION} s`,
      api: apiRun,
      bare: bareRun,
      barePrepared: barePreparedRun,
      ratioRps: ratio(apiRun.rps, bareRun.rps),
      ratioP99: ratio(apiRun.p99, bareRun.p99),
      ratioRpsPrepared: ratio(apiRun.rps, barePreparedRun.rps),
      ratioP99Prepared: ratio(apiRun.p99, barePreparedRun.p99),
      rounds: sides[0].runs.map((a, i) => ({ api: a, bare: sides[1].runs[i], barePrepared: sides[2].runs[i] })),
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

if (process.argv[2] === '--serve') {
  const kind = process.argv[3];
  const serve = kind === 'api' ? serveApi() : Promise.resolve(serveBare(kind === 'bare-prepared'));
  serve.then(readyForParent).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
