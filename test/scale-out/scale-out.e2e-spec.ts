import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/platform/src/database/data-source-options';
import { readSse, SseEvent, until } from '../chat/sse';
import { FakeOpenAI } from '../helpers/fake-openai';
import { addMember, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { AppProcess, RoundRobinProxy, startApi, startRoundRobinProxy, startWorker } from './processes';

/**
 * Two API processes and two workers, each its own Node process on its own loopback port, sharing the
 * database and the Redis prefix, as replicas behind a load balancer do. What one replica does, the other
 * must see: rate-limit budgets, chat streams, job progress, cache invalidations.
 */
describe('scale-out: two API processes and two workers', () => {
  let fake: FakeOpenAI;
  let filesDir: string;
  let a: AppProcess;
  let b: AppProcess;
  let workers: AppProcess[] = [];
  let proxy: RoundRobinProxy;
  let db: DataSource;
  /** The helpers' TestApp, speaking HTTP to one replica (supertest takes a URL as well as a server). */
  let viaA: TestApp;

  beforeAll(async () => {
    fake = await FakeOpenAI.start();
    filesDir = await mkdtemp(join(tmpdir(), 'crescendo-scale-out-'));
    const env = {
      AI_PROVIDERS: JSON.stringify([fake.provider({ name: 'Slow', breaker: { volumeThreshold: 1000 } })]),
      FILES_DIR: filesDir,
      WORKER_CONCURRENCY: '2',
    };
    const started = await Promise.allSettled([
      startApi('api-a', env),
      startApi('api-b', env),
      startWorker('worker-1', env),
      startWorker('worker-2', env),
    ]);
    const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    [a, b] = ok.filter((p) => p.name.startsWith('api'));
    workers = ok.filter((p) => p.name.startsWith('worker'));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    proxy = await startRoundRobinProxy([a.url, b.url]);
    db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, { poolSize: 2 }));
    await db.initialize();
    viaA = { http: () => request(a.url), db } as unknown as TestApp;
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all([a, b, ...workers].filter(Boolean).map((p) => p.stop()));
    await db?.destroy();
    await fake?.close();
    if (filesDir) await rm(filesDir, { recursive: true, force: true });
  }, 60_000);

  const call = (base: string, path: string, init: RequestInit & { json?: unknown } = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });

  it('shares the login limit: the 6th attempt through the round-robin proxy is refused by whichever replica gets it', async () => {
    const user = await signUp(viaA);
    const ip = randomIp();
    const attempt = (base: string) =>
      call(base, '/api/auth/login', {
        method: 'POST',
        headers: { 'x-forwarded-for': ip },
        json: { email: user.email, password: 'wrong password!' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt(proxy.url)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // The five went to both replicas: each alone has seen fewer than its limit.
    expect(new Set(proxy.routed.slice(-5))).toEqual(new Set([a.url, b.url]));
    const sixth = await attempt(proxy.url);
    expect(sixth.status).toBe(429);
    expect(await sixth.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', requestId: expect.any(String) });
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // And on each replica directly.
    expect((await attempt(a.url)).status).toBe(429);
    expect((await attempt(b.url)).status).toBe(429);
    // Another address signing in to another account is not affected (this account itself is now backing off
    // whatever the address: the per-account limit, also shared).
    const someoneElse = await signUp(viaA);
    const other = await call(b.url, '/api/auth/login', {
      method: 'POST',
      headers: { 'x-forwarded-for': randomIp() },
      json: { email: someoneElse.email, password: someoneElse.password, tokenDelivery: 'body' },
    });
    expect(other.status).toBe(200);
  });

  describe('chat streams', () => {
    let owner: TestUser;
    beforeAll(async () => {
      owner = await signUp(viaA);
    });
    beforeEach(() => fake.reset());

    const send = (base: string, body: Record<string, unknown>, stop?: (events: SseEvent[]) => boolean) =>
      readSse(
        `${base}/api/chat/send/stream`,
        { method: 'POST', headers: { ...owner.auth, 'content-type': 'application/json' }, body: JSON.stringify(body) },
        stop,
      );
    const deltas = (events: SseEvent[]) => events.filter((e) => e.event === 'delta').map((e) => e.data.content);

    it('resumes on B a stream started on A: replay, then the live rest, nothing lost or doubled', async () => {
      const words = Array.from({ length: 20 }, (_, i) => `w${i} `);
      fake.setDefault({ chunks: words, chunkDelayMs: 60 });
      const dropped = await send(a.url, { message: 'Raconte', selected_providers: ['Slow'] }, (events) =>
        events.some((e) => e.event === 'delta' && e.data.content === 'w2 '),
      );
      const streamId = dropped.events[0].data.stream_id;
      const last = dropped.events.at(-1)!.id;
      const resumed = await readSse(`${b.url}/api/chat/streams/${streamId}?after=${last}`, { headers: owner.auth });
      expect(resumed.status).toBe(200);
      expect(resumed.events[0].id).toBe(last + 1);
      const all = [...dropped.events, ...resumed.events];
      expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i));
      expect(deltas(all)).toEqual(words);
      expect(all.at(-1)).toMatchObject({ event: 'end', data: { failed: 0, aborted: false } });
      // The answer A stored is the one B streamed.
      const [row] = await db.query(`SELECT content FROM chat_messages WHERE id = $1`, [
        all.at(-1)!.data.message_ids[0],
      ]);
      expect(row.content).toBe(words.join(''));
      // Another user cannot follow it on either replica.
      const stranger = await signUp(viaA);
      const foreign = await readSse(`${b.url}/api/chat/streams/${streamId}?after=-1`, { headers: stranger.auth });
      expect(foreign.status).toBe(404);
      expect(foreign.body).toMatchObject({ code: 'CHAT_STREAM_NOT_FOUND', requestId: expect.any(String) });
    });

    it('aborts on B a stream running on A: the provider call made by A is cancelled', async () => {
      fake.setDefault({ chunks: Array.from({ length: 100 }, (_, i) => `x${i} `), chunkDelayMs: 50 });
      let streamId = '';
      let aborted: Promise<Response> | undefined;
      const { events } = await readSse(
        `${a.url}/api/chat/send/stream`,
        {
          method: 'POST',
          headers: { ...owner.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'Long', selected_providers: ['Slow'] }),
        },
        undefined,
        (event) => {
          if (event.event === 'stream') streamId = event.data.stream_id;
          if (event.event === 'delta' && !aborted)
            aborted = call(b.url, `/api/chat/streams/${streamId}`, { method: 'DELETE', headers: owner.auth });
        },
      );
      const res = await aborted!;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ stream_id: streamId, aborted: true });
      expect(events.at(-1)).toMatchObject({ event: 'end', data: { aborted: true } });
      expect(deltas(events).length).toBeLessThan(100);
      await until(() => fake.requests.some((r) => r.body.stream && r.closedEarly));
    });
  });

  it('streams a job’s progress from either replica while one of the two workers runs it', async () => {
    const owner = await signUp(viaA);
    const rows = Array.from({ length: 3000 }, (_, i) => `Lead ${i},lead-${i}@example.com`);
    const accepted = await request(a.url)
      .post('/api/leads/import')
      .set(owner.auth)
      .attach('file', Buffer.from(`name,email\n${rows.join('\n')}\n`), 'leads.csv')
      .expect(202);
    const jobId = accepted.body.jobId as string;
    const follow = (base: string) => readSse(`${base}/api/jobs/${jobId}/events`, { headers: owner.auth });
    const [onA, onB] = await Promise.all([follow(a.url), follow(b.url)]);
    for (const stream of [onA, onB]) {
      expect(stream.status).toBe(200);
      expect(stream.events.at(-1)).toMatchObject({
        event: 'completed',
        data: { id: jobId, status: 'COMPLETED', progress: 100, result: { inserted: 3000 } },
      });
    }
    // A job started on A is visible, with the same state, on B.
    const viaB = await call(b.url, `/api/jobs/${jobId}`, { headers: owner.auth });
    expect(await viaB.json()).toMatchObject({ id: jobId, status: 'COMPLETED' });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM leads WHERE workspace_id = $1`, [owner.workspaceId]);
    expect(n).toBe(3000);
  });

  it('both workers take jobs from the shared queues, each job once', async () => {
    // Several imports at once, from several workspaces: with two processes of WORKER_CONCURRENCY 2, both work.
    const jobs = await Promise.all(
      Array.from({ length: 6 }, async (_, k) => {
        const owner = await signUp(viaA);
        const rows = Array.from({ length: 2000 }, (_, i) => `L${k}-${i},l${k}-${i}@example.com`);
        const res = await request(k % 2 ? b.url : a.url)
          .post('/api/leads/import')
          .set(owner.auth)
          .attach('file', Buffer.from(`name,email\n${rows.join('\n')}\n`), 'leads.csv');
        expect(res.status).toBe(202);
        return { owner, jobId: res.body.jobId as string };
      }),
    );
    const ids = jobs.map((j) => j.jobId);
    const ended: Array<{ id: string; status: string; error: unknown }> = await waitFor(
      'the six imports to end',
      async () => {
        const rows = await db.query(`SELECT id, status, error FROM jobs WHERE id = ANY($1)`, [ids]);
        return rows.every((r: { status: string }) => ['COMPLETED', 'FAILED'].includes(r.status)) ? rows : undefined;
      },
      90_000,
    );
    expect(ended.map((r) => [r.status, r.error])).toEqual(ids.map(() => ['COMPLETED', null]));
    for (const { owner } of jobs) {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM leads WHERE workspace_id = $1`, [
        owner.workspaceId,
      ]);
      expect(n).toBe(2000);
    }
    // Each worker process logged some of them, and no job ran twice. A log line reaches this process through
    // the child's stdout pipe, possibly after the job's row says COMPLETED.
    const ranBy = await waitFor('every job in a worker log', async () => {
      const lists = workers.map((w) => ids.filter((id) => w.output().includes(`"jobId":"${id}"`)));
      return lists.flat().length >= ids.length ? lists : undefined;
    });
    expect(ranBy.every((list) => list.length > 0)).toBe(true);
    expect(ranBy.flat().sort()).toEqual([...ids].sort());
  }, 120_000);

  it('a stats answer B keeps shows an earning written through A once B hears of it (NOTIFY)', async () => {
    const owner = await signUp(viaA);
    const json = (res: Response) => res.json() as Promise<any>;
    expect(
      (await call(a.url, '/api/settings/general', { method: 'PUT', headers: owner.auth, json: { currency: 'EUR' } }))
        .status,
    ).toBe(200);
    const subscriber = await json(
      await call(a.url, '/api/onlyfans/subscribers', {
        method: 'POST',
        headers: owner.auth,
        json: { platform: 'onlyfans', handle: 'fan', currency: 'EUR' },
      }),
    );
    expect((await call(a.url, '/api/analytics/rollups/rebuild', { method: 'POST', headers: owner.auth })).status).toBe(
      200,
    );
    const revenueOnB = async () =>
      (await json(await call(b.url, '/api/analytics/revenue?period=7d', { headers: owner.auth })))
        .totalRevenue as number;
    // Read, kept, then replayed by B: from here B answers from memory until it hears of a change.
    for (let i = 0; i < 3; i++) expect(await revenueOnB()).toBe(0);
    const earning = await call(a.url, '/api/onlyfans/earnings', {
      method: 'POST',
      headers: owner.auth,
      json: { subscriberId: subscriber.data.id, type: 'tip', amount: 1_234, occurredAt: new Date().toISOString() },
    });
    expect(earning.status).toBe(201);
    // B made no write: only the notification of A's commit tells it.
    await waitFor('B to serve the new earning', async () => ((await revenueOnB()) === 1_234 ? true : undefined));
  });

  it('each worker answers its orchestrator probe on WORKER_HEALTH_PORT: GET /api/health', async () => {
    for (const worker of workers) {
      const res = await fetch(`${worker.url}/api/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: expect.stringMatching(/^(healthy|degraded)$/),
        database: 'connected',
        redis: 'connected',
        worker: 'running',
      });
      const other = await fetch(`${worker.url}/api/leads`);
      expect(other.status).toBe(404);
      expect(await other.json()).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'NOT_FOUND',
        message: expect.any(String),
        details: [],
        requestId: expect.any(String),
      });
      expect((await fetch(`${worker.url}/api/health`, { method: 'POST' })).status).toBe(404);
    }
  });

  describe('principal cache invalidation across replicas', () => {
    it('a member deactivated through A is refused by B on the next request, though B had just cached them', async () => {
      const owner = await signUp(viaA);
      const member = await addMember(viaA, owner, 'viewer');
      // B resolves the member and caches the principal.
      expect((await call(b.url, '/api/auth/me', { headers: member.auth })).status).toBe(200);
      expect((await call(b.url, '/api/auth/me', { headers: member.auth })).status).toBe(200);
      const res = await call(a.url, `/api/users/${member.id}/status`, {
        method: 'PUT',
        headers: owner.auth,
        json: { status: 'inactive' },
      });
      expect(res.status).toBe(200);
      const refused = await call(b.url, '/api/auth/me', { headers: member.auth });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ statusCode: 401, requestId: expect.any(String) });
    });

    it('a role lowered through A applies on B at once (403 where B had just let the admin through)', async () => {
      const owner = await signUp(viaA);
      const member = await addMember(viaA, owner, 'admin');
      // The permission check comes before validation: an admin's empty body is a 400, anyone else's a 403.
      const probe = () => call(b.url, '/api/users', { method: 'POST', headers: member.auth, json: {} });
      expect((await probe()).status).toBe(400);
      const res = await call(a.url, `/api/users/${member.id}`, {
        method: 'PUT',
        headers: owner.auth,
        json: { role: 'viewer' },
      });
      expect(res.status).toBe(200);
      const refused = await probe();
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ statusCode: 403, requestId: expect.any(String) });
    });

    it('a session signed out through A is refused by B at once', async () => {
      const user = await signUp(viaA);
      expect((await call(b.url, '/api/auth/me', { headers: user.auth })).status).toBe(200);
      const out = await call(a.url, '/api/auth/logout', {
        method: 'POST',
        headers: user.auth,
        json: { refreshToken: user.refreshToken },
      });
      expect(out.status).toBe(200);
      const refused = await call(b.url, '/api/auth/me', { headers: user.auth });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ code: 'SESSION_REVOKED' });
    });
  });
});
