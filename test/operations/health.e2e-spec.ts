import { QueueName } from '@crescendo/platform';
import { randomUUID } from 'node:crypto';
import { createTestApp, metricsAuth, signUp, TestApp } from '../helpers/test-app';

describe('GET /api/health', () => {
  let t: TestApp;
  // An instance administrator of this app only (root-admin@crescendo.test is registered by another spec).
  const adminEmail = `health-admin-${randomUUID()}@crescendo.test`;
  const previousAdmins = process.env.ADMIN_EMAILS;
  beforeAll(async () => {
    process.env.ADMIN_EMAILS = `${previousAdmins},${adminEmail}`;
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    process.env.ADMIN_EMAILS = previousAdmins;
  });

  it('answers anonymous callers the status only: no database, Redis, queue, AI, memory or uptime figures', async () => {
    const res = await t.http().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'healthy' });
  });

  it('answers the status only to a wrong token and to a user who is not an instance administrator', async () => {
    const user = await signUp(t);
    for (const headers of [{ Authorization: 'Bearer not-the-metrics-token' }, user.auth]) {
      const res = await t.http().get('/api/health').set(headers);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'healthy' });
    }
  });

  it('shows the details to an instance administrator', async () => {
    const admin = await signUp(t, { email: adminEmail });
    const res = await t.http().get('/api/health').set(admin.auth);
    expect(res.body).toMatchObject({ status: 'healthy', database: 'connected', redis: 'connected' });
    expect(res.body.memory.used).toBeGreaterThan(0);
  });

  it('answers healthy with the database, Redis, queues, memory and uptime, to the metrics token', async () => {
    const res = await t.http().get('/api/health').set(metricsAuth());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'healthy',
      database: 'connected',
      redis: 'connected',
      // Every queue, with its counts (other specs leave jobs waiting for a worker that is not running).
      queues: Object.fromEntries(
        Object.values(QueueName).map((queue) => [
          queue,
          {
            waiting: expect.any(Number),
            active: expect.any(Number),
            delayed: expect.any(Number),
            failed: expect.any(Number),
          },
        ]),
      ),
      ai: { configured: false, providers: [] },
      memory: { used: expect.any(Number), total: expect.any(Number), percentage: expect.any(Number) },
      uptime: expect.any(Number),
      timestamp: expect.any(String),
    });
    expect(res.body.memory.used).toBeGreaterThan(0);
    expect(res.body.memory.total).toBeGreaterThanOrEqual(res.body.memory.used);
    expect(res.body.memory.percentage).toBeGreaterThan(0);
    expect(res.body.memory.percentage).toBeLessThanOrEqual(100);
    expect(new Date(res.body.timestamp).toISOString()).toBe(res.body.timestamp);
  });

  it('is not rate limited', async () => {
    const res = await t.http().get('/api/health');
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('is documented in the OpenAPI document with its answers', async () => {
    const doc = await t.http().get('/docs-json');
    const op = doc.body.paths['/api/health'].get;
    expect(op.operationId).toBe('getHealth');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '503']));
  });
});
