import { createTestApp, metricsAuth, TestApp } from '../helpers/test-app';

/** An app whose Redis is a closed port: health must say degraded, quickly, and keep serving. */
describe('GET /api/health with Redis unreachable', () => {
  let t: TestApp;
  const previous = process.env.REDIS_URL;
  beforeAll(async () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:6390';
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    process.env.REDIS_URL = previous;
  });

  it('answers 200 degraded with redis and queues disconnected, the database still connected', async () => {
    const started = Date.now();
    const res = await t.http().get('/api/health').set(metricsAuth());
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'degraded',
      database: 'connected',
      redis: 'disconnected',
      queues: 'disconnected',
    });
  });

  it('keeps serving: a second check and a metrics scrape still answer', async () => {
    const again = await t.http().get('/api/health');
    expect(again.body).toEqual({ status: 'degraded' });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('degraded');
    const metrics = await t.http().get('/api/metrics').set(metricsAuth());
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
  });
});
