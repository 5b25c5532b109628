import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect } from 'node:net';
import { createApiApp } from '../../apps/api/src/app.factory';

/**
 * Answers given before the exception filter runs (Node's HTTP parser, Fastify's router, Fastify while it
 * closes) over a real socket: each in the one error shape, with a request id.
 */
const expectShape = (body: unknown, status: number, code: string) =>
  expect(body).toEqual({
    statusCode: status,
    error: expect.any(String),
    code,
    message: expect.any(String),
    details: [],
    requestId: expect.any(String),
  });

/** Sends raw bytes and reads every answer on the connection until the server closes it. */
function exchange(port: number, writes: string[], between?: () => Promise<void>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.on('connect', async () => {
      socket.write(writes[0]);
      if (between) await between();
      for (const w of writes.slice(1)) socket.write(w);
    });
  });
}

const bodies = (text: string) =>
  [...text.matchAll(/\r\n\r\n(\{[^\r]*?\})(?=HTTP\/1\.1|$)/g)].map((m) => JSON.parse(m[1]) as Record<string, unknown>);

describe('errors answered outside the exception filter (security)', () => {
  let app: NestFastifyApplication;
  let port: number;
  beforeAll(async () => {
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpAdapter().getInstance().server.address() as { port: number }).port;
  });
  afterAll(() => app?.close());

  it('answers headers too large with 431 in the error shape', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { 'x-big': 'a'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
    expectShape(await res.json(), 431, 'HEADERS_TOO_LARGE');
  });

  it('answers a request that is not HTTP with 400 in the error shape', async () => {
    const text = await exchange(port, ['NOT HTTP AT ALL\r\n\r\n']);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expectShape(bodies(text)[0], 400, 'BAD_REQUEST');
  });

  it('answers a path parameter over 100 characters with 400 PARAMETER_TOO_LONG, not a bare 414', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/leads/${'a'.repeat(200)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
    expectShape(await res.json(), 400, 'PARAMETER_TOO_LONG');
  });
});

describe('shutdown (security)', () => {
  it('answers a request arriving while the server drains with 503 SHUTTING_DOWN in the error shape', async () => {
    const app = await createApiApp({ logger: false });
    const fastify = app.getHttpAdapter().getInstance();
    let reached!: () => void;
    const inFlight = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    fastify.addHook('preHandler', async (request) => {
      if (request.url === '/api/health?hold=1') {
        reached();
        await held;
      }
    });
    let started!: () => void;
    const closingStarted = new Promise<void>((resolve) => (started = resolve));
    fastify.addHook('preClose', (done) => {
      started();
      done();
    });
    await app.listen(0, '127.0.0.1');
    const port = (fastify.server.address() as { port: number }).port;
    let closing: Promise<void> | undefined;
    // One keep-alive connection: the first request is held, the server starts closing, the second arrives.
    const text = await exchange(
      port,
      ['GET /api/health?hold=1 HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n'],
      async () => {
        await inFlight;
        // The held request finishes once the second one has reached the server, which is closing by then.
        fastify.server.on('request', (req: { url?: string }) => {
          if (req.url === '/api/health') release();
        });
        closing = app.close();
        await closingStarted;
      },
    );
    await closing;
    const answers = bodies(text);
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatchObject({ status: 'healthy' });
    expect(text).toMatch(/HTTP\/1\.1 503 /);
    expectShape(answers[1], 503, 'SHUTTING_DOWN');
  });
});
