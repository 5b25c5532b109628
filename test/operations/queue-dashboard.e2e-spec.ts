import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

/** root-admin@crescendo.test is in ADMIN_EMAILS (test-env.ts); it can be registered once per run, here. */
describe('Bull Board at /admin/queues', () => {
  let t: TestApp;
  let admin: TestUser;
  let member: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await signUp(t, { email: 'root-admin@crescendo.test', name: 'Root Admin' });
    member = await signUp(t);
  });
  afterAll(() => t.close());

  it('answers 401 in the error shape without credentials, for pages and the board API', async () => {
    expectError(await t.http().get('/admin/queues'), 401, 'AUTH_REQUIRED');
    expectError(await t.http().get('/admin/queues/api/queues'), 401, 'AUTH_REQUIRED');
  });

  it('answers 401 for an invalid token or an unknown refresh cookie', async () => {
    expectError(await t.http().get('/admin/queues').set('Authorization', 'Bearer not-a-jwt'), 401, 'INVALID_TOKEN');
    expectError(await t.http().get('/admin/queues').set('Cookie', 'refreshToken=unknown'), 401, 'INVALID_TOKEN');
  });

  it('answers 403 for a signed-in user who is not an instance administrator', async () => {
    expectError(
      await t.http().get('/admin/queues').set('Authorization', `Bearer ${member.accessToken}`),
      403,
      'ADMIN_REQUIRED',
    );
    expectError(
      await t.http().get('/admin/queues/api/queues').set('Cookie', `refreshToken=${member.refreshToken}`),
      403,
      'ADMIN_REQUIRED',
    );
  });

  it('serves the board to an administrator, by Bearer token or by refresh cookie', async () => {
    const page = await t.http().get('/admin/queues').set('Authorization', `Bearer ${admin.accessToken}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Crescendo queues');

    const api = await t.http().get('/admin/queues/api/queues').set('Cookie', `refreshToken=${admin.refreshToken}`);
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name)).toContain('maintenance');
  });

  it('refuses a revoked session cookie', async () => {
    await t.db.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1`, [admin.id]);
    expectError(
      await t.http().get('/admin/queues').set('Cookie', `refreshToken=${admin.refreshToken}`),
      401,
      'INVALID_TOKEN',
    );
  });
});
