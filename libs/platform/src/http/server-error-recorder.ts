import type { FastifyRequest } from 'fastify';

/** Implemented by the audit feature: stores server errors with their request id. */
export abstract class ServerErrorRecorder {
  abstract record(error: unknown, request: FastifyRequest, requestId: string): Promise<void>;
}
