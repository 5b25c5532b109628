import { JobName, QueueRegistry } from '@crescendo/platform';
import { createTestApp, expectError, randomIp, TestApp } from '../helpers/test-app';

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
      .enqueue(JobName.CollectMetrics, { trigger: 'manual' }, { delay: 3_600_000 });

    const res = await t.http().get('/api/metrics');
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

  it('needs no credentials, is not rate limited, and is documented as text/plain', async () => {
    const res = await t.http().get('/api/metrics');
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    const doc = await t.http().get('/docs-json');
    const op = doc.body.paths['/api/metrics'].get;
    expect(op.operationId).toBe('getMetrics');
    expect(op.responses['200'].content['text/plain'].schema.type).toBe('string');
  });
});
