import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig, forbidden, safeEqual, unauthorized } from '@crescendo/platform';

/** Whether an Authorization header carries the configured METRICS_TOKEN (compared in constant time). */
export function hasMetricsToken(config: AppConfig, authorization: string | undefined): boolean {
  const token = config.env.METRICS_TOKEN;
  const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  return !!token && !!given && safeEqual(given, token);
}

/**
 * GET /api/metrics lets in only `Authorization: Bearer <METRICS_TOKEN>`. Without a configured token it is
 * closed to everyone, loopback included: behind a reverse proxy on the same host every caller is loopback.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.config.env.METRICS_TOKEN) {
      throw forbidden('METRICS_DISABLED', 'Metrics are off: set METRICS_TOKEN and scrape with it as a Bearer token');
    }
    const { authorization } = context.switchToHttp().getRequest<FastifyRequest>().headers;
    if (!authorization) {
      throw unauthorized('METRICS_TOKEN_REQUIRED', 'Send the metrics token as Authorization: Bearer <METRICS_TOKEN>');
    }
    if (!hasMetricsToken(this.config, authorization))
      throw forbidden('METRICS_TOKEN_INVALID', 'The metrics token is wrong');
    return true;
  }
}
