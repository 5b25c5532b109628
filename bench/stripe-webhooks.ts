// Stripe webhooks: BENCH_EVENTS (default 2 000) signed deliveries, 30 % of them duplicates of another delivery
// (shuffled, so some arrive at the same moment), sent by 20 concurrent senders to the real API and to a bare
// `node:http` server in the same run. The bare server does the least a correct receiver can: the same
// `stripe.webhooks.constructEvent` on the raw body, then `INSERT … ON CONFLICT DO NOTHING` of the event row.
// Target: the API acknowledges ≥ 0.5× the bare server's deliveries per second, and every distinct event has
// exactly one effect (event rows, credit-ledger lines and balance, invoices are counted after each round; the
// bench fails otherwise). The events belong to BENCH_WORKSPACES workspaces (default 50) in turn.
// BENCH_ROUNDS alternating rounds per side (default 3), medians kept.
//   node -r tsconfig-paths/register -r ./bench/swc-register.js bench/stripe-webhooks.ts
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createServer, Agent, request } from 'node:http';
import { Client, Pool } from 'pg';
import Stripe from 'stripe';
import {
  benchDatabase,
  benchEnv,
  benchUser,
  machineBusy,
  readyForParent,
  schedStat,
  serveApi,
  settle,
  startChild,
} from './lib/servers';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000);
const DUPLICATES = 0.3;
const SENDERS = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Stripe sends the events of every customer to one endpoint; BENCH_WORKSPACES=1 puts them all on one balance row. */
const WORKSPACES = Number(process.env.BENCH_WORKSPACES ?? 50);
const WEBHOOK_SECRET = 'whsec_bench_0123456789abcdef';
const PACK_CREDITS = 100; // messages-100 in the default catalogue
const TARGET = 0.5;

/** Only signs and verifies: no call leaves through it. */
const stripe = new Stripe('sk_test_bench_signer');

interface Delivery {
  eventId: string;
  payload: string;
}

/**
 * The round's deliveries: distinct events (every other one a message-pack purchase, which adds credits, the
 * rest a paid invoice, which lists it), then duplicates of random ones, all shuffled.
 */
function deliveries(tag: string, workspaceIds: string[]): { list: Delivery[]; packs: number; invoices: number } {
  const distinct = Math.round(EVENTS * (1 - DUPLICATES));
  const created = Math.floor(Date.now() / 1000);
  const events: Delivery[] = [];
  for (let i = 0; i < distinct; i++) {
    // Pairs of events (a purchase and an invoice) per workspace in turn.
    const workspaceId = workspaceIds[Math.floor(i / 2) % workspaceIds.length];
    const object =
      i % 2 === 0
        ? {
            id: `cs_${tag}_${i}`,
            object: 'checkout.session',
            mode: 'payment',
            status: 'complete',
            payment_status: 'paid',
            customer: null,
            payment_intent: `pi_${tag}_${i}`,
            amount_total: 500,
            currency: 'usd',
            metadata: { workspaceId, kind: 'message_pack', packId: 'messages-100', credits: String(PACK_CREDITS) },
          }
        : {
            id: `in_${tag}_${i}`,
            object: 'invoice',
            customer: null,
            number: `BENCH-${tag}-${i}`,
            status: 'paid',
            amount_due: 3900,
            amount_paid: 3900,
            currency: 'usd',
            created,
            hosted_invoice_url: `https://invoice.stripe.com/i/in_${tag}_${i}`,
            invoice_pdf: null,
            metadata: { workspaceId },
            parent: null,
          };
    const event = {
      id: `evt_${tag}_${i}`,
      object: 'event',
      api_version: Stripe.API_VERSION,
      created,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: i % 2 === 0 ? 'checkout.session.completed' : 'invoice.paid',
      data: { object },
    };
    events.push({ eventId: event.id, payload: JSON.stringify(event) });
  }
  const list = [...events];
  while (list.length < EVENTS) list.push(events[randomInt(events.length)]);
  for (let i = list.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [list[i], list[j]] = [list[j], list[i]];
  }
  return { list, packs: Math.ceil(distinct / 2), invoices: Math.floor(distinct / 2) };
}

/** Sends every delivery (signed as Stripe signs it, at send time) through SENDERS concurrent keep-alive senders. */
async function deliver(port: number, path: string, list: Delivery[]): Promise<{ perSecond: number; seconds: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: SENDERS });
  const post = (d: Delivery) =>
    new Promise<void>((resolve, reject) => {
      const signature = stripe.webhooks.generateTestHeaderString({ payload: d.payload, secret: WEBHOOK_SECRET });
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(d.payload),
            'stripe-signature': signature,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 200 && body === '{"received":true}') resolve();
            else reject(new Error(`${path} ${d.eventId}: ${res.statusCode} ${body.slice(0, 200)}`));
          });
        },
      );
      req.on('error', reject);
      req.end(d.payload);
    });
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < list.length) await post(list[next++]);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { perSecond: list.length / seconds, seconds };
}

async function count(db: Client, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query(sql, params);
  return Number(rows[0].n);
}

/** Fails the bench unless each distinct event of the round had exactly one effect. */
async function checkEffects(
  db: Client,
  side: 'api' | 'bare',
  tag: string,
  expected: { packs: number; invoices: number },
  workspaceIds: string[],
  balanceBefore: number,
): Promise<number> {
  const distinct = expected.packs + expected.invoices;
  const problems: string[] = [];
  const events = await count(db, `SELECT count(*) AS n FROM stripe_events WHERE id LIKE $1`, [`evt\\_${tag}\\_%`]);
  if (events !== distinct) problems.push(`${events} event rows for ${distinct} distinct events`);
  if (side === 'bare') {
    if (problems.length) throw new Error(`bare round ${tag}: ${problems.join('; ')}`);
    return balanceBefore;
  }
  const purchases = await count(
    db,
    `SELECT count(*) AS n FROM credit_ledger WHERE kind = 'purchase' AND reference LIKE $1`,
    [`pi\\_${tag}\\_%`],
  );
  const invoices = await count(db, `SELECT count(*) AS n FROM billing_invoices WHERE stripe_invoice_id LIKE $1`, [
    `in\\_${tag}\\_%`,
  ]);
  const balance = await totalBalance(db, workspaceIds);
  if (purchases !== expected.packs) problems.push(`${purchases} credit purchases for ${expected.packs} pack events`);
  if (balance - balanceBefore !== expected.packs * PACK_CREDITS) {
    problems.push(`balance moved by ${balance - balanceBefore}, expected ${expected.packs * PACK_CREDITS}`);
  }
  if (invoices !== expected.invoices) problems.push(`${invoices} invoices for ${expected.invoices} invoice events`);
  if (problems.length) throw new Error(`api round ${tag}: ${problems.join('; ')}`);
  return balance;
}

const totalBalance = (db: Client, workspaceIds: string[]) =>
  count(db, `SELECT COALESCE(sum(credits_balance), 0) AS n FROM billing_accounts WHERE workspace_id = ANY($1)`, [
    workspaceIds,
  ]);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const database = await benchDatabase();
  const env = {
    ...benchEnv(database.url),
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    // These events need no call to Stripe; should one happen it stays on this machine (and fails).
    STRIPE_API_HOST: '127.0.0.1',
    STRIPE_API_PORT: '9',
    STRIPE_API_PROTOCOL: 'http',
  };
  const children: ChildProcess[] = [];
  const db = new Client({ connectionString: database.url });
  await db.connect();
  let failed = false;
  try {
    children.push(await startChild(__filename, 'api', 3931, env));
    children.push(await startChild(__filename, 'bare', 3932, env));
    const { workspaceId } = await benchUser('http://127.0.0.1:3931/api');
    const { rows } = await db.query(
      `INSERT INTO workspaces (name, owner_id)
       SELECT 'Bench ' || i, owner_id FROM workspaces, generate_series(2, $2::int) AS i WHERE id = $1 RETURNING id`,
      [workspaceId, WORKSPACES],
    );
    const workspaceIds = [workspaceId, ...rows.map((r: { id: string }) => r.id)];
    const sides = {
      api: { port: 3931, path: '/api/stripe-webhook' },
      bare: { port: 3932, path: '/stripe-webhook' },
    } as const;
    let balance = 0;
    // Warm-up: both servers compile their hot paths before anything is measured.
    for (const side of ['api', 'bare'] as const) {
      const round = deliveries(`w${side}`, workspaceIds);
      await deliver(sides[side].port, sides[side].path, round.list.slice(0, 300));
    }
    balance = await totalBalance(db, workspaceIds);
    const rates: Record<'api' | 'bare', number[]> = { api: [], bare: [] };
    console.log(
      `${EVENTS} deliveries, ${Math.round(DUPLICATES * 100)} % duplicates, ${SENDERS} senders, ${WORKSPACES} workspaces\n`,
    );
    // CPU per delivery (Linux): the server's main thread on a core, and every process of the machine (Postgres,
    // Redis, this sender) together.
    console.log(`| round | side | deliveries | distinct | seconds | acknowledged/s | server µs CPU | machine µs CPU |`);
    console.log(`|---|---|---|---|---|---|---|---|`);
    for (let r = 1; r <= ROUNDS; r++) {
      for (const side of r % 2 ? (['bare', 'api'] as const) : (['api', 'bare'] as const)) {
        const tag = `${side}${r}`;
        const round = deliveries(tag, workspaceIds);
        await settle(database.url);
        const pid = children[side === 'api' ? 0 : 1].pid;
        const [cpuBefore, busyBefore] = [schedStat(pid), machineBusy()];
        const { perSecond, seconds } = await deliver(sides[side].port, sides[side].path, round.list);
        const [cpuAfter, busyAfter] = [schedStat(pid), machineBusy()];
        const perDelivery = (ns: number | undefined) =>
          ns === undefined || Number.isNaN(ns) ? '–' : String(Math.round(ns / 1000 / round.list.length));
        balance = await checkEffects(db, side, tag, round, workspaceIds, balance);
        rates[side].push(perSecond);
        console.log(
          `| ${r} | ${side} | ${round.list.length} | ${round.packs + round.invoices} | ${seconds.toFixed(2)} | ` +
            `${Math.round(perSecond)} | ${perDelivery(cpuAfter && cpuBefore ? cpuAfter.onCpu - cpuBefore.onCpu : undefined)} | ` +
            `${perDelivery(busyAfter !== null && busyBefore !== null ? busyAfter - busyBefore : undefined)} |`,
        );
      }
    }
    const ratio = median(rates.api) / median(rates.bare);
    console.log(
      `\nmedian acknowledged/s: API ${Math.round(median(rates.api))}, bare ${Math.round(median(rates.bare))} → ` +
        `${ratio.toFixed(2)}× (target ≥ ${TARGET}×); exactly one effect per distinct event in every round`,
    );
    if (ratio < TARGET) {
      console.error(`FAIL: ${ratio.toFixed(2)}× is below ${TARGET}×`);
      failed = true;
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await db.end();
    await database.drop();
  }
  if (failed) process.exit(1);
}

/** The baseline: verify the signature on the raw body, record the event id once, acknowledge. */
async function serveBare(): Promise<void> {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  });
  const secret = process.env.STRIPE_WEBHOOK_SECRET as string;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(body);
      };
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(
          Buffer.concat(chunks),
          req.headers['stripe-signature'] as string,
          secret,
        );
      } catch {
        return answer(400, '{"error":"bad signature"}');
      }
      pool
        .query(`INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [
          event.id,
          event.type,
        ])
        .then(
          () => answer(200, '{"received":true}'),
          () => answer(500, '{"error":"database"}'),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT), '127.0.0.1', resolve));
}

if (process.argv[2] === '--serve') {
  (process.argv[3] === 'bare' ? serveBare() : serveApi()).then(readyForParent).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
