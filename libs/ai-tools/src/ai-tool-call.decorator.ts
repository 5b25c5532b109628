import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientGoneSignal, Principal } from '@crescendo/platform';
import type { AiToolCall } from './ai-tools.service';

/** The caller, the request id, the request's start (for meta.duration) and a signal that fires if the client leaves. */
export const CurrentAiToolCall = createParamDecorator((_: unknown, ctx: ExecutionContext): AiToolCall => {
  const http = ctx.switchToHttp();
  const request = http.getRequest<FastifyRequest>();
  const reply = http.getResponse<FastifyReply>();
  return {
    principal: request.principal as Principal,
    requestId: String(request.id),
    signal: clientGoneSignal(reply),
    started: Date.now() - (reply.elapsedTime ?? 0),
  };
});
