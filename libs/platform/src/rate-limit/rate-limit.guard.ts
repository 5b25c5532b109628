import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Redis from 'ioredis';
import { AppException } from '../http/app.exception';
import { InjectRedis } from '../redis/redis.module';
import { redisUnavailable } from '../redis/redis-unavailable';
import { RATE_LIMIT } from './rate-limit.decorator';
import { AppConfig } from '../config/config.service';
import { RateLimitPolicy, rateLimitPolicies } from './rate-limit.policies';
import { LeasedLimiter, LimiterResult } from './leased-limiter';

/**
 * Counts requests in Redis so every API replica shares the same budget. The general policy keys on
 * the caller (user or API key, else IP); login keys on IP and e-mail, signup on IP. Points are leased
 * from Redis a few at a time (LeasedLimiter), so most requests do not wait for a Redis round trip.
 * Failed sign-ins are also limited per e-mail and per address (LoginThrottle, in the login itself).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiters: Record<RateLimitPolicy, LeasedLimiter>;
  private readonly policies: Record<RateLimitPolicy, { points: number; durationSeconds: number }>;

  constructor(
    private readonly reflector: Reflector,
    @InjectRedis() private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.policies = {
      ...rateLimitPolicies,
      general: { ...rateLimitPolicies.general, points: config.env.RATE_LIMIT_GENERAL_PER_MINUTE },
    };
    this.limiters = Object.fromEntries(
      Object.entries(this.policies).map(([name, p]) => [
        name,
        new LeasedLimiter(redis, `rl:${name}`, p.points, p.durationSeconds * 1000),
      ]),
    ) as Record<RateLimitPolicy, LeasedLimiter>;
  }

  /** Not async: when the general policy alone applies and the lease in hand decides, it answers at once. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const policy = this.reflector.getAllAndOverride<RateLimitPolicy | false | undefined>(RATE_LIMIT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (policy === false) return true;
    // Without Redis the budgets shared by the replicas cannot be kept: refuse (503, Retry-After) rather than
    // serve unlimited, and rather than spend a leased allowance while other replicas cannot see it.
    if (this.redis.status !== 'ready') throw redisUnavailable();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();

    const callerKey = this.callerKey(request);
    if (!policy || policy === 'general') {
      const decided = this.limiters.general.consumeLeased(callerKey);
      if (decided) return this.answer('general', reply, policy === undefined, decided);
    }
    return this.consumeAll(policy, callerKey, request, reply);
  }

  private async consumeAll(
    policy: RateLimitPolicy | undefined,
    callerKey: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<boolean> {
    const general = await this.consume('general', callerKey, reply, policy === undefined);
    if (policy && policy !== 'general') await this.consume(policy, this.policyKey(policy, request), reply, true);
    return general;
  }

  private async consume(policy: RateLimitPolicy, key: string, reply: FastifyReply, setHeaders: boolean) {
    const res = await this.limiters[policy].consume(key).catch(() => {
      throw redisUnavailable();
    });
    return this.answer(policy, reply, setHeaders, res);
  }

  /** Allowed: true (with the headers if asked). Refused: the headers, Retry-After and 429. */
  private answer(policy: RateLimitPolicy, reply: FastifyReply, setHeaders: boolean, res: LimiterResult): true {
    const { points, durationSeconds } = this.policies[policy];
    if (res.allowed) {
      if (setHeaders) this.headers(reply, points, res);
      return true;
    }
    this.headers(reply, points, res);
    const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    reply.header('Retry-After', String(retryAfter));
    throw new AppException(
      HttpStatus.TOO_MANY_REQUESTS,
      'RATE_LIMITED',
      `Too many requests: the ${policy} limit is ${points} per ${durationSeconds} s`,
      [],
      { retryAfter },
    );
  }

  private headers(reply: FastifyReply, limit: number, res: LimiterResult) {
    reply.header('X-RateLimit-Limit', String(limit));
    reply.header('X-RateLimit-Remaining', String(Math.max(0, res.remainingPoints)));
    reply.header('X-RateLimit-Reset', String(Math.ceil((Date.now() + res.msBeforeNext) / 1000)));
  }

  private callerKey(request: FastifyRequest): string {
    const p = request.principal;
    if (p?.apiKeyId) return `key:${p.apiKeyId}`;
    if (p) return `user:${p.userId}`;
    return `ip:${request.ip}`;
  }

  private policyKey(policy: RateLimitPolicy, request: FastifyRequest): string {
    if (policy === 'login') {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      return `${request.ip}:${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
    }
    if (policy === 'signup') return request.ip;
    return this.callerKey(request);
  }
}
