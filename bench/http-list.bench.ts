// Throughput of an authenticated 20-row list through the whole API (Fastify, guards, JWT, rate limit in
// Redis, validation, TypeORM) against a bare node:http + pg server answering the same queries with the
// same JSON. Each server runs in its own child process; autocannon drives them from this one.
//   npm run bench
import 'reflect-metadata';
import autocannon from 'autocannon';
import { fork, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../libs/platform/src/database/data-source-options';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const LIST_SQL = `SELECT id, name, prefix, scopes, expires_at, last_used_at, revoked_at, created_at FROM api_keys
  WHERE workspace_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 20 OFFSET 0`;
const COUNT_SQL = `SELECT count(*)::int AS total FROM api_keys WHERE workspace_id = $1 AND revoked_at IS NULL`;

function env(databaseUrl: string) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `crescendo-bench-${randomBytes(3).toString('hex')}`,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    SETTINGS_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    CRON_SECRET: 'bench-cron-secret-0123',
    RATE_LIMIT_GENERAL_PER_MINUTE: '1000000000',
    TRUST_PROXY: 'true',
    WEB_DIST_DIR: '',
  };
}

/** Child process: serve the real API or the bare baseline on PORT. */
async function serve(kind: string) {
  const port = Number(process.env.PORT);
  if (kind === 'api') {
    const { createApiApp } = await import('../apps/api/src/app.factory');
    const app = await createApiApp({ logger: false });
    await app.listen(port, '127.0.0.1');
  } else {
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    const workspaceId = process.env.BENCH_WORKSPACE_ID!;
    createServer(async (_req, res) => {
      const [rows, count] = await Promise.all([
        pool.query(LIST_SQL, [workspaceId]),
        pool.query(COUNT_SQL, [workspaceId]),
      ]);
      const total = count.rows[0].total;
      const data = rows.rows.map((r) => ({
        id: r.id,
        name: r.name,
        prefix: r.prefix,
        scopes: r.scopes,
        expiresAt: r.expires_at?.toISOString() ?? null,
        lastUsedAt: r.last_used_at?.toISOString() ?? null,
        revokedAt: r.revoked_at?.toISOString() ?? null,
        createdAt: r.created_at.toISOString(),
      }));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ data, pagination: { page: 1, limit: 20, total, pages: Math.ceil(total / 20) } }));
    }).listen(port, '127.0.0.1');
  }
  // Exit normally on SIGTERM so that --cpu-prof (BENCH_PROFILE=1) writes its profile.
  process.on('SIGTERM', () => process.exit(0));
  process.send?.('ready');
}

function start(kind: string, port: number, extraEnv: Record<string, string>): Promise<ChildProcess> {
  const child = fork(__filename, ['--serve', kind], {
    env: { ...extraEnv, PORT: String(port) },
    execArgv: [
      '-r',
      'ts-node/register',
      '-r',
      'tsconfig-paths/register',
      ...(process.env.BENCH_PROFILE && kind === 'api' ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
    ],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

async function load(url: string, headers: Record<string, string>) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99, total: result.requests.total };
}

async function main() {
  const database = `crescendo_bench_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const children: ChildProcess[] = [];
  try {
    const ds = new DataSource(dataSourceOptions(url.toString()));
    await ds.initialize();
    await ds.runMigrations();
    await ds.destroy();
    const baseEnv = env(url.toString()) as Record<string, string>;

    const api = await start('api', 3901, baseEnv);
    children.push(api);
    const base = 'http://127.0.0.1:3901/api';
    const json = { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' };
    await fetch(`${base}/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'bench@crescendo.test', name: 'Bench', password: 'bench password' }),
    });
    const login: any = await (
      await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'bench@crescendo.test', password: 'bench password' }),
      })
    ).json();
    const auth = { authorization: `Bearer ${login.accessToken}` };
    for (let i = 0; i < 25; i++) {
      const res = await fetch(`${base}/security/api-keys`, {
        method: 'POST',
        headers: { ...json, ...auth },
        body: JSON.stringify({ name: `key ${i}`, scopes: ['leads:read'] }),
      });
      if (res.status !== 201) throw new Error(`create key: ${res.status}`);
    }
    const me: any = await (await fetch(`${base}/auth/me`, { headers: auth })).json();
    const apiBody = await (await fetch(`${base}/security/api-keys`, { headers: auth })).text();

    const bare = await start('bare', 3902, { ...baseEnv, BENCH_WORKSPACE_ID: me.workspace.id });
    children.push(bare);
    const bareBody = await (await fetch('http://127.0.0.1:3902/')).text();
    if (bareBody !== apiBody) throw new Error('the bare server does not answer the same JSON as the API');

    // Warm both, then measure one after the other so they never share the CPU.
    await load(`${base}/security/api-keys`, auth);
    const apiRun = await load(`${base}/security/api-keys`, auth);
    await load('http://127.0.0.1:3902/', {});
    const bareRun = await load('http://127.0.0.1:3902/', {});

    const report = {
      scenario: `GET /api/security/api-keys (20 of 25 rows), ${CONNECTIONS} connections, ${DURATION} s`,
      api: apiRun,
      bare: bareRun,
      ratioRps: +(apiRun.rps / bareRun.rps).toFixed(2),
      ratioP99: +(apiRun.p99 / bareRun.p99).toFixed(2),
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

if (process.argv[2] === '--serve') {
  serve(process.argv[3]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
