import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ServerErrorRecorder } from '@crescendo/platform';
import { LogLevel, LogType } from './audit.types';
import { AuditService } from './audit.service';

/** Server errors land in the error log with their request id, so support can find them. */
@Injectable()
export class AuditErrorRecorder extends ServerErrorRecorder {
  constructor(private readonly audit: AuditService) {
    super();
  }

  async record(error: unknown, request: FastifyRequest, requestId: string): Promise<void> {
    const err = error instanceof Error ? error : new Error(String(error));
    await this.audit.record({
      type: LogType.Error,
      level: LogLevel.Error,
      action: 'server_error',
      message: err.message.slice(0, 2000),
      metadata: {
        name: err.name,
        method: request.method,
        route: request.routeOptions?.url ?? request.url.split('?')[0],
        requestId,
      },
    });
  }
}
