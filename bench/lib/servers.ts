// Shared by the benchmarks: a throwaway database with every migration applied, the real API or a bare
// baseline in a child process, and autocannon runs.
import autocannon from 'autocannon';
import { ChildProcess, fork } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/platform/src/database/data-source-options';

export const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = 50;

export function benchEnv(databaseUrl: string): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `crescendo-bench-${randomBytes(3).toString('hex')}`,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    SETTINGS_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    CRON_SECRET: 'bench-cron-secret-0123',
    RATE_LIMIT_GENERAL_PER_MINUTE: '1000000000',
    TRUST_PROXY: '1',
    WEB_DIST_DIR: '',
    FILES_DIR: `/tmp/crescendo-bench-files-${process.pid}`,
  };
}

/** The server settings that move the figures most (docker-compose sets shared_buffers=1GB; a default install has 128MB). */
export async function postgresSettings(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) AS settings
         FROM unnest(ARRAY['shared_buffers', 'effective_cache_size', 'jit']) AS name`,
    );
    return rows[0].settings as string;
  } finally {
    await client.end();
  }
}

/** Creates a database with every migration applied; `drop` removes it, `keep` leaves it for another run. */
export async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void>; keep: () => Promise<void> }> {
  const name = `crescendo_bench_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const ds = new DataSource(dataSourceOptions(url.toString()));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
    keep: () => admin.end(),
  };
}

/** The V8 flags production starts the API with (`npm run start:api`): the API under test runs with them too. */
const API_NODE_FLAGS: string[] = (
  JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts['start:api']
  .split(/\s+/)
  .filter((token) => token.startsWith('--'));

/**
 * Forks `script --serve <kind>` and resolves once it reports ready. The child compiles TypeScript with swc, as
 * close as a bench gets to production's compiled JS: ts-node's register loads Node's `repl`, hence `domain`,
 * which hooks every promise and every EventEmitter (about 10 % of the API's CPU, and less of the bare server's).
 */
export function startChild(
  script: string,
  kind: string,
  port: number,
  env: Record<string, string>,
): Promise<ChildProcess> {
  const child = fork(script, ['--serve', kind], {
    env: { ...env, PORT: String(port) },
    execArgv: [
      '-r',
      require.resolve('../swc-register.js'),
      '-r',
      'tsconfig-paths/register',
      ...(kind === 'api' ? API_NODE_FLAGS : []),
      // BENCH_API_FLAGS: more Node/V8 flags for the API only (e.g. --trace-gc), to see where a tail comes from.
      ...(kind === 'api' && process.env.BENCH_API_FLAGS ? process.env.BENCH_API_FLAGS.split(/\s+/) : []),
      ...(process.env.BENCH_PROFILE && (kind === 'api' || process.env.BENCH_PROFILE === 'all')
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR ?? '/tmp/prof'}`]
        : []),
    ],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

/** Serves the real API on PORT (in a child started by startChild). */
export async function serveApi(): Promise<void> {
  const { createApiApp } = await import('../../apps/api/src/app.factory');
  const app = await createApiApp({ logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

export function readyForParent(): void {
  // Exit normally on SIGTERM so that --cpu-prof (BENCH_PROFILE=1, or =all to profile the bare server too) writes its profile.
  process.on('SIGTERM', () => process.exit(0));
  process.send?.('ready');
}

/** The machine's busy time over all cores (Linux /proc/stat: all but idle and iowait), in ns, if readable. */
export function machineBusy(): number | null {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const busy = ticks.reduce((sum, t) => sum + t, 0) - ticks[3] - ticks[4];
    return (busy * 1e9) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/**
 * Puts every measured side at the same start: Postgres's dirty pages written out (CHECKPOINT, so that no side
 * pays for the writes of the one before it) and the machine idle for a second (below a fifth of its cores
 * busy; at most 30 s of waiting, for a machine that never quietens).
 */
export async function settle(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
  for (let second = 0; second < 30; second++) {
    const before = machineBusy();
    await sleep(1000);
    const after = machineBusy();
    if (before === null || after === null || (after - before) / 1e9 < 0.2 * cpus().length) return;
  }
}

/** A process's time on a CPU and waiting in the run queue, in ns (Linux /proc/<pid>/schedstat), if readable. */
export function schedStat(pid: number | undefined): { onCpu: number; waiting: number } | null {
  if (!pid) return null;
  try {
    const [onCpu, waiting] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { onCpu, waiting };
  } catch {
    return null;
  }
}

/**
 * An autocannon run against `url`. With the server's pid, also per request: its main thread's time on a CPU
 * and in the run queue, and the whole machine's busy time. On this 2-core machine the server shares the cores
 * with Postgres and autocannon: the second figure shows how long it was ready to run but had no core, the
 * third what every process (Postgres's backends above all) spent on it.
 */
export async function load(url: string, headers: Record<string, string>, serverPid?: number) {
  const before = schedStat(serverPid);
  const busyBefore = machineBusy();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  const after = schedStat(serverPid);
  const busyAfter = machineBusy();
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  const total = result.requests.total;
  const perRequestUs = (ns: number) => Math.round(ns / 1000 / total);
  // Linux only: elsewhere the run reports throughput and latency alone.
  const scheduler =
    before && after && busyBefore !== null && busyAfter !== null
      ? {
          cpuUsPerRequest: perRequestUs(after.onCpu - before.onCpu),
          runQueueUsPerRequest: perRequestUs(after.waiting - before.waiting),
          machineUsPerRequest: perRequestUs(busyAfter - busyBefore),
        }
      : {};
  return { rps: result.requests.average, p99: result.latency.p99, total, ...scheduler };
}

export const BENCH_PASSWORD = 'bench password';
const JSON_FROM_BENCH = { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' };

/** Registers a user through the API and returns a bearer header and the workspace id. */
export async function benchUser(base: string): Promise<{ auth: Record<string, string>; workspaceId: string }> {
  const email = `bench-${randomBytes(3).toString('hex')}@crescendo.test`;
  await fetch(`${base}/auth/register`, {
    method: 'POST',
    headers: JSON_FROM_BENCH,
    body: JSON.stringify({ email, name: 'Bench', password: BENCH_PASSWORD }),
  });
  return benchLogin(base, email);
}

/** Logs a bench user in (one `benchUser` made, in a database kept from an earlier run). */
export async function benchLogin(
  base: string,
  email: string,
): Promise<{ auth: Record<string, string>; workspaceId: string }> {
  const login = (await (
    await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: JSON_FROM_BENCH,
      body: JSON.stringify({ email, password: BENCH_PASSWORD }),
    })
  ).json()) as { accessToken: string };
  const auth = { authorization: `Bearer ${login.accessToken}` };
  const me = (await (await fetch(`${base}/auth/me`, { headers: auth })).json()) as { workspace: { id: string } };
  return { auth, workspaceId: me.workspace.id };
}

/**
 * GET through one kept-alive connection with node:http, answering the status and the parsed JSON body: for timing
 * single requests, where fetch's WHATWG streams cost the bench process about 0.4 ms more per request than the
 * server's whole answer to a replayed stats route takes to parse (measured on /analytics/revenue, p50 2.9 vs 2.5 ms).
 */
export function getJson(url: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: keptAlive }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: text });
          }
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
const keptAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
