import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { once } from 'node:events';
import { AppConfig } from '@crescendo/platform';
import { HealthService } from '@crescendo/operations';
import { QueueWorkerService } from './queue-worker.service';

/**
 * GET /api/health on WORKER_HEALTH_PORT (off when 0), for orchestrators' probes: the worker has no other
 * HTTP server. The API's health answer, plus whether this process still takes jobs: 200 while its queue
 * workers run and the database answers, 503 otherwise (and from the moment it starts shutting down).
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WorkerHealth');
  private server?: Server;
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    private readonly health: HealthService,
    private readonly worker: QueueWorkerService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.env.WORKER_HEALTH_PORT;
    if (!port) return;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/api/health') {
        const error = {
          statusCode: 404,
          error: 'Not Found',
          code: 'NOT_FOUND',
          message: 'The worker serves GET /api/health only',
          details: [],
          requestId: randomUUID(),
        };
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(error));
        return;
      }
      this.health.check().then(
        (result) => {
          const taking = !this.stopping && this.worker.running();
          const ok = taking && result.status !== 'unhealthy';
          res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(
            JSON.stringify({
              ...result,
              status: ok ? result.status : 'unhealthy',
              worker: taking ? 'running' : 'stopped',
            }),
          );
        },
        () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"unhealthy"}'),
      );
    });
    this.server.listen(port, this.config.env.HOST);
    await once(this.server, 'listening');
    this.logger.log({ port }, 'Worker health endpoint listening');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }
}
