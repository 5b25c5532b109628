import type { FastifyReply } from 'fastify';

/**
 * An AbortSignal that fires when the client goes away before the answer is complete: pass it to long
 * upstream calls (AI) so nobody pays for an answer no one will read. Listens on the reply, because a
 * request's own 'close' fires as soon as its body has been read.
 */
export function clientGoneSignal(reply: Pick<FastifyReply, 'raw'>): AbortSignal {
  const controller = new AbortController();
  const raw = reply.raw;
  raw.once('close', () => {
    if (!raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
