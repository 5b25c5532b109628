// GDPR at scale: a user who alone owns a workspace of BENCH_GDPR_LEADS leads (default 200 000) with
// BENCH_GDPR_EVENTS timeline events (default 1 000 000).
//   Export: POST /api/gdpr/export through the API (a child process, its RSS sampled every 20 ms) against
//   `psql -c "\copy (SELECT row_to_json(…) …) to stdout"` of the same leads and events, in the same run; both
//   outputs are read to the end by this process. Target: ≥ 0.5× psql's rows per second, API RSS < 200 MB.
//   Erasure: POST /api/gdpr/delete (the workspace goes with everything in it) against plain DELETE statements in
//   one transaction on an identical copy of the database (CREATE DATABASE … TEMPLATE). Target: ≤ 2× its time.
//   npm run build:server && npx ts-node -T -r tsconfig-paths/register bench/gdpr.ts   (BENCH_ROUNDS, default 3)
// Reusing a seeded database (seeding takes minutes): BENCH_GDPR_DB=<name> keeps the database under that name (created,
// migrated and seeded on the first run, reused while its sizes match) and skips the erasure, which would empty it;
// drop it with `psql -c 'DROP DATABASE <name>'`. BENCH_GDPR_ERASURE=1 measures the erasure anyway (it empties the database:
// the next run seeds it again).
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../libs/platform/src/database/data-source-options';
import { ADMIN_URL, benchDatabase, benchEnv, benchLogin, benchUser, settle } from './lib/servers';

const LEADS = Number(process.env.BENCH_GDPR_LEADS ?? 200_000);
const EVENTS = Number(process.env.BENCH_GDPR_EVENTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PORT = 3913;
const ROOT = join(__dirname, '..');
const KEPT_DB = process.env.BENCH_GDPR_DB;
const ERASURE = !KEPT_DB || process.env.BENCH_GDPR_ERASURE === '1';

/** BENCH_GDPR_DB's database, created when missing, with every migration applied (new ones too). */
async function keptDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rowCount) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const ds = new DataSource(dataSourceOptions(url.toString()));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  return { url: url.toString(), drop: async () => undefined };
}

/** The kept database's bench user (its e-mail read back) when its leads and events are the sizes asked for. */
async function seededUser(url: string, base: string) {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT u.email, (SELECT count(*) FROM leads)::int AS leads, (SELECT count(*) FROM lead_events)::int AS events
         FROM users u WHERE u.email LIKE 'bench-%' LIMIT 1`,
    );
    if (!rows.length || rows[0].leads !== LEADS || rows[0].events !== EVENTS) {
      if (rows.length) throw new Error(`${url} holds other sizes: drop it or name another BENCH_GDPR_DB`);
      return null;
    }
    return benchLogin(base, rows[0].email as string);
  } finally {
    await db.end();
  }
}

/**
 * The compiled API (`npm run start:api`'s command, so its RSS is production's, not a compiler's) in a child
 * process; resolves once /api/health answers. Needs `npm run build:server`.
 */
async function startApi(env: Record<string, string>): Promise<ChildProcess> {
  if (!existsSync(join(ROOT, 'dist/apps/api/src/main.js'))) throw new Error('run `npm run build:server` first');
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts['start:api'];
  // exec: the shell becomes node, so the child's pid is the API's.
  const child = spawn('sh', ['-c', `exec ${script}`], {
    cwd: ROOT,
    env: { ...env, PORT: String(PORT) },
    stdio: 'inherit',
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${PORT}/api/health`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) return child;
    await sleep(100);
  }
  throw new Error('the API did not start within 60 s');
}

async function seed(db: Client, workspaceId: string, userId: string): Promise<void> {
  await db.query(
    `INSERT INTO leads (workspace_id, name, email, phone, company, source, status, tags, score, notes, custom_fields,
                        owner_id, created_at, updated_at)
     SELECT $1, (ARRAY['Anna','Bruno','Chloé','David','Élodie','Farid','Giulia','Hugo','Inès','Jules'])[1 + i % 10]
                || ' ' || (ARRAY['Martin','Bernard','Dubois','Thomas','Robert','Richard','Petit','Durand'])[1 + (i / 10) % 8],
            'contact' || i || '@' || (ARRAY['gmail.com','orange.fr','example.org','acme.io'])[1 + i % 4],
            '+33 6 ' || lpad((i % 100000000)::text, 8, '0'), 'Company ' || (i % 5000),
            (ARRAY['import','linkedin','webhook','website'])[1 + i % 4],
            (ARRAY['new','contacted','qualified','converted','lost'])[1 + i % 5],
            ARRAY['t' || (i % 7), 'seg' || (i % 13)], i % 101, 'Met at the fair, follow up in ' || (i % 12) || ' weeks',
            jsonb_build_object('plan', 'pro', 'seats', i % 50), $2,
            now() - make_interval(secs => i), now() - make_interval(secs => i % 86400)
       FROM generate_series(1, $3) AS i`,
    [workspaceId, userId, LEADS],
  );
  await db.query(
    `WITH l AS (SELECT id, row_number() OVER () AS n FROM leads WHERE workspace_id = $1)
     INSERT INTO lead_events (lead_id, workspace_id, type, data, actor_user_id, created_at)
     SELECT l.id, $1, (ARRAY['created','updated','note','status_changed','contacted'])[1 + g % 5],
            jsonb_build_object('field', 'status', 'from', 'new', 'to', 'contacted', 'n', g), $2,
            now() - make_interval(secs => g)
       FROM generate_series(1, $3) AS g JOIN l ON l.n = 1 + g % $4`,
    [workspaceId, userId, EVENTS, LEADS],
  );
  await db.query('VACUUM ANALYZE leads');
  await db.query('VACUUM ANALYZE lead_events');
}

/** Resident set size of a process now, in bytes (Linux /proc). */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

/** Samples `pid`'s RSS every 20 ms until stopped; answers the peak. */
function sampleRss(pid: number): () => number {
  let peak = rssOf(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssOf(pid));
  };
}

async function apiExport(base: string, auth: Record<string, string>, pid: number) {
  const stop = sampleRss(pid);
  const started = performance.now();
  const res = await fetch(`${base}/gdpr/export`, { method: 'POST', headers: auth });
  if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}`);
  let bytes = 0;
  let tail = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    tail = Buffer.from(chunk.subarray(-8)).toString();
  }
  const seconds = (performance.now() - started) / 1000;
  if (!tail.endsWith('}}}\n')) throw new Error('the export did not end as a complete JSON document');
  return { seconds, bytes, peakRss: stop() };
}

/** psql \copy of the same rows as JSON, one row per line, read to the end here. */
async function psqlExport(url: string, workspaceId: string) {
  const started = performance.now();
  const psql = spawn('psql', [
    url,
    '-X',
    '-q',
    '-c',
    `\\copy (SELECT row_to_json(l) FROM leads l WHERE workspace_id = '${workspaceId}') to stdout`,
    '-c',
    `\\copy (SELECT row_to_json(e) FROM lead_events e WHERE workspace_id = '${workspaceId}') to stdout`,
  ]);
  let bytes = 0;
  let rows = 0;
  psql.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
  });
  const code = await new Promise<number | null>((resolve) => psql.on('close', resolve));
  if (code !== 0) throw new Error(`psql exited with ${code}`);
  return { seconds: (performance.now() - started) / 1000, bytes, rows };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main() {
  const database = KEPT_DB ? await keptDatabase(KEPT_DB) : await benchDatabase();
  const copyName = `${new URL(database.url).pathname.slice(1)}_copy`;
  const copyUrl = new URL(database.url);
  copyUrl.pathname = `/${copyName}`;
  const env = benchEnv(database.url);
  let api: ChildProcess | null = null;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const base = `http://127.0.0.1:${PORT}/api`;
  try {
    api = await startApi(env);
    const kept = KEPT_DB ? await seededUser(database.url, base) : null;
    const user = kept ?? (await benchUser(base));
    const db = new Client({ connectionString: database.url });
    await db.connect();
    const { rows } = await db.query('SELECT owner_id FROM workspaces WHERE id = $1', [user.workspaceId]);
    const userId = rows[0].owner_id as string;
    if (!kept) {
      console.error(`seeding ${LEADS} leads and ${EVENTS} timeline events…`);
      await seed(db, user.workspaceId, userId);
    }
    await db.end();

    console.log(`API RSS before the first export: ${mb(rssOf(api.pid!))}`);
    console.log(
      `| round | API export | psql \\copy | API rows/s ÷ psql rows/s | API bytes/s ÷ psql bytes/s | API peak RSS |`,
    );
    console.log(`|---|---|---|---|---|---|`);
    const ratios: number[] = [];
    const byteRatios: number[] = [];
    const peaks: number[] = [];
    const apiRows = LEADS + EVENTS; // the other sections hold a handful of rows
    for (let round = 1; round <= ROUNDS; round++) {
      await settle(database.url);
      const raw = await psqlExport(database.url, user.workspaceId);
      if (raw.rows !== LEADS + EVENTS) throw new Error(`psql wrote ${raw.rows} rows`);
      await settle(database.url);
      const ours = await apiExport(base, user.auth, api.pid!);
      const ratio = apiRows / ours.seconds / (raw.rows / raw.seconds);
      const byteRatio = ours.bytes / ours.seconds / (raw.bytes / raw.seconds);
      ratios.push(ratio);
      byteRatios.push(byteRatio);
      peaks.push(ours.peakRss);
      console.log(
        `| ${round} | ${ours.seconds.toFixed(2)} s, ${mb(ours.bytes)} | ${raw.seconds.toFixed(2)} s, ${mb(raw.bytes)} | ` +
          `${ratio.toFixed(2)}× | ${byteRatio.toFixed(2)}× | ${mb(ours.peakRss)} |`,
      );
    }
    console.log(
      `export: median ${median(ratios).toFixed(2)}× psql's rows/s (${median(byteRatios).toFixed(2)}× bytes/s), ` +
        `API peak RSS ${mb(Math.max(...peaks))} (targets ≥ 0.5×, < 200 MB)`,
    );

    if (!ERASURE) return;
    // An identical copy for the baseline: the template may have no other connection while it is copied.
    api.kill('SIGTERM');
    await new Promise((resolve) => api!.once('exit', resolve));
    api = null;
    await admin.query(`CREATE DATABASE ${copyName} TEMPLATE ${new URL(database.url).pathname.slice(1)}`);
    api = await startApi(env);

    await settle(copyUrl.toString());
    const copy = new Client({ connectionString: copyUrl.toString() });
    await copy.connect();
    const sqlStarted = performance.now();
    await copy.query('BEGIN');
    await copy.query('DELETE FROM lead_events WHERE workspace_id = $1', [user.workspaceId]);
    await copy.query('DELETE FROM leads WHERE workspace_id = $1', [user.workspaceId]);
    await copy.query('DELETE FROM workspaces WHERE id = $1', [user.workspaceId]);
    await copy.query('DELETE FROM users WHERE id = $1', [userId]);
    await copy.query('COMMIT');
    const sqlSeconds = (performance.now() - sqlStarted) / 1000;
    await copy.end();

    await settle(database.url);
    const apiStarted = performance.now();
    const res = await fetch(`${base}/gdpr/delete`, {
      method: 'POST',
      headers: { ...user.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ confirmation: 'DELETE_MY_DATA' }),
    });
    if (res.status !== 200) throw new Error(`delete answered ${res.status}: ${await res.text()}`);
    const apiSeconds = (performance.now() - apiStarted) / 1000;
    const check = new Client({ connectionString: database.url });
    await check.connect();
    const left = await check.query(
      `SELECT (SELECT count(*) FROM leads WHERE workspace_id = $1)::int + (SELECT count(*) FROM lead_events WHERE workspace_id = $1)::int AS n`,
      [user.workspaceId],
    );
    await check.end();
    if (left.rows[0].n !== 0) throw new Error(`${left.rows[0].n} rows left after the erasure`);
    console.log(
      `erasure: API ${apiSeconds.toFixed(2)} s vs plain DELETEs in one transaction ${sqlSeconds.toFixed(2)} s → ` +
        `${(apiSeconds / sqlSeconds).toFixed(2)}× (target ≤ 2×)`,
    );
  } finally {
    api?.kill('SIGTERM');
    await admin.query(`DROP DATABASE IF EXISTS ${copyName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
