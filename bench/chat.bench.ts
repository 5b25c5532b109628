// Chat benchmarks, one command: npx ts-node -r tsconfig-paths/register bench/chat.bench.ts
// (a) search p95 over BENCH_CHAT_MESSAGES (default 1 000 000) messages in 10 000 conversations: the API's
//     full-text query (GIN + websearch_to_tsquery + ts_rank + ts_headline) vs the same search with ILIKE;
// (b) POST /api/chat/send fanned out to three fake providers (200/300/400 ms) vs the slowest alone;
// (c) time to the first streamed chunk through POST /api/chat/send/stream vs straight from the fake provider
//     (BENCH_TTFB_RUNS runs, default 20: under load, more runs steady the median).
// Prints a JSON report. The API runs in this process (so do the fake providers), on a throwaway database.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { keysetSql } from '../libs/platform/src/database/keyset';
import { hitsSql, SEARCH_ORDER, searchSql } from '../libs/chat/src/chat-search.repository';
import { FakeOpenAI } from '../test/helpers/fake-openai';
import { benchDatabase, benchEnv, postgresSettings, settle } from './lib/servers';

const MESSAGES = Number(process.env.BENCH_CHAT_MESSAGES ?? 1_000_000);
const CONVERSATIONS = 10_000;
const SEARCHES = 60;
const ILIKE_SEARCHES = 12;
const FANOUT_RUNS = 6;
const TTFB_RUNS = Number(process.env.BENCH_TTFB_RUNS ?? 20);

// A vocabulary of 4 900 two-syllable words (70 × 70), some accented: realistic chat vocabularies are larger,
// which only helps the index; uniform picks make every word about equally frequent (≈ 0.25 % of messages).
const syllables = [
  'ba',
  'be',
  'bi',
  'bo',
  'bu',
  'ca',
  'ce',
  'ci',
  'co',
  'cu',
  'da',
  'de',
  'di',
  'do',
  'du',
  'fa',
  'fé',
  'fi',
  'fo',
  'fu',
  'ga',
  'ge',
  'gi',
  'go',
  'gu',
  'la',
  'le',
  'li',
  'lo',
  'lu',
  'ma',
  'mé',
  'mi',
  'mo',
  'mu',
  'na',
  'ne',
  'ni',
  'no',
  'nu',
  'pa',
  'pe',
  'pi',
  'po',
  'pu',
  'ra',
  'rè',
  'ri',
  'ro',
  'ru',
  'sa',
  'se',
  'si',
  'so',
  'su',
  'ta',
  'te',
  'ti',
  'to',
  'tu',
  'va',
  've',
  'vi',
  'vo',
  'vu',
  'za',
  'zê',
  'zi',
  'zo',
  'zu',
];
const words = syllables.flatMap((a) => syllables.map((b) => a + b));
const pick = () => words[Math.floor(Math.random() * words.length)];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values: number[]) => percentile(values, 50);
const round = (n: number) => Math.round(n * 100) / 100;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main() {
  const db = await benchDatabase();
  const fakes = await Promise.all([FakeOpenAI.start(), FakeOpenAI.start(), FakeOpenAI.start(), FakeOpenAI.start()]);
  const [p200, p300, p400, quick] = fakes;
  p200.setDefault({ delayMs: 200 });
  p300.setDefault({ delayMs: 300 });
  p400.setDefault({ delayMs: 400 });
  quick.setDefault({ chunks: ['first ', 'second ', 'third'], chunkDelayMs: 5 });
  const calm = { volumeThreshold: 100000 };
  Object.assign(process.env, benchEnv(db.url), {
    AI_PROVIDERS: JSON.stringify([
      p200.provider({ name: 'P200', breaker: calm, maxConcurrency: 50 }),
      p300.provider({ name: 'P300', breaker: calm, maxConcurrency: 50 }),
      p400.provider({ name: 'P400', breaker: calm, maxConcurrency: 50 }),
      quick.provider({ name: 'Quick', breaker: calm, maxConcurrency: 50 }),
    ]),
  });
  const { createApiApp } = await import('../apps/api/src/app.factory');
  const app = await createApiApp({ logger: false });
  await app.listen(0, '127.0.0.1');
  const base = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api`;
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    const users = new UserPool(base);
    // Each part starts on a settled machine (settle: dirty pages written, the cores idle): in `npm run bench` the
    // CRM part's 1M-row tables are still being autovacuumed when this one starts, and the search's own seeding
    // leaves pages to write.
    const postgres = await postgresSettings(db.url);
    const search = await benchSearch(pool, await users.fresh(), () => settle(db.url));
    await settle(db.url);
    const fanOut = await benchFanOut(base, users);
    await settle(db.url);
    const firstChunk = await benchFirstChunk(base, users, quick);
    const report = { postgres, search, fanOut, firstChunk };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await pool.end();
    await app.close();
    await Promise.all(fakes.map((f) => f.close()));
    await db.drop();
  }
}

interface BenchUser {
  auth: Record<string, string>;
  id: string;
  workspaceId: string;
}

/** The AI routes allow 10 calls a minute per user: a new user every 9 calls. */
class UserPool {
  private current?: BenchUser;
  private calls = 0;
  constructor(private readonly base: string) {}

  async next(): Promise<BenchUser> {
    if (!this.current || this.calls >= 9) {
      this.current = await this.fresh();
      this.calls = 0;
    }
    this.calls++;
    return this.current;
  }

  async fresh(): Promise<BenchUser> {
    const ip = `10.${randomBytes(3).join('.')}`;
    const json = { 'content-type': 'application/json', 'x-forwarded-for': ip };
    const email = `bench-${randomBytes(4).toString('hex')}@crescendo.test`;
    await fetch(`${this.base}/auth/register`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, name: 'Bench', password: 'bench password' }),
    });
    const login = (await (
      await fetch(`${this.base}/auth/login`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email, password: 'bench password', tokenDelivery: 'body' }),
      })
    ).json()) as { accessToken: string; user: { id: string } };
    const auth = { authorization: `Bearer ${login.accessToken}`, 'x-forwarded-for': ip };
    const me = (await (await fetch(`${this.base}/auth/me`, { headers: auth })).json()) as { workspace: { id: string } };
    return { auth, id: login.user.id, workspaceId: me.workspace.id };
  }
}

async function benchSearch(pool: Pool, user: BenchUser, settled: () => Promise<void>) {
  const started = Date.now();
  await pool.query(`DROP INDEX "IDX_chat_messages_search_gin"`);
  await pool.query(
    `INSERT INTO conversations (workspace_id, user_id, title, message_count, last_message_at, created_at)
     SELECT $1, $2, array_to_string(ARRAY(SELECT ($3::text[])[1 + floor(random() * cardinality($3::text[]))::int]
              FROM generate_series(1, 4) w WHERE w > 0 * g), ' '),
            $4, now() - g * interval '1 minute', now() - g * interval '1 minute'
       FROM generate_series(1, $5) g`,
    [user.workspaceId, user.id, words, Math.round(MESSAGES / CONVERSATIONS), CONVERSATIONS],
  );
  // 12 random words per message, spread evenly over the conversations, in 10 batches.
  const batch = Math.ceil(MESSAGES / 10);
  for (let from = 0; from < MESSAGES; from += batch) {
    await pool.query(
      `WITH c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM conversations WHERE user_id = $2)
       INSERT INTO chat_messages (conversation_id, workspace_id, user_id, conversation_kind, role, content, created_at)
       SELECT c.id, $1, $2, 'chat', CASE WHEN g % 2 = 0 THEN 'user' ELSE 'assistant' END,
              array_to_string(ARRAY(SELECT ($3::text[])[1 + floor(random() * cardinality($3::text[]))::int]
                FROM generate_series(1, 12) w WHERE w > 0 * g), ' '),
              now() - g * interval '1 second'
         FROM generate_series($4::int, $5::int) g JOIN c ON c.n = g % $6`,
      [user.workspaceId, user.id, words, from, Math.min(from + batch, MESSAGES) - 1, CONVERSATIONS],
    );
  }
  await pool.query(`CREATE INDEX "IDX_chat_messages_search_gin" ON "chat_messages" USING GIN ("search_vector")`);
  await pool.query(`VACUUM ANALYZE chat_messages`);
  await pool.query(`VACUUM ANALYZE conversations`);
  const setupSeconds = Math.round((Date.now() - started) / 1000);
  await settled();

  // Queries: one word (≈ 0.25 % of messages), two words (AND), a word with an accent typed without it.
  const queries = Array.from({ length: SEARCHES }, (_, i) =>
    i % 3 === 0
      ? `${pick()} ${pick()}`
      : i % 3 === 1
        ? pick()
            .normalize('NFD')
            .replace(/[\u0300-\u036f]/g, '')
        : pick(),
  );
  const fts: number[] = [];
  const hits: number[] = [];
  // The route's first page (a cursor page adds one row comparison to the same plan).
  const firstPageSql = searchSql(null, keysetSql(SEARCH_ORDER, null, 5).orderBy, 5);
  for (const q of [...queries.slice(0, 5), ...queries]) {
    const t0 = process.hrtime.bigint();
    await pool.query(firstPageSql, [q, user.workspaceId, user.id, 'chat', 20, 0]);
    fts.push(ms(t0));
    const [{ n }] = (
      await pool.query(`SELECT count(*)::int AS n FROM (${hitsSql}) h`, [q, user.workspaceId, user.id, 'chat'])
    ).rows;
    hits.push(n);
  }
  fts.splice(0, 5); // warm-up
  hits.splice(0, 5);
  const ilikeSql = `
    SELECT m.conversation_id, m.id, c.title, m.content, m.created_at, count(*) OVER () AS total
      FROM chat_messages m JOIN conversations c ON c.id = m.conversation_id AND c.user_id = $2 AND c.kind = 'chat'
     WHERE m.workspace_id = $1 AND m.content ILIKE $3
     ORDER BY m.created_at DESC LIMIT 20`;
  const ilike: number[] = [];
  for (const q of queries.filter((_, i) => i % 3 === 2).slice(0, ILIKE_SEARCHES)) {
    const t0 = process.hrtime.bigint();
    await pool.query(ilikeSql, [user.workspaceId, user.id, `%${q}%`]);
    ilike.push(ms(t0));
  }
  const [{ n: indexed }] = (await pool.query(`SELECT count(*)::int AS n FROM chat_messages`)).rows;
  return {
    messages: indexed,
    conversations: CONVERSATIONS,
    vocabulary: words.length,
    setupSeconds,
    medianHits: median(hits),
    fullText: { queries: fts.length, p50Ms: round(median(fts)), p95Ms: round(percentile(fts, 95)) },
    ilike: { queries: ilike.length, p50Ms: round(median(ilike)), p95Ms: round(percentile(ilike, 95)) },
    speedupP95: round(percentile(ilike, 95) / percentile(fts, 95)),
    targets: { p95BelowMs: 20, speedupAtLeast: 50 },
  };
}

async function benchFanOut(base: string, users: UserPool) {
  const send = async (user: BenchUser, body: Record<string, unknown>) => {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${base}/chat/send`, {
      method: 'POST',
      headers: { ...user.auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { conversation_id: string; answers: unknown[] };
    if (res.status !== 200) throw new Error(`send: ${res.status} ${JSON.stringify(json)}`);
    return { ms: ms(t0), json };
  };
  const conversationFor = new Map<string, string>();
  const run = async (providers: string[]) => {
    const user = await users.next();
    let conversation = conversationFor.get(user.id);
    if (!conversation) {
      // A first message creates (and titles) the conversation; the measured ones continue it.
      conversation = (await send(user, { message: 'Bonjour', selected_providers: ['P200'] })).json.conversation_id;
      conversationFor.set(user.id, conversation);
      await users.next();
    }
    const r = await send(user, {
      message: `Question ${pick()}`,
      conversation_id: conversation,
      selected_providers: providers,
    });
    if (r.json.answers.length !== providers.length) throw new Error('a provider failed');
    return r.ms;
  };
  const all: number[] = [];
  const slowest: number[] = [];
  await run(['P200', 'P300', 'P400']); // warm-up
  for (let i = 0; i < FANOUT_RUNS; i++) {
    all.push(await run(['P200', 'P300', 'P400']));
    slowest.push(await run(['P400']));
  }
  return {
    runs: FANOUT_RUNS,
    providerLatenciesMs: [200, 300, 400],
    threeProvidersMedianMs: round(median(all)),
    slowestAloneMedianMs: round(median(slowest)),
    ratio: round(median(all) / median(slowest)),
    target: { ratioAtMost: 1.1 },
  };
}

async function benchFirstChunk(base: string, users: UserPool, quick: FakeOpenAI) {
  const direct: number[] = [];
  const viaApi: number[] = [];
  const firstDelta = async (res: Response, marker: string, t0: bigint) => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended before its first chunk');
      text += decoder.decode(value, { stream: true });
      if (text.includes(marker)) {
        const elapsed = ms(t0);
        await reader.cancel().catch(() => undefined);
        return elapsed;
      }
    }
  };
  const conversations = new Map<string, string>();
  for (let i = 0; i < TTFB_RUNS + 3; i++) {
    // Straight from the fake provider, as the AI layer calls it.
    let t0 = process.hrtime.bigint();
    const res = await fetch(`${quick.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-fake' },
      body: JSON.stringify({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const d = await firstDelta(res, '"content":"first ', t0);

    const user = await users.next();
    let conversation = conversations.get(user.id);
    if (!conversation) {
      const created = await fetch(`${base}/chat/send`, {
        method: 'POST',
        headers: { ...user.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Bonjour', selected_providers: ['Quick'] }),
      });
      conversation = ((await created.json()) as { conversation_id: string }).conversation_id;
      conversations.set(user.id, conversation);
      await users.next();
    }
    t0 = process.hrtime.bigint();
    const api = await fetch(`${base}/chat/send/stream`, {
      method: 'POST',
      headers: { ...user.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hi', conversation_id: conversation, selected_providers: ['Quick'] }),
    });
    const a = await firstDelta(api, 'event: delta', t0);
    if (i >= 3) {
      direct.push(d);
      viaApi.push(a);
    }
  }
  return {
    runs: TTFB_RUNS,
    directMedianMs: round(median(direct)),
    apiMedianMs: round(median(viaApi)),
    overheadMedianMs: round(median(viaApi) - median(direct)),
    apiP95Ms: round(percentile(viaApi, 95)),
    target: { overheadBelowMs: 10 },
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
