import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

/** Takes the response over from Fastify and sends the SSE headers. */
export function openSse(reply: FastifyReply): ServerResponse {
  reply.hijack();
  // Each event goes out as written: no Nagle delay on small writes (there is no compression on this app).
  reply.raw.socket?.setNoDelay(true);
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  return reply.raw;
}
