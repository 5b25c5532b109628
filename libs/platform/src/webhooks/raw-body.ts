import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact request bytes, kept only on the routes registered with `keepRawJsonBody` (signed webhooks). */
    rawBody?: Buffer;
  }
}

/**
 * Replaces the JSON parser with Fastify's own (same poisoning protection and errors) reading a Buffer,
 * and keeps that Buffer on the request for the listed paths only: an HMAC must be checked over the bytes
 * as sent, which re-serialising the parsed body would not reproduce.
 */
export function keepRawJsonBody(fastify: FastifyInstance, paths: readonly string[]): void {
  const parse = fastify.getDefaultJsonParser('error', 'ignore') as unknown as (
    request: FastifyRequest,
    body: Buffer,
    done: (error: Error | null, value?: unknown) => void,
  ) => void;
  const wanted = new Set(paths);
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    if (wanted.has(request.url.split('?')[0])) request.rawBody = body as Buffer;
    parse(request, body as Buffer, done);
  });
}
