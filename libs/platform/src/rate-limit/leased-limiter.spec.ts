import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { LeasedLimiter } from './leased-limiter';

// Real Redis (never mocked): two limiters on one prefix stand for two API replicas.
describe('LeasedLimiter', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  const prefix = () => `test-rl:${randomBytes(4).toString('hex')}`;

  beforeAll(() => redis.connect());
  afterAll(() => redis.quit());

  async function spend(limiter: LeasedLimiter, key: string, n: number) {
    const results = [];
    for (let i = 0; i < n; i++) results.push(await limiter.consume(key));
    return results;
  }

  it('counts exactly with one replica: remaining goes down by one, then refuses until the window ends', async () => {
    const limiter = new LeasedLimiter(redis, prefix(), 100, 60_000);
    const results = await spend(limiter, 'user:a', 101);
    expect(results.slice(0, 100).map((r) => r.remainingPoints)).toEqual(Array.from({ length: 100 }, (_, i) => 99 - i));
    expect(results[100]).toMatchObject({ allowed: false, remainingPoints: 0 });
    expect(results[100].msBeforeNext).toBeGreaterThan(0);
    expect(results[100].msBeforeNext).toBeLessThanOrEqual(60_000);
    // Keys are independent.
    expect((await limiter.consume('user:b')).allowed).toBe(true);
  });

  it('shares one budget between replicas, and leases ask Redis far less than once per request', async () => {
    const p = prefix();
    const a = new LeasedLimiter(redis, p, 1000, 60_000);
    const b = new LeasedLimiter(redis, p, 1000, 60_000);
    const evalSpy = jest.spyOn(redis, 'eval');
    const both = await Promise.all([spend(a, 'k', 700), spend(b, 'k', 700)]);
    const allowed = both.flat().filter((r) => r.allowed).length;
    // Each replica may hold at most one unused allowance (5 % of the limit).
    expect(allowed).toBeLessThanOrEqual(1000);
    expect(allowed).toBeGreaterThanOrEqual(1000 - 2 * 50);
    expect(Number(await redis.get(`${p}:k`))).toBeLessThanOrEqual(1000);
    expect(evalSpy.mock.calls.length).toBeLessThan(100);
    evalSpy.mockRestore();
  });

  it('concurrent requests on one key wait for a single lease instead of each asking Redis', async () => {
    const limiter = new LeasedLimiter(redis, prefix(), 1000, 60_000);
    const evalSpy = jest.spyOn(redis, 'eval');
    const results = await Promise.all(Array.from({ length: 40 }, () => limiter.consume('k')));
    expect(results.every((r) => r.allowed)).toBe(true);
    expect(evalSpy).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((r) => r.remainingPoints)).size).toBe(40);
    evalSpy.mockRestore();
  });

  it('starts a new window once the old one expires', async () => {
    const limiter = new LeasedLimiter(redis, prefix(), 2, 300);
    await spend(limiter, 'k', 2);
    expect((await limiter.consume('k')).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await limiter.consume('k')).toMatchObject({ allowed: true, remainingPoints: 1 });
  });
});
