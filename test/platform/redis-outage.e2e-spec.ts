import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { createTestApp, expectError, randomIp, signUp, TestApp, TestUser, uniqueEmail } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** A port nothing listens on now (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A Redis this spec owns, so stopping it affects nobody else. */
class OwnRedis {
  private child?: ChildProcess;
  constructor(readonly port: number) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await waitFor(`redis on ${this.port}`, async () => {
        if (this.child?.exitCode !== null) throw new Error(`redis-server exited (${this.child?.exitCode})`);
        try {
          if (probe.status !== 'ready') await probe.connect();
          return (await probe.ping()) === 'PONG' ? true : undefined;
        } catch {
          probe.disconnect();
          return undefined;
        }
      });
    } finally {
      probe.disconnect();
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

describe('Redis outage', () => {
  let redis: OwnRedis;
  let t: TestApp;
  let user: TestUser;
  let apiKey: string;
  const previousUrl = process.env.REDIS_URL;

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    process.env.REDIS_URL = redis.url;
    t = await createTestApp();
    user = await signUp(t);
    const key = await t
      .http()
      .post('/api/security/api-keys')
      .set(user.auth)
      .send({ name: 'outage', scopes: ['leads:read'] });
    expect(key.status).toBe(201);
    apiKey = key.body.key;
  }, 60_000);

  afterAll(async () => {
    process.env.REDIS_URL = previousUrl;
    await t?.close();
    await redis?.stop();
  });

  /** The calls the outage must not turn into 500s: sign-in, sign-up, a user token, an API key, an import. */
  const calls = {
    login: () =>
      t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', randomIp())
        .send({ email: user.email, password: user.password }),
    register: () =>
      t
        .http()
        .post('/api/auth/register')
        .set('X-Forwarded-For', randomIp())
        .send({ email: uniqueEmail('outage'), password: 'password123', name: 'Outage' }),
    authenticated: () => t.http().get('/api/auth/me').set(user.auth),
    apiKey: () => t.http().get('/api/leads').set({ 'X-API-Key': apiKey, 'X-Forwarded-For': randomIp() }),
    import: () =>
      t
        .http()
        .post('/api/leads/import')
        .set(user.auth)
        .attach('file', Buffer.from('name,email\nAda,ada@x.test\n'), 'a.csv'),
  };
  const healthy = { login: 200, register: 201, authenticated: 200, apiKey: 200, import: 202 };

  it('answers 503 REDIS_UNAVAILABLE with Retry-After, at once, while Redis is down; then recovers by itself', async () => {
    for (const [name, call] of Object.entries(calls)) {
      expect([name, (await call()).status]).toEqual([name, healthy[name as keyof typeof healthy]]);
    }

    await redis.stop();
    // The API notices the closed connection on its own; no fixed delay.
    await waitFor('the API to see Redis gone', async () => ((await calls.login()).status === 503 ? true : undefined));
    const health = await t.http().get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');
    for (const [name, call] of Object.entries(calls)) {
      const started = Date.now();
      const res = await call();
      const elapsed = Date.now() - started;
      expect([name, res.status, res.body.code]).toEqual([name, 503, 'REDIS_UNAVAILABLE']);
      expectError(res, 503, 'REDIS_UNAVAILABLE');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.headers['retry-after']).toBe(String(res.body.retryAfter));
      // Fails fast: nothing waits on a reconnecting client.
      expect([name, elapsed < 2_000]).toEqual([name, true]);
    }

    await redis.start();
    // Each client (rate limits, queues) reconnects on its own backoff: every call answers as before, in time.
    await waitFor(
      'the API to use Redis again',
      async () => ((await calls.login()).status === 200 ? true : undefined),
      30_000,
    );
    for (const [name, call] of Object.entries(calls)) {
      const expected = healthy[name as keyof typeof healthy];
      const status = await waitFor(
        `${name} to answer ${expected} again`,
        async () => {
          const answer = (await call()).status;
          return answer === 503 ? undefined : answer;
        },
        30_000,
      );
      expect([name, status]).toEqual([name, expected]);
    }
    expect((await t.http().get('/api/health')).body.status).toBe('healthy');
  }, 90_000);
});
