import Redis from 'ioredis';
import { AppConfig, Principal } from '@crescendo/platform';
import { PrincipalCache } from './principal.cache';

describe('PrincipalCache', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  const config = { env: { REDIS_PREFIX: process.env.REDIS_PREFIX ?? 'crescendo-spec' } } as unknown as AppConfig;
  let cache: PrincipalCache;

  beforeEach(() => {
    cache = new PrincipalCache(redis, config);
  });
  afterAll(() => redis.quit());

  /** A load that resolves when told to, counting its calls. */
  function slowLoad(principal: Principal) {
    const calls: Array<() => void> = [];
    const load = () => new Promise<Principal>((resolve) => calls.push(() => resolve(principal)));
    return { load, calls };
  }
  const principal = (userId: string) => ({ userId, workspaceId: 'w1' }) as Principal;

  it('serves the requests that arrive while an entry loads from that one load', async () => {
    const { load, calls } = slowLoad(principal('u1'));
    const first = cache.resolve('k', ['user:u1'], load);
    const second = cache.resolve('k', ['user:u1'], load);
    expect(calls).toHaveLength(1);
    calls[0]();
    await expect(Promise.all([first, second])).resolves.toEqual([principal('u1'), principal('u1')]);
    // Then cached: no further load.
    await cache.resolve('k', ['user:u1'], load);
    expect(calls).toHaveLength(1);
  });

  it('does not hand a load that started before an invalidation to later requests, nor cache it', async () => {
    const { load, calls } = slowLoad(principal('u1'));
    const stale = cache.resolve('k', ['user:u1'], load);
    await cache.invalidate('user:u1');
    const fresh = cache.resolve('k', ['user:u1'], load);
    expect(calls).toHaveLength(2);
    calls[0]();
    calls[1]();
    await Promise.all([stale, fresh]);
    await cache.resolve('k', ['user:u1'], load);
    expect(calls).toHaveLength(2); // the fresh load was cached, the stale one was not in its way
  });

  it('lets a failed load fail its callers and the next request try again', async () => {
    let attempts = 0;
    const failing = () => {
      attempts++;
      return Promise.reject(new Error('database down'));
    };
    await expect(cache.resolve('k', ['user:u1'], failing)).rejects.toThrow('database down');
    await expect(cache.resolve('k', ['user:u1'], failing)).rejects.toThrow('database down');
    expect(attempts).toBe(2);
  });
});
