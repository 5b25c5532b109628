import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { keptJsonOf } from './analytics-answers.service';

/**
 * Sends a replayed stats answer as the JSON bytes kept with it (see AnalyticsAnswers), rather than letting
 * Fastify serialise the same object again; any other answer goes through untouched.
 */
@Injectable()
export class KeptJsonInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        const json = keptJsonOf(value);
        if (!json) return value;
        context.switchToHttp().getResponse<FastifyReply>().header('content-type', 'application/json; charset=utf-8');
        return json;
      }),
    );
  }
}
