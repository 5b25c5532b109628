import Redis from 'ioredis';
import { AppConfig, Principal } from '@crescendo/platform';
import { PRINCIPAL_CACHE_TTL_MS, PRINCIPAL_REFRESH_AHEAD_MS, PrincipalCache } from './principal.cache';

describe('PrincipalCache', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  const config = { env: { REDIS_PREFIX: process.env.REDIS_PREFIX ?? 'crescendo-spec' } } as unknown as AppConfig;
  let cache: PrincipalCache;

  beforeEach(() => {
    cache = new PrincipalCache(redis, config);
  });
  afterEach(() => jest.restoreAllMocks());
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

  describe('in the last PRINCIPAL_REFRESH_AHEAD_MS of an entry', () => {
    let now: number;
    beforeEach(() => {
      now = 1_000_000;
      jest.spyOn(Date, 'now').mockImplementation(() => now);
    });

    /** Caches principal('u1') at `now` through a load that has already answered. */
    async function cached() {
      const slow = slowLoad(principal('u1'));
      const first = cache.resolve('k', ['user:u1'], slow.load);
      slow.calls[0]();
      await first;
      return slow;
    }

    it('serves the entry at once while one background load refreshes it, then serves the refreshed one', async () => {
      const { calls } = await cached();
      const refreshed = slowLoad(principal('u1-refreshed'));

      now += PRINCIPAL_CACHE_TTL_MS - PRINCIPAL_REFRESH_AHEAD_MS - 1; // not yet in the window
      await expect(cache.resolve('k', ['user:u1'], refreshed.load)).resolves.toEqual(principal('u1'));
      expect(refreshed.calls).toHaveLength(0);

      now += 1; // in the window: answered from the entry, the load not awaited
      await expect(cache.resolve('k', ['user:u1'], refreshed.load)).resolves.toEqual(principal('u1'));
      await expect(cache.resolve('k', ['user:u1'], refreshed.load)).resolves.toEqual(principal('u1'));
      expect(refreshed.calls).toHaveLength(1); // one refresh for both requests
      expect(calls).toHaveLength(1);

      refreshed.calls[0]();
      await new Promise(setImmediate);
      now += PRINCIPAL_REFRESH_AHEAD_MS + 10; // past the first entry's expiry: the refreshed one answers
      await expect(cache.resolve('k', ['user:u1'], refreshed.load)).resolves.toEqual(principal('u1-refreshed'));
      expect(refreshed.calls).toHaveLength(1);
    });

    it('makes requests after the expiry wait for the refresh under way, not start another', async () => {
      await cached();
      const refreshed = slowLoad(principal('u1-refreshed'));
      now += PRINCIPAL_CACHE_TTL_MS - 10;
      await cache.resolve('k', ['user:u1'], refreshed.load);
      now += 20; // expired, the refresh still running
      const waiting = cache.resolve('k', ['user:u1'], refreshed.load);
      expect(refreshed.calls).toHaveLength(1);
      refreshed.calls[0]();
      await expect(waiting).resolves.toEqual(principal('u1-refreshed'));
    });

    it('drops the entry when the refresh fails, so the next request meets the real outcome', async () => {
      await cached();
      let attempts = 0;
      const revoked = () => {
        attempts++;
        return Promise.reject(new Error('session revoked'));
      };
      now += PRINCIPAL_CACHE_TTL_MS - 10;
      await expect(cache.resolve('k', ['user:u1'], revoked)).resolves.toEqual(principal('u1'));
      await new Promise(setImmediate);
      await expect(cache.resolve('k', ['user:u1'], revoked)).rejects.toThrow('session revoked');
      expect(attempts).toBe(2);
    });

    it('does not store a refresh that an invalidation overtook', async () => {
      await cached();
      const refreshed = slowLoad(principal('u1-stale'));
      now += PRINCIPAL_CACHE_TTL_MS - 10;
      await cache.resolve('k', ['user:u1'], refreshed.load);
      await cache.invalidate('user:u1');
      refreshed.calls[0]();
      await new Promise(setImmediate);
      const fresh = slowLoad(principal('u1-fresh'));
      const next = cache.resolve('k', ['user:u1'], fresh.load);
      expect(fresh.calls).toHaveLength(1);
      fresh.calls[0]();
      await expect(next).resolves.toEqual(principal('u1-fresh'));
    });
  });
});
