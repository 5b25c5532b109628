import { HttpStatus, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { sha256 } from '../crypto/tokens';
import { AppException } from '../http/app.exception';
import { REDIS } from '../redis/redis.module';
import { redisUnavailable } from '../redis/redis-unavailable';

export interface LoginThrottleOptions {
  /** Failed sign-ins for one e-mail, from any address, before each further attempt waits. */
  accountThreshold: number;
  /** The first wait; it doubles with each further failure, up to `accountMaxDelayMs`. */
  accountBaseDelayMs: number;
  accountMaxDelayMs: number;
  /** An e-mail's failures are forgotten this long after its last failed attempt. */
  accountMemoryMs: number;
  /** Failed sign-ins from one address, across e-mails, per window (password spraying). */
  addressLimit: number;
  addressWindowMs: number;
}

export const defaultLoginThrottleOptions: LoginThrottleOptions = {
  accountThreshold: 5,
  accountBaseDelayMs: 30_000,
  accountMaxDelayMs: 15 * 60_000,
  accountMemoryMs: 24 * 3600_000,
  addressLimit: 10,
  addressWindowMs: 15 * 60_000,
};

/**
 * Counts the attempt as a failure before the password is checked (a success takes it back), so parallel
 * guesses cannot all pass before the first failure is recorded. Returns {0} when allowed, else
 * {1 (account) or 2 (address), milliseconds to wait}.
 */
const ATTEMPT_SCRIPT = `
local now = tonumber(ARGV[1])
local wait = tonumber(redis.call('HGET', KEYS[1], 'until') or '0') - now
if wait > 0 then return {1, math.floor(wait)} end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[6]) then
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl < 0 then
    redis.call('PEXPIRE', KEYS[2], ARGV[7])
    ttl = tonumber(ARGV[7])
  end
  return {2, ttl}
end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local threshold = tonumber(ARGV[2])
if n >= threshold then
  local delay = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ math.min(n - threshold, 40))
  redis.call('HSET', KEYS[1], 'until', string.format('%d', now + delay))
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[7]) end
return {0, 0}`;

/** A right password: the e-mail's failures are forgotten and the address's presumed failure taken back. */
const SUCCESS_SCRIPT = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 0`;

/**
 * Failed sign-ins, shared by every replica through Redis, on top of the per-(address, e-mail) rate limit:
 * - per e-mail across all addresses: after `accountThreshold` failures each further attempt waits a delay
 *   that doubles up to `accountMaxDelayMs`, so rotating addresses does not buy more guesses, and an
 *   attacker can never lock the owner out for longer than that cap; a successful sign-in resets it;
 * - per address across e-mails: at most `addressLimit` failures per window (spraying many accounts).
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly options: LoginThrottleOptions = defaultLoginThrottleOptions,
    private readonly keyPrefix = 'login-throttle',
  ) {}

  /** Records an attempt for `email` from `address`, or refuses it with 429 and the seconds to wait. */
  async attempt(email: string, address: string, now = Date.now()): Promise<void> {
    const o = this.options;
    const [refused, waitMs] = (await this.run(
      ATTEMPT_SCRIPT,
      email,
      address,
      now,
      o.accountThreshold,
      o.accountBaseDelayMs,
      o.accountMaxDelayMs,
      o.accountMemoryMs,
      o.addressLimit,
      o.addressWindowMs,
    )) as [number, number];
    if (!refused) return;
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    throw new AppException(
      HttpStatus.TOO_MANY_REQUESTS,
      'RATE_LIMITED',
      refused === 1
        ? 'Too many failed sign-ins for this account: wait before trying again'
        : 'Too many failed sign-ins from this address: wait before trying again',
      [],
      { retryAfter },
    );
  }

  /** The password was right. */
  async succeeded(email: string, address: string): Promise<void> {
    await this.run(SUCCESS_SCRIPT, email, address);
  }

  private async run(script: string, email: string, address: string, ...args: (string | number)[]) {
    try {
      return await this.redis.eval(
        script,
        2,
        `${this.keyPrefix}:account:${sha256(email.trim().toLowerCase())}`,
        `${this.keyPrefix}:address:${address}`,
        ...args,
      );
    } catch {
      // The limits cannot be enforced without Redis: refuse rather than allow unlimited guesses.
      throw redisUnavailable();
    }
  }
}

/** The throttle on the shared Redis connection, with the default limits. */
export const loginThrottleProvider: Provider = {
  provide: LoginThrottle,
  inject: [REDIS],
  useFactory: (redis: Redis) => new LoginThrottle(redis),
};
