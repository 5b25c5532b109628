import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  Optional,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException, ErrorDetail } from './app.exception';
import { isRedisUnavailableError, redisUnavailable } from '../redis/redis-unavailable';
import { ServerErrorRecorder } from './server-error-recorder';

interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details: ErrorDetail[];
  requestId: string;
  [key: string]: unknown;
}

const defaultCodes: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** What Postgres raises for a row naming an erased user (the guard triggers of migration ErasedUserGuard). */
export const ERASED_USER_SQLSTATE = 'CR410';

/** The SQLSTATE of a pg error, bare or wrapped by TypeORM (QueryFailedError.driverError). */
function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps every error, ours, Nest's and Fastify's, to the one error shape. Never leaks a stack. */
@Catch()
@Injectable()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(@Optional() private readonly recorder?: ServerErrorRecorder) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const body = this.toBody(isRedisUnavailableError(exception) ? redisUnavailable() : exception, request);

    if (body.statusCode >= 500 && body.statusCode !== 503) {
      this.logger.error({ err: exception, requestId: body.requestId }, 'Unhandled error');
      void this.recorder?.record(exception, request, body.requestId);
    }
    if (reply.sent) return;
    if (typeof body.retryAfter === 'number' && !reply.hasHeader('retry-after'))
      reply.header('Retry-After', String(body.retryAfter));
    reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): ErrorBody {
    const requestId = String(request.id);
    if (exception instanceof AppException) {
      return {
        statusCode: exception.status,
        error: STATUS_CODES[exception.status] ?? 'Error',
        code: exception.code,
        message: exception.message,
        details: exception.details,
        requestId,
        ...exception.extra,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      let message = exception.message;
      if (typeof response === 'object' && response !== null) {
        const m = (response as { message?: unknown }).message;
        if (typeof m === 'string') message = m;
        else if (Array.isArray(m)) message = m.join('; ');
      }
      if (status === 404 && exception.constructor.name === 'NotFoundException' && /^Cannot /.test(message)) {
        message = `Route ${request.method} ${request.url.split('?')[0]} does not exist`;
        return this.shape(404, 'ROUTE_NOT_FOUND', message, requestId);
      }
      // Nest wraps Fastify's body-parser errors (bad JSON, too large, wrong type) in plain HttpExceptions.
      const code = status === 400 && /JSON/.test(message) ? 'INVALID_JSON' : (defaultCodes[status] ?? 'ERROR');
      return this.shape(status, code, message, requestId);
    }
    // A write naming a user whose erasure has begun (migration ErasedUserGuard): their request came too late, and
    // its credentials name no one any more (401, as every authenticated route documents).
    if (sqlState(exception) === ERASED_USER_SQLSTATE) {
      return this.shape(401, 'USER_ERASED', 'This account has been erased', requestId);
    }
    // Errors raised by Fastify itself (bad JSON, body too large, unsupported media type...).
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (
      typeof fastifyError?.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      const status = fastifyError.statusCode;
      const code =
        fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(fastifyError.message ?? '')
          ? 'INVALID_JSON'
          : (defaultCodes[status] ?? 'BAD_REQUEST');
      return this.shape(status, code, fastifyError.message ?? STATUS_CODES[status] ?? 'Error', requestId);
    }
    return this.shape(
      500,
      'INTERNAL_ERROR',
      'An unexpected error occurred; quote the request id to support',
      requestId,
    );
  }

  private shape(statusCode: number, code: string, message: string, requestId: string): ErrorBody {
    return {
      statusCode,
      error: STATUS_CODES[statusCode] ?? (statusCode === HttpStatus.TOO_MANY_REQUESTS ? 'Too Many Requests' : 'Error'),
      code,
      message,
      details: [],
      requestId,
    };
  }
}
