import type Redis from 'ioredis';

/**
 * Takes up to ARGV[1] points from a fixed window of ARGV[2] points lasting ARGV[3] ms (the window starts
 * with its first point, as the previous limiter did). Returns the points taken, the window's count after
 * and its remaining milliseconds.
 */
const LEASE_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local take = math.min(tonumber(ARGV[1]), math.max(0, tonumber(ARGV[2]) - count))
if take > 0 then count = redis.call('INCRBY', KEYS[1], take) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('SET', KEYS[1], count, 'PX', ARGV[3])
  ttl = tonumber(ARGV[3])
end
return {take, count, ttl}`;

export interface LimiterResult {
  allowed: boolean;
  remainingPoints: number;
  msBeforeNext: number;
}

interface Lease {
  /** Points this process took from the window and how many it has spent. */
  granted: number;
  used: number;
  /** The window's shared count when the points were taken (includes `granted`). */
  count: number;
  resetAt: number;
  pending?: Promise<void>;
}

/**
 * A fixed-window limiter whose budget lives in Redis (shared by every replica) but is spent locally: a
 * process takes a small allowance of points at a time (5 % of the limit, 1 to 100), so most requests skip
 * the Redis round trip. A replica can hold at most that allowance unused, which bounds how much earlier
 * another replica may be refused. With one replica the count and X-RateLimit-Remaining are exact.
 */
export class LeasedLimiter {
  private readonly leases = new Map<string, Lease>();
  private readonly leaseSize: number;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    readonly points: number,
    private readonly durationMs: number,
  ) {
    this.leaseSize = Math.min(100, Math.max(1, Math.floor(points / 20)));
  }

  async consume(key: string): Promise<LimiterResult> {
    for (;;) {
      const decided = this.consumeLeased(key);
      if (decided) return decided;
      const lease = this.leases.get(key);
      if (lease?.pending) await lease.pending;
      else await this.lease(key, lease);
    }
  }

  /**
   * `consume` when the lease in hand decides (a point left, or the window exhausted), without waiting; else
   * undefined and nothing spent (Redis must be asked, or a lease is on its way).
   */
  consumeLeased(key: string): LimiterResult | undefined {
    const now = Date.now();
    const lease = this.leases.get(key);
    if (!lease) return undefined;
    if (lease.resetAt <= now) {
      this.leases.delete(key);
      return undefined;
    }
    if (lease.pending) return undefined;
    if (lease.used < lease.granted) {
      lease.used++;
      return { allowed: true, remainingPoints: this.remaining(lease), msBeforeNext: lease.resetAt - now };
    }
    // Exhausted window: refuse without asking Redis again until it resets.
    if (lease.count >= this.points) return { allowed: false, remainingPoints: 0, msBeforeNext: lease.resetAt - now };
    return undefined;
  }

  private remaining(lease: Lease): number {
    return Math.max(0, this.points - lease.count + lease.granted - lease.used);
  }

  /** Takes a new allowance; concurrent callers for the same key wait for this one. */
  private lease(key: string, previous: Lease | undefined): Promise<void> {
    if (this.leases.size > 10_000) this.sweep();
    const placeholder: Lease = previous ?? { granted: 0, used: 0, count: 0, resetAt: Number.POSITIVE_INFINITY };
    const pending = (async () => {
      try {
        const [taken, count, ttl] = (await this.redis.eval(
          LEASE_SCRIPT,
          1,
          `${this.keyPrefix}:${key}`,
          this.leaseSize,
          this.points,
          this.durationMs,
        )) as [number, number, number];
        this.leases.set(key, { granted: taken, used: 0, count, resetAt: Date.now() + ttl });
      } catch (error) {
        this.leases.delete(key);
        throw error;
      }
    })();
    placeholder.pending = pending;
    this.leases.set(key, placeholder);
    return pending;
  }

  /** Drops expired leases so idle callers do not accumulate. */
  sweep(now = Date.now()): void {
    for (const [key, lease] of this.leases) if (!lease.pending && lease.resetAt <= now) this.leases.delete(key);
  }
}
