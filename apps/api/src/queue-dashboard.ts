import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { AppException, QueueRegistry } from '@crescendo/platform';
import { REFRESH_COOKIE } from '@crescendo/identity';
import { InstanceAdminService } from '@crescendo/operations';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Mounts Bull Board at /admin/queues over every queue, for instance administrators only (ADMIN_EMAILS).
 * The check is an onRequest hook scoped to the dashboard's own plugin, so it guards its pages, assets
 * and API alike, and answers in the shared error shape.
 */
export async function registerQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const queues = app.get(QueueRegistry);
  const admins = app.get(InstanceAdminService);

  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.all().map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Crescendo queues' } },
  });

  await app.register(
    async (scope: FastifyInstance) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          await admins.authorize({
            authorization: request.headers.authorization,
            refreshToken: request.cookies?.[REFRESH_COOKIE],
          });
        } catch (error) {
          return sendError(request, reply, error);
        }
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
}

/** Raw Fastify hooks are outside Nest's exception filter, so the error shape is written here. */
function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof AppException)) {
    request.log.error({ err: error }, 'Queue dashboard authorization failed');
  }
  const status = error instanceof AppException ? error.status : 500;
  return reply
    .status(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send({
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      code: error instanceof AppException ? error.code : 'INTERNAL_ERROR',
      message:
        error instanceof AppException ? error.message : 'An unexpected error occurred; quote the request id to support',
      details: error instanceof AppException ? error.details : [],
      requestId: String(request.id),
    });
}
