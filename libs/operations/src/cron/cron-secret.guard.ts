import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig, safeEqual, unauthorized } from '@crescendo/platform';

/** Lets in only callers presenting `Authorization: Bearer <CRON_SECRET>` (compared in constant time). */
@Injectable()
export class CronSecretGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
    if (!match)
      throw unauthorized('CRON_SECRET_REQUIRED', 'Send the cron secret as Authorization: Bearer <CRON_SECRET>');
    if (!safeEqual(match[1].trim(), this.config.env.CRON_SECRET)) {
      throw unauthorized('CRON_SECRET_INVALID', 'The cron secret is wrong');
    }
    return true;
  }
}
