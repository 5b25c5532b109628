import { HttpStatus } from '@nestjs/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppException } from './app.exception';

/**
 * How deep a JSON body may nest. No route needs more than a few levels; a body nested thousands of levels
 * deep (60 KB is enough) overflowed the stack in class-transformer and class-validator: a 500 on every route.
 */
export const MAX_JSON_DEPTH = 32;

/** What is wrong with a parsed body: nested too deep, or a NUL character (Postgres refuses it in text). */
export function inputProblem(value: unknown, maxDepth = MAX_JSON_DEPTH, depth = 1): 'depth' | 'nul' | null {
  if (typeof value === 'string') return value.includes('\0') ? 'nul' : null;
  if (typeof value !== 'object' || value === null) return null;
  if (depth > maxDepth) return 'depth';
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = inputProblem(item, maxDepth, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const key in value) {
    if (key.includes('\0')) return 'nul';
    const problem = inputProblem((value as Record<string, unknown>)[key], maxDepth, depth + 1);
    if (problem) return problem;
  }
  return null;
}

const nulRefused = () =>
  new AppException(
    HttpStatus.BAD_REQUEST,
    'INVALID_CHARACTER',
    'The request contains a NUL character (\\u0000), which no field accepts',
  );

/**
 * Refuses, with 400 in the error shape, a body nested deeper than MAX_JSON_DEPTH or holding a NUL character
 * (checked once parsed, before validation: JSON.parse copes with the depth, the validators did not), and a
 * URL with an encoded NUL in its path or query.
 */
export function guardInput(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    done(request.url.includes('%00') ? nulRefused() : undefined);
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const problem = inputProblem(request.body);
    if (problem === 'depth') {
      return done(
        new AppException(
          HttpStatus.BAD_REQUEST,
          'JSON_TOO_DEEP',
          `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`,
        ),
      );
    }
    done(problem === 'nul' ? nulRefused() : undefined);
  });
}

/**
 * Shutdown: Fastify's own 503 for requests arriving while the server drains has no `code` nor `requestId`
 * (return503OnClosing must be false); this answers it in the error shape, asking the client to reconnect.
 */
export function refuseWhileClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close').header('retry-after', '1');
    done(new AppException(HttpStatus.SERVICE_UNAVAILABLE, 'SHUTTING_DOWN', 'The server is restarting; retry'));
  });
}

const errorBody = (statusCode: number, code: string, message: string, requestId: string) =>
  JSON.stringify({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message, details: [], requestId });

/**
 * Errors Fastify's router answers by itself, before any hook or the exception filter (a path parameter
 * longer than the router's limit, a malformed URL): 400 in the error shape instead of its bare 414/400.
 */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const code =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'PARAMETER_TOO_LONG'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'INVALID_URL'
        : 'BAD_REQUEST';
  const message =
    code === 'PARAMETER_TOO_LONG' ? 'A path parameter is longer than 100 characters' : 'The URL is not valid';
  void reply
    .code(400)
    .header('content-type', 'application/json; charset=utf-8')
    .header('x-request-id', request.id)
    .send(errorBody(400, code, message, String(request.id)));
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (headers too large, a malformed request,
 * a request that took too long to arrive): the same statuses Fastify gave, in the error shape.
 */
export function clientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'The request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive']
        : [400, 'BAD_REQUEST', 'The request is not valid HTTP'];
  const requestId = randomUUID();
  const body = errorBody(status, code, message, requestId);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
