import { ArgumentsHost, BadRequestException, NotFoundException } from '@nestjs/common';
import { AppException } from './app.exception';
import { HttpExceptionFilter } from './http-exception.filter';
import { ServerErrorRecorder } from './server-error-recorder';

function harness() {
  const sent: { status?: number; body?: any } = {};
  const reply = {
    sent: false,
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header() {
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const request = { id: 'req-1', method: 'GET', url: '/api/things?x=1', routeOptions: { url: '/api/things' } };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  const recorded: unknown[] = [];
  const recorder: ServerErrorRecorder = {
    record: async (error: unknown) => {
      recorded.push(error);
    },
  };
  return { sent, host, recorded, filter: new HttpExceptionFilter(recorder) };
}

describe('HttpExceptionFilter', () => {
  it('maps a domain exception to the error shape with its code and details', () => {
    const { sent, host, filter } = harness();
    filter.catch(new AppException(409, 'EMAIL_TAKEN', 'taken', [{ field: 'email', message: 'taken' }]), host);
    expect(sent).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        code: 'EMAIL_TAKEN',
        message: 'taken',
        details: [{ field: 'email', message: 'taken' }],
        requestId: 'req-1',
      },
    });
  });

  it('answers 401 USER_ERASED for a write the erased-user guard refused (bare pg error or TypeORM-wrapped), unrecorded', () => {
    for (const error of [
      Object.assign(new Error('a row of leads names an erased or unknown user in owner_id'), { code: 'CR410' }),
      Object.assign(new Error('query failed'), { driverError: { code: 'CR410' } }),
    ]) {
      const { sent, host, recorded, filter } = harness();
      filter.catch(error, host);
      expect(sent).toMatchObject({ status: 401, body: { statusCode: 401, code: 'USER_ERASED' } });
      expect(sent.body.message).not.toContain('owner_id');
      expect(recorded).toEqual([]);
    }
  });

  it('maps an unexpected error to a 500 without stack or internals, and records it', () => {
    const { sent, host, recorded, filter } = harness();
    const error = new Error('relation "secret_table" does not exist');
    filter.catch(error, host);
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      code: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred; quote the request id to support',
      details: [],
      requestId: 'req-1',
    });
    expect(JSON.stringify(sent.body)).not.toMatch(/secret_table|at /);
    expect(recorded).toEqual([error]);
  });

  it("maps Nest's HTTP exceptions and Fastify's client errors with default codes", () => {
    const a = harness();
    a.filter.catch(new BadRequestException('nope'), a.host);
    expect(a.sent.body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST', message: 'nope' });
    const b = harness();
    b.filter.catch(new NotFoundException('Cannot GET /api/x'), b.host);
    expect(b.sent.body).toMatchObject({
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
      message: 'Route GET /api/things does not exist',
    });
    const c = harness();
    c.filter.catch(
      Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }),
      c.host,
    );
    expect(c.sent.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(c.recorded).toEqual([]);
  });
});
