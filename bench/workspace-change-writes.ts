// What the workspace change triggers (migration WorkspaceChangeNotifications) cost writes through the API:
// 20 connections creating leads (POST /api/leads) for BENCH_SECONDS (default 8) per round, rounds alternating
// with the insert triggers of leads and lead_events enabled and disabled (BENCH_ROUNDS pairs, default 3), on a
// throwaway database. The raw side of the same question is pgbench (see bench/README.md).
//   npx ts-node -T -r tsconfig-paths/register bench/workspace-change-writes.ts
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { benchDatabase, benchEnv, benchUser, readyForParent, serveApi, settle, startChild } from './lib/servers';

const TABLES = ['leads', 'lead_events'];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
async function main() {
  const db = await benchDatabase();
  const pg = new Client({ connectionString: db.url });
  let child: ChildProcess | undefined;
  try {
    child = await startChild(__filename, 'api', 4820, benchEnv(db.url));
    const base = `http://127.0.0.1:4820/api`;
    const { auth } = await benchUser(base);
    await pg.connect();
    const set = async (on: boolean) => {
      for (const t of TABLES) {
        await pg.query(`ALTER TABLE ${t} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${t}_changes_insert`);
      }
    };
    for (const on of Array.from({ length: ROUNDS * 2 }, (_, i) => i % 2 === 0)) {
      await set(on);
      await settle(db.url);
      const r = await autocannon({
        url: `${base}/leads`,
        method: 'POST',
        connections: 20,
        duration: SECONDS,
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Probe lead', source: 'web' }),
      });
      if (r.non2xx || r.errors) throw new Error(`${r.non2xx} non-2xx answers, ${r.errors} errors`);
      console.log(`triggers ${on ? 'on ' : 'off'}: ${r.requests.average} leads/s, p99 ${r.latency.p99} ms`);
    }
  } finally {
    // The API and the database go whatever happened (a failed round would leave both behind).
    await pg.end().catch(() => undefined);
    child?.kill('SIGTERM');
    await db.drop();
  }
}

if (process.argv[2] === '--serve') void serveApi().then(readyForParent);
else void main();
