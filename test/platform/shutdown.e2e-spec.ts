import { createApiApp } from '../../apps/api/src/app.factory';

// SIGTERM calls app.close(): the server stops accepting, lets in-flight requests finish, then closes pools.
describe('graceful shutdown', () => {
  it('finishes an in-flight request before closing, and refuses new connections meanwhile', async () => {
    const app = await createApiApp({ logger: false });
    const fastify = app.getHttpAdapter().getInstance();
    let reached!: () => void;
    const inFlight = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Hold the health check mid-request so that the shutdown starts while it is in flight.
    fastify.addHook('preHandler', async (request) => {
      if (request.url === '/api/health') {
        reached();
        await held;
      }
    });
    await app.listen(0, '127.0.0.1');
    const port = (fastify.server.address() as { port: number }).port;

    const pending = fetch(`http://127.0.0.1:${port}/api/health`, { headers: { connection: 'close' } });
    await inFlight;
    let closed = false;
    const closing = app.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();

    release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('healthy');
    await closing;
    expect(closed).toBe(true);
  });
});
