import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientGoneSignal, Principal } from '@crescendo/platform';
import { prefersRespondAsync } from '@crescendo/jobs';
import type { AiToolCall } from './ai-tools.service';

/**
 * The caller, the request id, the request's start (for meta.duration), a signal that fires if the client
 * leaves, and whether it asked for a job (Prefer: respond-async).
 */
export const CurrentAiToolCall = createParamDecorator((_: unknown, ctx: ExecutionContext): AiToolCall => {
  const http = ctx.switchToHttp();
  const request = http.getRequest<FastifyRequest>();
  const reply = http.getResponse<FastifyReply>();
  const principal = request.principal as Principal;
  return {
    workspaceId: principal.workspaceId,
    userId: principal.kind === 'user' ? principal.userId : null,
    requestId: String(request.id),
    signal: clientGoneSignal(reply),
    started: Date.now() - (reply.elapsedTime ?? 0),
    respondAsync: prefersRespondAsync(request.headers.prefer),
  };
});
