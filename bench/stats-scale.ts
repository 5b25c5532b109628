// Stats at scale: every stats route on a workspace of BENCH_LEADS leads (default 1 000 000), 5 timeline entries
// per lead, 200 campaigns (every 5th lead enrolled), BENCH_EARNINGS earnings (default 100 000) of 5 000
// subscribers, spread over two years, time zone Europe/Paris. For each route, the same figures are computed by
// plain GROUP BY queries over the raw tables in the same run: the script checks both answers are equal, then
// alternates one request and one raw computation (the same queries, run as the route runs them, in parallel
// on a pool) BENCH_RUNS times (default 30, after BENCH_WARMUP uncounted rounds, default 10) and reports p95 of each and their ratio (target: route ≥ 20×), and the
// route's first request (the held figures read from the rollups; later requests reuse them until the next refresh).
// A third side alternates with them: a bare node:http server that makes one trivial Postgres round trip and sends
// the route's own bytes. Its p95 is this machine's floor for any answer checked against Postgres, and raw / floor
// the best ratio such an answer can reach here.
// BENCH_ROUTES=/analytics/revenue,/stats/leads measures those routes only.
// The database (crescendo_bench_stats) is kept between runs and reseeded only when its size differs; the
// rollups are rebuilt at each start (timed).
//   npx ts-node -T -r tsconfig-paths/register bench/stats-scale.ts
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../libs/platform/src/database/data-source-options';
import { ADMIN_URL, benchEnv, getJson, postgresSettings, readyForParent, serveApi, startChild } from './lib/servers';

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const EVENTS_PER_LEAD = 5;
const CAMPAIGNS = 200;
const EARNINGS = Number(process.env.BENCH_EARNINGS ?? 100_000);
const SUBSCRIBERS = 5_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const TZ = 'Europe/Paris';
const DB_NAME = process.env.BENCH_STATS_DB ?? 'crescendo_bench_stats';
const EMAIL = 'bench-stats@crescendo.test';
const PASSWORD = 'bench password';
const PERIOD = process.env.BENCH_PERIOD ?? '1y';

/** The kept database, with every migration applied (new ones too). */
async function database(): Promise<string> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
  if (!rowCount) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  const ds = new DataSource(dataSourceOptions(url.toString()));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  return url.toString();
}

async function login(base: string): Promise<{ authorization: string }> {
  const json = { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' };
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) });
  let res = await post('/auth/login', { email: EMAIL, password: PASSWORD });
  if (res.status !== 200) {
    await post('/auth/register', { email: EMAIL, name: 'Bench stats', password: PASSWORD });
    res = await post('/auth/login', { email: EMAIL, password: PASSWORD });
  }
  return { authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}` };
}

/** Leads, timeline, campaigns and enrollments, subscribers and earnings, with COPY-speed INSERT … SELECT. */
async function seed(db: Client, ws: string): Promise<void> {
  const started = Date.now();
  for (const table of ['earnings', 'subscribers', 'campaign_leads', 'campaigns', 'lead_events', 'leads', 'niches']) {
    await db.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [ws]);
  }
  await db.query(`INSERT INTO niches (workspace_id, name) SELECT $1, 'Niche ' || i FROM generate_series(1, 10) AS i`, [
    ws,
  ]);
  // Two years back from now, about the same number of leads every day; a fifth without niche.
  await db.query(
    `INSERT INTO leads (workspace_id, name, email, source, status, niche_id, created_at, updated_at)
     SELECT $1, 'Lead ' || i, 'lead' || i || '@example.org',
            (ARRAY['import','linkedin','webhook','website', NULL])[1 + i % 5],
            (ARRAY['new','contacted','qualified','converted','lost'])[1 + (i / 7) % 5],
            CASE WHEN i % 5 = 0 THEN NULL ELSE n.ids[1 + i % 10] END,
            now() - make_interval(secs => (i::bigint * 63072000 / $2)::double precision), now()
       FROM generate_series(1, $2) AS i,
            (SELECT array_agg(id ORDER BY name) AS ids FROM niches WHERE workspace_id = $1) n`,
    [ws, LEADS],
  );
  await db.query(`UPDATE leads SET deleted_at = now() WHERE workspace_id = $1 AND name LIKE 'Lead %7'`, [ws]);
  await db.query(
    `INSERT INTO lead_events (lead_id, workspace_id, type, created_at)
     SELECT l.id, $1, (ARRAY['created','updated','status_changed','enrolled','agent_action'])[k],
            least(now(), l.created_at + make_interval(hours => k * 7))
       FROM leads l, generate_series(1, $2) AS k WHERE l.workspace_id = $1`,
    [ws, EVENTS_PER_LEAD],
  );
  await db.query(
    `INSERT INTO campaigns (workspace_id, name, type, status, currency)
     SELECT $1, 'Campaign ' || i, (ARRAY['email','social','ads'])[1 + i % 3],
            (ARRAY['active','paused','completed','draft'])[1 + i % 4], 'EUR'
       FROM generate_series(1, $2) AS i`,
    [ws, CAMPAIGNS],
  );
  await db.query(
    `INSERT INTO campaign_leads (campaign_id, lead_id, workspace_id, stage, enrolled_at, revenue)
     SELECT c.ids[1 + (l.n / 5) % $2], l.id, $1,
            (ARRAY['enrolled','contacted','replied','converted'])[1 + l.n % 4],
            least(now(), l.created_at + interval '1 day'),
            CASE WHEN l.n % 4 = 3 THEN 1000 + l.n % 9000 ELSE 0 END
       FROM (SELECT id, created_at, row_number() OVER (ORDER BY created_at, id) AS n
               FROM leads WHERE workspace_id = $1) l,
            (SELECT array_agg(id ORDER BY name) AS ids FROM campaigns WHERE workspace_id = $1) c
      WHERE l.n % 5 = 0`,
    [ws, CAMPAIGNS],
  );
  await db.query(
    `INSERT INTO subscribers (workspace_id, platform, handle, currency, subscribed_since, status, lead_id)
     SELECT $1, (ARRAY['onlyfans','fansly','patreon','fanvue','mym'])[1 + i % 5], 'fan' || i, 'EUR',
            now() - make_interval(days => i % 730), (ARRAY['active','expired'])[1 + i % 2], NULL
       FROM generate_series(1, $2) AS i`,
    [ws, SUBSCRIBERS],
  );
  await db.query(
    `INSERT INTO earnings (workspace_id, subscriber_id, type, amount, currency, occurred_at)
     SELECT $1, s.ids[1 + i % array_length(s.ids, 1)],
            (ARRAY['subscription','tip','message','pay_per_view','refund'])[1 + i % 5],
            CASE WHEN i % 5 = 4 THEN -(100 + i % 900) ELSE 500 + i % 4500 END,
            CASE WHEN i % 50 = 0 THEN 'USD' ELSE 'EUR' END,
            now() - make_interval(secs => (i::bigint * 63072000 / $2)::double precision)
       FROM generate_series(1, $2) AS i,
            (SELECT array_agg(id ORDER BY handle) AS ids FROM subscribers WHERE workspace_id = $1) s`,
    [ws, EARNINGS],
  );
  for (const table of ['leads', 'lead_events', 'campaign_leads', 'earnings', 'subscribers', 'campaigns']) {
    await db.query(`VACUUM ANALYZE ${table}`);
  }
  console.error(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** The period the route resolves (its answer says which days), as timestamptz bounds for the raw side. */
interface Span {
  from: string;
  to: string;
  previousFrom: string;
  previousTo: string;
}

type Raw = (pool: Pool, ws: string, span: Span) => Promise<unknown>;
interface Case {
  path: string;
  /** The route's figures that the raw queries compute too. */
  pick: (body: any) => unknown;
  raw: Raw;
}

const within = (column: string, from: number, to: number) =>
  `${column} >= ($${from}::date::timestamp AT TIME ZONE '${TZ}') AND ${column} < (($${to}::date + 1)::timestamp AT TIME ZONE '${TZ}')`;
const day = (column: string) => `to_char(${column} AT TIME ZONE '${TZ}', 'YYYY-MM-DD')`;
const rows = async (pool: Pool, sql: string, params: unknown[]) => (await pool.query(sql, params)).rows;
const both = <T>(span: Span, run: (from: string, to: string) => Promise<T>) =>
  Promise.all([run(span.from, span.to), run(span.previousFrom, span.previousTo)]);

/** Leads created in a window by status (live leads). */
const leadsByStatus = (pool: Pool, ws: string, from: string, to: string) =>
  rows(
    pool,
    `SELECT status, count(*)::int AS n FROM leads WHERE workspace_id = $1 AND deleted_at IS NULL
        AND ${within('created_at', 2, 3)} GROUP BY status`,
    [ws, from, to],
  );
const total = (r: { n: number }[]) => r.reduce((s, x) => s + x.n, 0);
const converted = (r: { status: string; n: number }[]) => r.find((x) => x.status === 'converted')?.n ?? 0;
const enrollments = (pool: Pool, ws: string, from: string, to: string) =>
  rows(
    pool,
    `SELECT c.id, count(cl.id)::int AS enrolled,
            count(*) FILTER (WHERE cl.stage IN ('replied','converted'))::int AS replied,
            count(*) FILTER (WHERE cl.stage = 'converted')::int AS converted,
            coalesce(sum(cl.revenue), 0)::bigint::int AS revenue
       FROM campaigns c LEFT JOIN campaign_leads cl ON cl.campaign_id = c.id AND ${within('cl.enrolled_at', 2, 3)}
        AND EXISTS (SELECT 1 FROM leads l WHERE l.id = cl.lead_id AND l.deleted_at IS NULL)
      WHERE c.workspace_id = $1 GROUP BY c.id ORDER BY c.id`,
    [ws, from, to],
  );
const revenue = (pool: Pool, ws: string, from: string, to: string) =>
  rows(
    pool,
    `SELECT ${day('e.occurred_at')} AS day, coalesce(s.platform, 'unknown') AS platform, sum(e.amount)::int AS amount
       FROM earnings e LEFT JOIN subscribers s ON s.id = e.subscriber_id
      WHERE e.workspace_id = $1 AND e.currency = 'EUR' AND ${within('e.occurred_at', 2, 3)} GROUP BY 1, 2`,
    [ws, from, to],
  );
const sumBy = <T>(list: T[], key: (r: T) => string, value: (r: T) => number) => {
  const out: Record<string, number> = {};
  for (const r of list) out[key(r)] = (out[key(r)] ?? 0) + value(r);
  return Object.fromEntries(Object.entries(out).sort());
};
const byDay = (list: { date: string; count?: number; revenue?: number; leads?: number }[], field: string) =>
  Object.fromEntries(list.filter((d: any) => d[field]).map((d: any) => [d.date, d[field]]));
const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort());
const sortedCampaigns = (list: any[]) =>
  list
    .map((c) => ({ id: c.id, enrolled: c.enrolled, converted: c.converted, revenue: c.revenue }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));

/** The key figures of /stats/overview (and of /analytics/overview's data). */
const overviewFigures = (b: any) => ({
  total: b.leads.total,
  new: [b.leads.new.current, b.leads.new.previous],
  converted: [b.leads.converted.current, b.leads.converted.previous],
  enrollments: [b.campaigns.enrollments.current, b.campaigns.enrollments.previous],
  revenue: [b.revenue.current, b.revenue.previous],
});
/** The same figures from the raw tables, with the period's revenue rows (by day and source) they were summed from. */
async function rawOverview(pool: Pool, ws: string, span: Span) {
  const [all, [cur, prev], [ecur, eprev], [rcur, rprev]] = await Promise.all([
    rows(pool, 'SELECT count(*)::int AS n FROM leads WHERE workspace_id = $1 AND deleted_at IS NULL', [ws]),
    both(span, (f, t) => leadsByStatus(pool, ws, f, t)),
    both(span, (f, t) => enrollments(pool, ws, f, t)),
    both(span, (f, t) => revenue(pool, ws, f, t)),
  ]);
  const enrolled = (r: any[]) => r.reduce((s, x) => s + x.enrolled, 0);
  const amount = (r: any[]) => r.reduce((s, x) => s + x.amount, 0);
  return {
    figures: {
      total: all[0].n,
      new: [total(cur), total(prev)],
      converted: [converted(cur), converted(prev)],
      enrollments: [enrolled(ecur), enrolled(eprev)],
      revenue: [amount(rcur), amount(rprev)],
    },
    revenueRows: rcur,
  };
}

const cases: Case[] = [
  {
    path: '/stats/leads',
    pick: (b) => ({
      total: [b.total.current, b.total.previous],
      byStatus: sortKeys(Object.fromEntries(b.byStatus.map((r: any) => [r.key, r.current]))),
      bySource: sumBy(
        b.bySource,
        (r: any) => String(r.key),
        (r: any) => r.current,
      ),
      byDay: byDay(b.byDay, 'count'),
    }),
    raw: async (pool, ws, span) => {
      const [cur, prev] = await both(span, (from, to) =>
        rows(
          pool,
          `SELECT ${day('created_at')} AS day, status, source, niche_id, count(*)::int AS n FROM leads
            WHERE workspace_id = $1 AND deleted_at IS NULL AND ${within('created_at', 2, 3)} GROUP BY 1, 2, 3, 4`,
          [ws, from, to],
        ),
      );
      const statuses = {
        new: 0,
        contacted: 0,
        qualified: 0,
        converted: 0,
        lost: 0,
        ...sumBy(
          cur,
          (r) => r.status,
          (r) => r.n,
        ),
      };
      return {
        total: [total(cur), total(prev)],
        byStatus: sortKeys(statuses),
        bySource: sumBy(
          cur,
          (r) => String(r.source),
          (r) => r.n,
        ),
        byDay: sumBy(
          cur,
          (r) => r.day,
          (r) => r.n,
        ),
      };
    },
  },
  {
    path: '/stats/overview',
    pick: overviewFigures,
    raw: async (pool, ws, span) => (await rawOverview(pool, ws, span)).figures,
  },
  {
    path: '/stats/campaigns',
    pick: (b) => sortedCampaigns(b.campaigns),
    raw: async (pool, ws, span) => {
      const [cur] = await both(span, (f, t) => enrollments(pool, ws, f, t));
      return sortedCampaigns(cur);
    },
  },
  {
    path: '/stats/niches',
    pick: (b) =>
      b.niches
        .map((n: any) => [n.id, n.leads, n.previousLeads, n.converted])
        .filter((n: number[]) => n[1] || n[2])
        .sort(),
    raw: async (pool, ws, span) => {
      const [cur, prev] = await both(span, (from, to) =>
        rows(
          pool,
          `SELECT niche_id AS id, count(*)::int AS n, count(*) FILTER (WHERE status = 'converted')::int AS c
             FROM leads WHERE workspace_id = $1 AND deleted_at IS NULL AND ${within('created_at', 2, 3)} GROUP BY 1`,
          [ws, from, to],
        ),
      );
      return cur.map((r) => [r.id, r.n, prev.find((p) => p.id === r.id)?.n ?? 0, r.c]).sort();
    },
  },
  {
    path: '/stats/conversion',
    pick: (b) => ({
      leads: b.leadFunnel.map((s: any) => s.count),
      campaigns: b.campaignFunnel.map((s: any) => s.count),
    }),
    raw: async (pool, ws, span) => {
      const [[cur], [ecur]] = await Promise.all([
        both(span, (f, t) => leadsByStatus(pool, ws, f, t)),
        both(span, (f, t) =>
          rows(
            pool,
            `SELECT count(*)::int AS e, count(*) FILTER (WHERE stage <> 'enrolled')::int AS c,
                    count(*) FILTER (WHERE stage IN ('replied','converted'))::int AS r,
                    count(*) FILTER (WHERE stage = 'converted')::int AS v
               FROM campaign_leads cl WHERE workspace_id = $1 AND ${within('enrolled_at', 2, 3)}
                AND EXISTS (SELECT 1 FROM leads l WHERE l.id = cl.lead_id AND l.deleted_at IS NULL)`,
            [ws, f, t],
          ),
        ),
      ]);
      const n = (s: string) => cur.find((x) => x.status === s)?.n ?? 0;
      return {
        leads: [
          total(cur) - 0,
          n('contacted') + n('qualified') + n('converted'),
          n('qualified') + n('converted'),
          n('converted'),
        ],
        campaigns: [ecur[0].e, ecur[0].c, ecur[0].r, ecur[0].v],
      };
    },
  },
  {
    path: '/analytics/revenue',
    pick: (b) => ({
      total: b.totalRevenue,
      byDay: byDay(b.revenueByDay, 'revenue'),
      bySource: sortKeys(b.revenueBySource),
      byType: sortKeys(b.revenueByType),
      otherCurrencies: b.otherCurrencies.map((c: any) => [c.currency, c.amount]),
      previous: b.previousTotalRevenue,
    }),
    // The period's earnings by day, source, type and currency (every figure of the answer is a sum of these rows),
    // and beside it the previous period's total.
    raw: async (pool, ws, span) => {
      const [cur, [prev]] = await Promise.all([
        rows(
          pool,
          `SELECT ${day('e.occurred_at')} AS day, coalesce(s.platform, 'unknown') AS platform, e.type, e.currency,
                  sum(e.amount)::int AS amount
             FROM earnings e LEFT JOIN subscribers s ON s.id = e.subscriber_id
            WHERE e.workspace_id = $1 AND ${within('e.occurred_at', 2, 3)} GROUP BY 1, 2, 3, 4`,
          [ws, span.from, span.to],
        ),
        rows(
          pool,
          `SELECT coalesce(sum(amount), 0)::int AS amount FROM earnings e
            WHERE workspace_id = $1 AND currency = 'EUR' AND ${within('e.occurred_at', 2, 3)}`,
          [ws, span.previousFrom, span.previousTo],
        ),
      ]);
      const eur = cur.filter((r) => r.currency === 'EUR');
      const amount = (r: any) => r.amount as number;
      return {
        total: eur.reduce((s, r) => s + r.amount, 0),
        byDay: Object.fromEntries(Object.entries(sumBy(eur, (r) => r.day, amount)).filter(([, v]) => v)),
        bySource: sumBy(eur, (r) => r.platform, amount),
        byType: sumBy(eur, (r) => r.type, amount),
        otherCurrencies: Object.entries(
          sumBy(
            cur.filter((r) => r.currency !== 'EUR'),
            (r) => r.currency,
            amount,
          ),
        ),
        previous: prev.amount,
      };
    },
  },
  {
    path: '/analytics/engagement',
    pick: (b) => ({
      activity: [b.leadActivity.current, b.leadActivity.previous],
      byType: sortKeys(b.leadActivityByType),
    }),
    raw: async (pool, ws, span) => {
      const [cur, prev] = await both(span, (from, to) =>
        rows(
          pool,
          `SELECT e.type, count(*)::int AS n FROM lead_events e WHERE e.workspace_id = $1 AND ${within('e.created_at', 2, 3)}
              AND EXISTS (SELECT 1 FROM leads l WHERE l.id = e.lead_id AND l.deleted_at IS NULL) GROUP BY 1`,
          [ws, from, to],
        ),
      );
      return {
        activity: [total(cur), total(prev)],
        byType: sumBy(
          cur,
          (r) => r.type,
          (r) => r.n,
        ),
      };
    },
  },
  {
    path: '/analytics/overview',
    // The overview's key figures (as /stats/overview) and leads and revenue per day.
    pick: (b) => ({
      ...overviewFigures(b.data),
      leadsByDay: byDay(b.data.byDay, 'leads'),
      revenueByDay: byDay(b.data.byDay, 'revenue'),
    }),
    raw: async (pool, ws, span) => {
      const [overview, leads] = await Promise.all([
        rawOverview(pool, ws, span),
        rows(
          pool,
          `SELECT ${day('created_at')} AS day, count(*)::int AS n FROM leads
            WHERE workspace_id = $1 AND deleted_at IS NULL AND ${within('created_at', 2, 3)} GROUP BY 1`,
          [ws, span.from, span.to],
        ),
      ]);
      return {
        ...overview.figures,
        leadsByDay: sumBy(
          leads,
          (r) => r.day,
          (r) => r.n,
        ),
        revenueByDay: Object.fromEntries(
          Object.entries(
            sumBy(
              overview.revenueRows,
              (r) => r.day,
              (r) => r.amount,
            ),
          ).filter(([, v]) => v),
        ),
      };
    },
  },
  {
    path: '/analytics/performance',
    pick: (b) => ({
      lead: [b.leadConversionRate.current, b.leadConversionRate.previous],
      top: b.topCampaigns.map((c: any) => c.id),
    }),
    raw: async (pool, ws, span) => {
      const [[cur, prev], [ecur]] = await Promise.all([
        both(span, (f, t) => leadsByStatus(pool, ws, f, t)),
        both(span, (f, t) => enrollments(pool, ws, f, t)),
      ]);
      const rate = (r: any[]) => Math.round((converted(r) / total(r)) * 10_000) / 10_000;
      const names = new Map(
        (await rows(pool, 'SELECT id, name FROM campaigns WHERE workspace_id = $1', [ws])).map((c) => [c.id, c.name]),
      );
      const top = ecur
        .filter((c) => c.enrolled > 0)
        .sort(
          (a, b) =>
            b.converted - a.converted || b.enrolled - a.enrolled || names.get(a.id).localeCompare(names.get(b.id)),
        )
        .slice(0, 5)
        .map((c) => c.id);
      return { lead: [rate(cur), rate(prev)], top };
    },
  },
];

/**
 * The floor side: one Postgres round trip (a prepared `SELECT 1`, on one connection as the route's check uses), then
 * the bytes last PUT to it (the route's answer), as JSON.
 */
function serveFloor(): void {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  let body = Buffer.from('{}');
  createServer((req, res) => {
    if (req.method === 'PUT') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        body = Buffer.concat(chunks);
        res.writeHead(204).end();
      });
      return;
    }
    pool.query({ name: 'floor', text: 'SELECT 1 AS one' }).then(
      () => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  }).listen(Number(process.env.PORT), '127.0.0.1', readyForParent);
}

const p95 = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
};

async function main() {
  const url = await database();
  const env = benchEnv(url);
  const children: ChildProcess[] = [];
  const db = new Client({ connectionString: url });
  await db.connect();
  const pool = new Pool({ connectionString: url, max: 10 });
  try {
    const api = await startChild(__filename, 'api', 3921, env);
    children.push(api);
    children.push(await startChild(__filename, 'floor', 3922, env));
    const floorUrl = 'http://127.0.0.1:3922/';
    const base = 'http://127.0.0.1:3921/api';
    const auth = await login(base);
    let tokenAt = Date.now();
    const me = (await (await fetch(`${base}/auth/me`, { headers: auth })).json()) as { workspace: { id: string } };
    const ws = me.workspace.id;
    await fetch(`${base}/settings/general`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ timezone: TZ, currency: 'EUR' }),
    });
    const counts = (
      await db.query(
        `SELECT (SELECT count(*) FROM leads WHERE workspace_id = $1)::int AS leads,
                (SELECT count(*) FROM earnings WHERE workspace_id = $1)::int AS earnings`,
        [ws],
      )
    ).rows[0];
    if (counts.leads !== LEADS || counts.earnings !== EARNINGS) {
      console.error(`seeding ${LEADS} leads, ${LEADS * EVENTS_PER_LEAD} timeline entries, ${EARNINGS} earnings…`);
      await seed(db, ws);
    } else console.error('reusing the seeded database');
    const sizes = (
      await db.query(
        `SELECT (SELECT count(*) FROM leads WHERE workspace_id = $1) AS leads,
                (SELECT count(*) FROM lead_events WHERE workspace_id = $1) AS events,
                (SELECT count(*) FROM campaigns WHERE workspace_id = $1) AS campaigns,
                (SELECT count(*) FROM campaign_leads WHERE workspace_id = $1) AS enrollments,
                (SELECT count(*) FROM earnings WHERE workspace_id = $1) AS earnings`,
        [ws],
      )
    ).rows[0];
    const rebuildStart = Date.now();
    const rebuilt = await fetch(`${base}/analytics/rollups/rebuild`, { method: 'POST', headers: auth });
    if (rebuilt.status !== 200) throw new Error(`rebuild: ${rebuilt.status} ${await rebuilt.text()}`);
    const rebuildSeconds = ((Date.now() - rebuildStart) / 1000).toFixed(1);
    // Statistics on the fresh rollup rows, as autovacuum would gather them on a live system.
    for (const table of [
      'analytics_lead_days',
      'analytics_event_days',
      'analytics_earning_days',
      'analytics_campaign_days',
    ]) {
      await db.query(`ANALYZE ${table}`);
    }

    console.log(`PostgreSQL: ${await postgresSettings(url)}`);
    console.log(
      `data: ${sizes.leads} leads, ${sizes.events} timeline entries, ${sizes.campaigns} campaigns, ` +
        `${sizes.enrollments} enrollments, ${sizes.earnings} earnings; rollup rebuild ${rebuildSeconds} s; ` +
        `period=${PERIOD}, ${RUNS} alternating samples per side`,
    );
    console.log(
      '| route | first request | route p95 | raw GROUP BY p95 | raw / route | equal | floor p95 | raw / floor |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    let failed = false;
    const only = process.env.BENCH_ROUTES?.split(',');
    for (const c of cases.filter((k) => !only || only.includes(k.path))) {
      // A fresh access token every 10 minutes (they last 15; logging in at every route would hit the login throttle).
      if (Date.now() - tokenAt > 600_000) {
        Object.assign(auth, await login(base));
        tokenAt = Date.now();
      }
      const get = async () => {
        const res = await getJson(`${base}${c.path}?period=${PERIOD}`, auth);
        if (res.status !== 200) throw new Error(`${c.path}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body;
      };
      // The first request after the rebuild reads the rollups; later ones reuse the held figures (same rollup
      // version) and read only today live.
      const coldStart = performance.now();
      const first = await get();
      const cold = performance.now() - coldStart;
      const period = first.period ?? first.data?.period;
      const span: Span = {
        from: period.from,
        to: period.to,
        previousFrom: period.previousFrom,
        previousTo: period.previousTo,
      };
      const expected = JSON.stringify(await c.raw(pool, ws, span));
      const actual = JSON.stringify(c.pick(first));
      const equal = expected === actual;
      if (!equal) {
        failed = true;
        console.error(`${c.path} differs:\n route ${actual.slice(0, 600)}\n raw   ${expected.slice(0, 600)}`);
      }
      // The floor answers the route's bytes, as they are sent.
      await fetch(floorUrl, {
        method: 'PUT',
        body: await (await fetch(`${base}${c.path}?period=${PERIOD}`, { headers: auth })).text(),
      });
      const getFloor = async () => {
        const res = await getJson(floorUrl, {});
        if (res.status !== 200) throw new Error(`floor: ${res.status} ${JSON.stringify(res.body)}`);
      };
      // Warm-up, every side alike and not counted: the route's code and prepared statements, the raw side's
      // plans and pages (the route's first request is reported on its own, above).
      for (let i = 0; i < WARMUP; i++) {
        await get();
        await getFloor();
        await c.raw(pool, ws, span);
      }
      const route: number[] = [];
      const floor: number[] = [];
      const raw: number[] = [];
      const timed = async (samples: number[], work: () => Promise<unknown>) => {
        const t = performance.now();
        await work();
        samples.push(performance.now() - t);
      };
      for (let i = 0; i < RUNS; i++) {
        await timed(route, get);
        await timed(raw, () => c.raw(pool, ws, span));
        await timed(floor, getFloor);
        await timed(raw, () => c.raw(pool, ws, span));
      }
      const [r, b, f] = [p95(route), p95(raw), p95(floor)];
      // BENCH_SAMPLES=1: every sample of the route and the floor, to see the shape behind the p95.
      if (process.env.BENCH_SAMPLES)
        console.error(
          JSON.stringify({ route: route.map((x) => +x.toFixed(2)), floor: floor.map((x) => +x.toFixed(2)) }),
        );
      console.log(
        `| ${c.path} | ${cold.toFixed(1)} ms | ${r.toFixed(1)} ms | ${b.toFixed(1)} ms | ${(b / r).toFixed(1)}× | ` +
          `${equal ? 'yes' : 'NO'} | ${f.toFixed(1)} ms | ${(b / f).toFixed(1)}× |`,
      );
    }
    if (failed) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await pool.end();
    await db.end();
  }
}

if (process.argv[2] === '--serve' && process.argv[3] === 'floor') {
  serveFloor();
} else if (process.argv[2] === '--serve') {
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
