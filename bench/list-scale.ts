// Lists at any size: the same requests on a small workspace and a large one, in one database, one API process,
// one run. For each list (leads: 1 000 vs BENCH_LARGE_LEADS, default 1 000 000; chat conversations and audit
// logs: 1 000 vs 100 000) and each request shape (first page, filtered page, text search, a deep page by
// cursor), autocannon at 50 connections measures every response's latency; the report gives p95 on both
// workspaces and their ratio (target ≤ 2×). Then the leads first page through the API against the bare
// node:http + pg server of leads-list.ts (same statements, byte-identical JSON) on each workspace, in alternating
// rounds: requests/s ratio (target ≥ 0.8×, the large workspace included).
//   npx ts-node -T -r tsconfig-paths/register bench/list-scale.ts      (BENCH_SECONDS per side, default 10)
// Seeding a million leads takes minutes: BENCH_KEEP=1 keeps the database (its URL is printed), and
// BENCH_DATABASE_URL=<that URL> measures it again without seeding; BENCH_ONLY=bare measures the bare-server ratio alone.
import 'reflect-metadata';
import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { CursorCodec, type AppConfig } from '@crescendo/platform';
import {
  benchDatabase,
  benchEnv,
  benchLogin,
  benchUser,
  CONNECTIONS,
  DURATION,
  load,
  postgresSettings,
  readyForParent,
  serveApi,
  settle,
  startChild,
} from './lib/servers';

const LARGE_LEADS = Number(process.env.BENCH_LARGE_LEADS ?? 1_000_000);
const SMALL = 1_000;
const LARGE_OTHER = 100_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Workspace {
  auth: Record<string, string>;
  workspaceId: string;
  userId: string;
}

/** Seeds `count` rows of each list table for one workspace, with the spread of real data (statuses, tags, names). */
async function seed(db: Client, w: Workspace, leads: number, others: number): Promise<void> {
  await db.query(
    `INSERT INTO leads (workspace_id, name, email, company, source, status, tags, score, created_at, updated_at)
     SELECT $1, (ARRAY['Anna','Bruno','Chloé','David','Élodie','Farid','Giulia','Hugo','Inès','Jules'])[1 + i % 10]
                || ' ' || (ARRAY['Martin','Bernard','Dubois','Thomas','Robert','Richard','Petit','Durand'])[1 + (i / 10) % 8]
                || ' ' || i,
            'contact' || i || '@' || (ARRAY['gmail.com','orange.fr','example.org','acme.io'])[1 + i % 4],
            'Company ' || (i % 5000), (ARRAY['import','linkedin','webhook','website'])[1 + i % 4],
            (ARRAY['new','contacted','qualified','converted','lost'])[1 + i % 5],
            ARRAY['t' || (i % 7), 'seg' || (i % 13)], i % 101,
            now() - make_interval(secs => i), now() - make_interval(secs => i % 86400)
       FROM generate_series(1, $2) AS i`,
    [w.workspaceId, leads],
  );
  await db.query(
    `INSERT INTO conversations (workspace_id, user_id, title, folder, last_message_at, created_at, updated_at)
     SELECT $1, $2, 'Conversation ' || i, (ARRAY['Général','Clients','Idées'])[1 + i % 3],
            now() - make_interval(secs => i), now() - make_interval(secs => i), now() - make_interval(secs => i)
       FROM generate_series(1, $3) AS i`,
    [w.workspaceId, w.userId, others],
  );
  await db.query(
    `INSERT INTO audit_logs (workspace_id, user_id, type, level, action, message, created_at)
     SELECT $1, $2, (ARRAY['auth','admin','agent','error'])[1 + i % 4], 'info', 'bench.event', 'Event ' || i,
            now() - make_interval(secs => i)
       FROM generate_series(1, $3) AS i`,
    [w.workspaceId, w.userId, others],
  );
}

/** A p95 from every response's latency (autocannon's summary stops at p90 and p97.5). */
async function p95(url: string, headers: Record<string, string>): Promise<{ p95: number; rps: number }> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      if (status === 200) latencies.push(responseTime);
    });
  });
  if (result.non2xx || result.errors) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  if (!latencies.length) throw new Error(`${url}: no response within ${DURATION} s (raise BENCH_SECONDS)`);
  latencies.sort((a, b) => a - b);
  return { p95: +latencies[Math.floor(latencies.length * 0.95)].toFixed(1), rps: Math.round(result.requests.average) };
}

/** A cursor `depth` rows into the leads list (newest first), signed as the API signs it. */
async function deepLeadsCursor(db: Client, codec: CursorCodec, workspaceId: string, depth: number): Promise<string> {
  const { rows } = await db.query(
    `SELECT json_build_array(created_at, id) AS key FROM leads WHERE workspace_id = $1 AND deleted_at IS NULL
      ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
    [workspaceId, depth - 1],
  );
  return codec.encode(`${workspaceId}:leads:createdAt:desc`, { direction: 'next', values: rows[0].key });
}

/** The database to measure: a kept one (BENCH_DATABASE_URL), or a new one with every migration applied. */
async function database(): Promise<{ url: string; reused: boolean; drop: () => Promise<void> }> {
  const kept = process.env.BENCH_DATABASE_URL;
  if (kept) return { url: kept, reused: true, drop: async () => undefined };
  const created = await benchDatabase();
  if (!process.env.BENCH_KEEP) return { ...created, reused: false };
  console.error(`keeping the database: BENCH_DATABASE_URL=${created.url}`);
  return { url: created.url, reused: false, drop: created.keep };
}

/** Median of a side's rounds. */
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function main() {
  const db0 = await database();
  // A whole run (seeding a million leads, then every measure) outlasts the default 15-minute access token.
  const env: Record<string, string> = { ...benchEnv(db0.url), JWT_ACCESS_TTL_SECONDS: '86400' };
  const children: ChildProcess[] = [];
  const db = new Client({ connectionString: db0.url });
  await db.connect();
  try {
    const api = await startChild(__filename, 'api', 3911, env);
    children.push(api);
    const base = 'http://127.0.0.1:3911/api';
    const workspace = async (leads: number): Promise<Workspace> => {
      if (db0.reused) {
        // The workspace seeded with that many leads by the run that kept the database.
        const { rows } = await db.query(
          `SELECT u.email, w.owner_id FROM workspaces w JOIN users u ON u.id = w.owner_id
            WHERE (SELECT count(*) FROM leads l WHERE l.workspace_id = w.id) = $1 LIMIT 1`,
          [leads],
        );
        if (!rows[0]) throw new Error(`no workspace of ${leads} leads in BENCH_DATABASE_URL`);
        return { ...(await benchLogin(base, rows[0].email)), userId: rows[0].owner_id };
      }
      const user = await benchUser(base);
      const { rows } = await db.query('SELECT owner_id FROM workspaces WHERE id = $1', [user.workspaceId]);
      return { ...user, userId: rows[0].owner_id };
    };
    const small = await workspace(SMALL);
    const large = await workspace(LARGE_LEADS);
    if (!db0.reused) {
      console.error(`seeding ${SMALL} + ${LARGE_LEADS} leads, ${SMALL} + ${LARGE_OTHER} conversations and audit logs…`);
      await seed(db, small, SMALL, SMALL);
      await seed(db, large, LARGE_LEADS, LARGE_OTHER);
    }
    await db.query('VACUUM ANALYZE leads');
    await db.query('VACUUM ANALYZE conversations');
    await db.query('VACUUM ANALYZE audit_logs');

    const codec = new CursorCodec({ env: { JWT_SECRET: env.JWT_SECRET } } as AppConfig);
    // The 5 000th page of 20 on the large workspace; the 40th (of 50) on the small one.
    const deep = {
      small: await deepLeadsCursor(db, codec, small.workspaceId, 40 * 20),
      large: await deepLeadsCursor(db, codec, large.workspaceId, Math.min(5_000 * 20, LARGE_LEADS - 20)),
    };
    const shapes: { name: string; path: (w: 'small' | 'large') => string }[] = [
      { name: 'leads, first page', path: () => '/leads?limit=20' },
      { name: 'leads, status + tag', path: () => '/leads?limit=20&status=qualified&tag=t3' },
      { name: 'leads, text search', path: () => '/leads?limit=20&q=Chlo%C3%A9%20Dubois%2012' },
      { name: 'leads, deep page by cursor', path: (w) => `/leads?limit=20&cursor=${deep[w]}` },
      { name: 'chat conversations, first page', path: () => '/chat/conversations?limit=20' },
      { name: 'audit logs, first page', path: () => '/logs?limit=20' },
    ];
    console.log(`PostgreSQL: ${await postgresSettings(db0.url)}`);
    console.log(`| request | small p95 (req/s) | large p95 (req/s) | large / small p95 |`);
    console.log(`|---|---|---|---|`);
    // BENCH_ONLY=bare: the bare-server comparison alone (on a kept database, a few minutes).
    for (const shape of process.env.BENCH_ONLY === 'bare' ? [] : shapes) {
      const figures: Record<string, { p95: number; rps: number }> = {};
      for (const side of ['small', 'large'] as const) {
        const url = `${base}${shape.path(side)}`;
        const headers = side === 'small' ? small.auth : large.auth;
        await p95(url, headers); // warm-up round, not counted
        await settle(db0.url);
        figures[side] = await p95(url, headers);
      }
      const ratio = (figures.large.p95 / figures.small.p95).toFixed(2);
      console.log(
        `| ${shape.name} | ${figures.small.p95} ms (${figures.small.rps}) | ${figures.large.p95} ms (${figures.large.rps}) | ${ratio}× |`,
      );
    }

    // The API against the bare server on each workspace: the same first page, byte-identical JSON.
    console.log(
      `\n| leads first page, API vs bare server (${ROUNDS} alternating rounds) | API req/s | bare req/s | ratio | API p99 | bare p99 | CPU µs/request, API vs bare |`,
    );
    console.log(`|---|---|---|---|---|---|---|`);
    let port = 3912;
    for (const [name, w] of [
      [`${SMALL} leads`, small],
      [`${LARGE_LEADS} leads`, large],
    ] as const) {
      const bare = await startChild(require.resolve('./leads-list'), 'bare', port, {
        ...env,
        BENCH_WORKSPACE_ID: w.workspaceId,
      });
      children.push(bare);
      const bareUrl = `http://127.0.0.1:${port++}/`;
      const apiUrl = `${base}/leads?limit=20`;
      const [apiBody, bareBody] = await Promise.all([
        fetch(apiUrl, { headers: w.auth }).then((r) => r.text()),
        fetch(bareUrl).then((r) => r.text()),
      ]);
      if (apiBody !== bareBody) throw new Error(`the bare server does not answer the API's JSON on ${name}`);
      await load(apiUrl, w.auth);
      await load(bareUrl, {});
      await settle(db0.url);
      type Run = { rps: number; p99: number; cpuUsPerRequest?: number };
      const runs = { api: [] as Run[], bare: [] as Run[] };
      for (let round = 0; round < ROUNDS; round++) {
        runs.api.push(await load(apiUrl, w.auth, api.pid));
        runs.bare.push(await load(bareUrl, {}, bare.pid));
      }
      const [apiRps, bareRps] = [median(runs.api.map((r) => r.rps)), median(runs.bare.map((r) => r.rps))];
      const [apiP99, bareP99] = [median(runs.api.map((r) => r.p99)), median(runs.bare.map((r) => r.p99))];
      // The main thread's time on a CPU per request (Linux; see load()): less sensitive to the machine's load than req/s.
      const [apiCpu, bareCpu] = [runs.api, runs.bare].map((side) => median(side.map((r) => r.cpuUsPerRequest ?? NaN)));
      console.log(
        `| ${name} | ${Math.round(apiRps)} | ${Math.round(bareRps)} | ${(apiRps / bareRps).toFixed(2)}× | ${apiP99} ms | ${bareP99} ms | ${apiCpu} vs ${bareCpu} |`,
      );
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await db.end();
    await db0.drop();
  }
}

if (process.argv[2] === '--serve') {
  serveApi()
    .then(readyForParent)
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
