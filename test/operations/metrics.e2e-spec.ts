import { QueueRegistry } from '@crescendo/platform';
import { OperationsJobs } from '@crescendo/operations';
import { createTestApp, expectError, metricsAuth, randomIp, signUp, TestApp } from '../helpers/test-app';

describe('GET /api/metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers Prometheus text: HTTP traffic by route, process metrics and queue depths', async () => {
    await t.http().get('/api/health');
    expectError(await t.http().get('/api/auth/me').set('X-Forwarded-For', randomIp()), 401);
    const delayed = await t.app
      .get(QueueRegistry)
      .enqueue(OperationsJobs.CollectMetrics, { trigger: 'manual' }, { delay: 3_600_000 });

    const res = await t.http().get('/api/metrics').set(metricsAuth());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/api\/health",status="200"\} \d+/);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/api\/auth\/me",status="401"\} \d+/);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/api\/health"/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toContain('nodejs_heap_size_used_bytes');
    expect(res.text).toContain('# TYPE queue_jobs gauge');
    expect(res.text).toMatch(/queue_jobs\{queue="maintenance",state="delayed"\} [1-9]\d*/);
    expect(res.text).toMatch(/queue_jobs\{queue="maintenance",state="waiting"\} \d+/);
    await delayed.remove();
  });

  it('answers 401 without the metrics token and 403 with another one, whatever the caller sends', async () => {
    const ip = randomIp();
    const anonymous = await t.http().get('/api/metrics').set('X-Forwarded-For', ip);
    expectError(anonymous, 401, 'METRICS_TOKEN_REQUIRED');
    expect(anonymous.text).not.toContain('http_requests_total');
    for (const authorization of ['Bearer not-the-metrics-token', `Bearer ${process.env.CRON_SECRET}`, 'Basic abc']) {
      const res = await t.http().get('/api/metrics').set({ Authorization: authorization, 'X-Forwarded-For': ip });
      expectError(res, 403, 'METRICS_TOKEN_INVALID');
    }
    const user = await signUp(t);
    expectError(await t.http().get('/api/metrics').set(user.auth), 403, 'METRICS_TOKEN_INVALID');
  });

  it('is not rate limited, and is documented as text/plain behind a bearer token', async () => {
    const res = await t.http().get('/api/metrics').set(metricsAuth());
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    const doc = await t.http().get('/docs-json');
    const op = doc.body.paths['/api/metrics'].get;
    expect(op.operationId).toBe('getMetrics');
    expect(op.responses['200'].content['text/plain'].schema.type).toBe('string');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
  });
});

describe('GET /api/metrics on an instance without METRICS_TOKEN', () => {
  let t: TestApp;
  const previous = process.env.METRICS_TOKEN;
  beforeAll(async () => {
    process.env.METRICS_TOKEN = '';
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    process.env.METRICS_TOKEN = previous;
  });

  it('is closed to everyone, loopback callers and any bearer token included (403 METRICS_DISABLED)', async () => {
    expectError(await t.http().get('/api/metrics'), 403, 'METRICS_DISABLED');
    expectError(await t.http().get('/api/metrics').set('Authorization', 'Bearer '), 403, 'METRICS_DISABLED');
    const health = await t.http().get('/api/health').set('Authorization', 'Bearer ');
    expect(health.body).toEqual({ status: 'healthy' });
  });
});
