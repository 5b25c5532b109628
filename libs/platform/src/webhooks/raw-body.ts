import type { FastifyInstance } from 'fastify';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { parse as parseQuery } from 'node:querystring';
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

/**
 * The body parsers, registered through Nest's adapter before the app initialises (Nest then adds none of its
 * own): JSON and URL-encoded forms as Nest would parse them, except that on `rawOnlyPaths` a JSON body is kept
 * as its bytes only (`request.rawBody`) and not parsed. Those routes check a signature over the bytes and parse
 * them themselves (Stripe's `constructEvent`): parsing here too did it twice, with the depth and NUL walk of the
 * parsed body on top. The body limit and the prototype-poisoning refusals stay Fastify's.
 */
export function registerBodyParsers(adapter: FastifyAdapter, rawOnlyPaths: readonly string[]): void {
  const fastify = adapter.getInstance();
  const { bodyLimit, onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  const rawOnly = new Set(rawOnlyPaths);
  adapter.useBodyParser('application/json', false, { bodyLimit }, (request, body, done) => {
    if (rawOnly.has(request.routeOptions.url ?? '')) {
      request.rawBody = body;
      return done(null, undefined);
    }
    // Fastify's own JSON parser takes the bytes as they are (secure-json-parse decodes a Buffer as UTF-8).
    parseJson(request, body as unknown as string, done);
  });
  adapter.useBodyParser('application/x-www-form-urlencoded', false, { bodyLimit }, (_request, body, done) =>
    done(null, parseQuery(body.toString())),
  );
}
