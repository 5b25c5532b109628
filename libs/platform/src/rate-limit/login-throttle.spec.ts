import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { AppException } from '../http/app.exception';
import { LoginThrottle } from './login-throttle';

// Real Redis (never mocked); the clock is passed in, so the back-off steps are checked without waiting.
describe('LoginThrottle', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  const options = {
    accountThreshold: 3,
    accountBaseDelayMs: 1_000,
    accountMaxDelayMs: 4_000,
    accountMemoryMs: 60_000,
    addressLimit: 4,
    addressWindowMs: 60_000,
  };
  const throttle = () => new LoginThrottle(redis, options, `test-lt:${randomBytes(4).toString('hex')}`);
  const refusal = (promise: Promise<void>) => promise.then(() => null).catch((e: AppException) => e);

  beforeAll(() => redis.connect());
  afterAll(() => redis.quit());

  it('after the threshold, each attempt on an e-mail waits a delay that doubles up to the cap', async () => {
    const lt = throttle();
    const at = (now: number, ip = `10.0.0.${now % 250}`) => refusal(lt.attempt('Victim@x.test', ip, now));
    expect(await at(0, '10.0.0.1')).toBeNull();
    expect(await at(0, '10.0.0.2')).toBeNull();
    expect(await at(0, '10.0.0.3')).toBeNull(); // 3rd failure: the next waits 1 s
    expect(await at(999, '10.0.0.4')).toMatchObject({ status: 429, code: 'RATE_LIMITED', extra: { retryAfter: 1 } });
    expect(await at(1_000)).toBeNull(); // 4th: 2 s
    expect(await at(2_999)).toMatchObject({ status: 429 });
    expect(await at(3_000)).toBeNull(); // 5th: 4 s
    expect(await at(6_999)).toMatchObject({ status: 429, extra: { retryAfter: 1 } });
    expect(await at(7_000)).toBeNull(); // 6th: 8 s, capped at 4 s
    expect(await at(7_001)).toMatchObject({ status: 429, extra: { retryAfter: 4 } });
    expect(await at(11_000)).toBeNull();
    // Case and spaces do not make another account.
    expect(await refusal(lt.attempt(' victim@X.TEST ', '10.9.9.9', 11_001))).toMatchObject({ status: 429 });
  });

  it('a success forgets the e-mail’s failures', async () => {
    const lt = throttle();
    for (let i = 0; i < 3; i++) await lt.attempt('a@x.test', `10.1.0.${i}`, 0);
    await lt.succeeded('a@x.test', '10.1.0.2');
    for (let i = 0; i < 3; i++) expect(await refusal(lt.attempt('a@x.test', `10.1.1.${i}`, 1))).toBeNull();
    expect(await refusal(lt.attempt('a@x.test', '10.1.2.0', 2))).toMatchObject({ status: 429 });
  });

  it('limits failures per address across e-mails; successes do not count', async () => {
    const lt = throttle();
    await lt.attempt('ok@x.test', '10.2.0.1', 0);
    await lt.succeeded('ok@x.test', '10.2.0.1');
    for (let i = 0; i < 4; i++) expect(await refusal(lt.attempt(`u${i}@x.test`, '10.2.0.1', 0))).toBeNull();
    const refused = await refusal(lt.attempt('u9@x.test', '10.2.0.1', 0));
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(refused?.extra.retryAfter).toBeGreaterThan(50);
    expect(await refusal(lt.attempt('u9@x.test', '10.2.0.2', 0))).toBeNull();
  });

  it('answers 503 REDIS_UNAVAILABLE when Redis cannot be reached (never lets attempts through unlimited)', async () => {
    const offline = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false });
    const lt = new LoginThrottle(offline, options, 'test-lt:offline');
    expect(await refusal(lt.attempt('a@x.test', '10.3.0.1'))).toMatchObject({
      status: 503,
      code: 'REDIS_UNAVAILABLE',
    });
    offline.disconnect();
  });
});
