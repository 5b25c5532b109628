import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Where a request came from, as recorded with a consent change. */
export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
}

/** The caller's address (as trusted proxies report it) and user agent, so services never see the request. */
export const CurrentClient = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientMeta => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null };
});
