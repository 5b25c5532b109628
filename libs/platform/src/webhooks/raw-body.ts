import type { FastifyInstance } from 'fastify';
import { Transform } from 'node:stream';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact request bytes, kept only on the paths given to `keepRawBody` (signed webhooks). */
    rawBody?: Buffer;
  }
}

/**
 * Keeps the request bytes, as received, on the listed paths only: an HMAC must be checked over the body
 * exactly as sent, which re-serialising the parsed JSON would not reproduce. The usual parser still runs
 * (and still enforces the body limit); other routes are untouched.
 */
export function keepRawBody(fastify: FastifyInstance, paths: readonly string[]): void {
  const wanted = new Set(paths);
  // A callback hook, not an async one: it runs on every request, and most only pass through.
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    if (!wanted.has(request.url.split('?')[0])) return done(null, payload);
    const chunks: Buffer[] = [];
    const tee = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        request.rawBody = Buffer.concat(chunks);
        callback();
      },
    });
    // pipe, not pipeline: pipeline builds an AbortController and an AbortError (a DOMException, with its stack)
    // for every request it finishes, half a millisecond of CPU per webhook delivery.
    payload.on('error', (error) => tee.destroy(error));
    done(null, payload.pipe(tee));
  });
}
