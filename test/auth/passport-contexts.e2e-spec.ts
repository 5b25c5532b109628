import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestApp, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';

/**
 * passport keeps one strategy per name for the whole process. Application contexts opened and closed in one
 * process (a worker beside the API in a spec, a second app) must leave each open app authenticating with
 * strategies bound to its own, open, database and cache.
 */
describe("passport's strategies across application contexts in one process", () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  const open = async () => {
    const app = await createTestApp();
    apps.push(app);
    return app;
  };
  const close = async (app: TestApp) => {
    apps.splice(apps.indexOf(app), 1);
    await app.close();
  };
  /** A Bearer access token and an API key both authenticate on `app`. */
  const authenticates = async (app: TestApp, user: TestUser, apiKey: string) => {
    const me = await app.http().get('/api/auth/me').set(user.auth);
    expect([me.status, me.body.id ?? me.body.user?.id]).toEqual([200, user.id]);
    const leads = await app.http().get('/api/leads').set({ 'X-API-Key': apiKey, 'X-Forwarded-For': randomIp() });
    expect(leads.status).toBe(200);
  };

  it('an app keeps authenticating after later contexts close, and a new app after the earlier ones close', async () => {
    const first = await open();
    const user = await signUp(first);
    const created = await first
      .http()
      .post('/api/security/api-keys')
      .set(user.auth)
      .send({ name: 'contexts', scopes: ['leads:read'] })
      .expect(201);
    const apiKey: string = created.body.key;

    const second = await open();
    const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.close();
    await authenticates(second, user, apiKey);

    await close(second);
    await authenticates(first, user, apiKey);

    await close(first);
    const third = await open();
    await authenticates(third, user, apiKey);
  }, 120_000);
});
