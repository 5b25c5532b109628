import type { FastifyInstance } from 'fastify';
import type { RootLogger } from './logger.module';

/** Probes and scrapes would drown the request log. */
const UNLOGGED = /^\/api\/(health|metrics)(\?|$)/;

/**
 * One line per answered request, with its id, caller and duration, written when the answer is sent: no
 * child logger per request, and no hook at all when the level is silent.
 */
export function logRequests(fastify: FastifyInstance, logger: RootLogger): void {
  if (logger.level === 'silent') return;
  fastify.addHook('onResponse', (request, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    if (logger.isLevelEnabled(level) && !UNLOGGED.test(request.url)) {
      const principal = request.principal;
      logger[level](
        {
          reqId: request.id,
          method: request.method,
          url: request.url,
          statusCode: reply.statusCode,
          responseTime: Math.round(reply.elapsedTime),
          userId: principal?.userId,
          workspaceId: principal?.workspaceId,
        },
        level === 'error' ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}
