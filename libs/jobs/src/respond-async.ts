import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  HttpCode,
  NestInterceptor,
  Type,
  UseInterceptors,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { JobAcceptedResponseDto } from './jobs.dto';

/** Whether a Prefer header (RFC 7240: `token[=value][; params]`, comma-separated, any case) asks respond-async. */
export function prefersRespondAsync(header: string | string[] | undefined): boolean {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  return values.some((value) =>
    value.split(',').some((preference) => preference.split(/[;=]/)[0].trim().toLowerCase() === 'respond-async'),
  );
}

const acceptedHeaders = {
  Location: { description: 'The job to follow: GET it, or its /events for live progress', schema: { type: 'string' } },
};

/**
 * Answers a JobAcceptedResponseDto (what JobTrackerService.submit returns) as 202 with a Location header,
 * and says `Preference-Applied: respond-async` when the request asked for it; other answers pass unchanged.
 */
export class JobAcceptedInterceptor implements NestInterceptor {
  /** varyOnPrefer: the answer depends on the Prefer header (caches must key on it). */
  constructor(private readonly varyOnPrefer = false) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    if (this.varyOnPrefer) {
      const reply = http.getResponse<FastifyReply>();
      const vary = reply.getHeader('vary');
      reply.header('Vary', vary ? `${String(vary)}, Prefer` : 'Prefer'); // keeps CORS's Vary: Origin
    }
    return next.handle().pipe(
      map((body: unknown) => {
        if (body instanceof JobAcceptedResponseDto) {
          const reply = http.getResponse<FastifyReply>();
          reply.status(202).header('Location', body.statusUrl);
          if (prefersRespondAsync(http.getRequest<FastifyRequest>().headers.prefer)) {
            reply.header('Preference-Applied', 'respond-async');
          }
        }
        return body;
      }),
    );
  }
}

/** A route that always queues a tracked job: 202, the job id, its status URL and a Location header. */
export function AcceptsJob(
  description = 'Queued: follow the job at statusUrl (also in Location)',
  type: Type<JobAcceptedResponseDto> = JobAcceptedResponseDto,
) {
  return applyDecorators(
    HttpCode(202),
    ApiAcceptedResponse({ type, description, headers: acceptedHeaders }),
    UseInterceptors(new JobAcceptedInterceptor()),
  );
}

/**
 * A route that answers 200 with its result when the work is small and 202 with a tracked job otherwise
 * (the handler returns what JobTrackerService.submit gave): the 202 carries the same Location header.
 */
export function MayAcceptJob(description: string) {
  return applyDecorators(
    ApiAcceptedResponse({ type: JobAcceptedResponseDto, description, headers: acceptedHeaders }),
    UseInterceptors(new JobAcceptedInterceptor()),
  );
}

/**
 * A synchronous route that can also run as a tracked job (RFC 7240): with `Prefer: respond-async` it
 * answers 202 at once, and the job's result is exactly the body the 200 would have had. The handler
 * decides (see prefersRespondAsync) and returns either that body or what JobTrackerService.submit gave.
 */
export function RespondAsync(okType: Type<unknown>) {
  return applyDecorators(
    HttpCode(200),
    ApiHeader({
      name: 'Prefer',
      required: false,
      description: '`respond-async`: queue the work as a job and answer 202 at once; its result is the 200 body',
      schema: { type: 'string', example: 'respond-async' },
    }),
    ApiOkResponse({ type: okType }),
    ApiAcceptedResponse({
      type: JobAcceptedResponseDto,
      description:
        'Prefer: respond-async: queued as a job (GET statusUrl, or follow /events); its result is the 200 body',
      headers: {
        ...acceptedHeaders,
        'Preference-Applied': { description: '`respond-async`', schema: { type: 'string' } },
      },
    }),
    UseInterceptors(new JobAcceptedInterceptor(true)),
  );
}
