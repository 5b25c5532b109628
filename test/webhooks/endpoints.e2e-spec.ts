// Private addresses are refused in this spec (the instance default), except where a test stores its loopback URL.
process.env.WEBHOOKS_ALLOW_PRIVATE_URLS = 'false';

import { withPrivateUrls } from '../helpers/private-urls';
import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

// Loopback, stored with private URLs allowed: no worker runs here, and nothing is ever sent to it.
const HOOK_URL = 'http://127.0.0.1:9/crescendo-hook';

describe('outgoing webhook endpoints: /api/webhooks/endpoints', () => {
  let t: TestApp;
  let owner: TestUser;
  let viewer: TestUser;
  let stranger: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t);
    viewer = await addMember(t, owner, 'viewer');
    stranger = await signUp(t);
  });
  afterAll(() => t.close());

  const create = (user: TestUser, body: Record<string, unknown>) =>
    t.http().post('/api/webhooks/endpoints').set(user.auth).send(body);
  /** The owner's endpoint on the loopback URL, private URLs allowed for that request only. */
  const created = async (body: Record<string, unknown>) => {
    const res = await withPrivateUrls(t, true, () => create(owner, body));
    expect(res.status).toBe(201);
    return res;
  };

  it('creates an endpoint and shows its signing secret once', async () => {
    const res = await created({ url: HOOK_URL, events: ['lead.created', 'lead.created', '*'], description: 'CRM' });
    expect(res.body).toMatchObject({
      url: HOOK_URL,
      events: ['lead.created', '*'],
      description: 'CRM',
      active: true,
      consecutiveFailures: 0,
      disabledReason: null,
      secret: expect.stringMatching(/^whsec_/),
    });
    const stored = await t.db.query(`SELECT secret FROM webhook_endpoints WHERE id = $1`, [res.body.id]);
    expect(stored[0].secret).not.toContain(res.body.secret);

    const got = await t.http().get(`/api/webhooks/endpoints/${res.body.id}`).set(owner.auth).expect(200);
    expect(got.body).not.toHaveProperty('secret');
    const list = await t.http().get('/api/webhooks/endpoints').set(owner.auth).expect(200);
    expect(list.body.data.map((e: { id: string }) => e.id)).toContain(res.body.id);
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
  });

  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['localhost', 'http://localhost/hook'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data'],
    ['private network', 'http://10.0.0.7/hook'],
    ['IPv6 loopback', 'http://[::1]/hook'],
    ['IPv4-compatible IPv6 loopback', 'http://[::127.0.0.1]/hook'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['IPv4-mapped IPv6 loopback in hex', 'http://[::ffff:7f00:1]/hook'],
    ['NAT64 loopback', 'http://[64:ff9b::127.0.0.1]/hook'],
    ['6to4 private network', 'http://[2002:c0a8:101::1]/hook'],
  ])('refuses a %s URL with 400 WEBHOOK_URL_NOT_ALLOWED', async (_label, url) => {
    const res = await create(owner, { url, events: ['*'] });
    expectError(res, 400, 'WEBHOOK_URL_NOT_ALLOWED');
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'url' })]);
  });

  it('400 for a bad URL, unknown event types, no events or unknown fields', async () => {
    for (const body of [
      { url: 'ftp://example.com/x', events: ['*'] },
      { url: 'not a url', events: ['*'] },
      { url: HOOK_URL, events: ['lead.exploded'] },
      { url: HOOK_URL, events: [] },
      { url: HOOK_URL, events: ['*'], secret: 'mine' },
    ]) {
      expectError(await create(owner, body), 400, 'VALIDATION_FAILED');
    }
  });

  it('changes an endpoint; a private URL is refused on update too', async () => {
    const { body: endpoint } = await created({ url: HOOK_URL, events: ['lead.created'] });
    const res = await t
      .http()
      .put(`/api/webhooks/endpoints/${endpoint.id}`)
      .set(owner.auth)
      .send({ events: ['campaign.status_changed'], active: false, description: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ events: ['campaign.status_changed'], active: false, description: null });
    expectError(
      await t.http().put(`/api/webhooks/endpoints/${endpoint.id}`).set(owner.auth).send({ url: 'http://192.168.1.1/' }),
      400,
      'WEBHOOK_URL_NOT_ALLOWED',
    );
  });

  it('re-enabling a disabled endpoint clears its failures', async () => {
    const { body: endpoint } = await created({ url: HOOK_URL, events: ['*'] });
    await t.db.query(
      `UPDATE webhook_endpoints SET active = false, consecutive_failures = 10, disabled_reason = 'Disabled' WHERE id = $1`,
      [endpoint.id],
    );
    const res = await t.http().put(`/api/webhooks/endpoints/${endpoint.id}`).set(owner.auth).send({ active: true });
    expect(res.body).toMatchObject({ active: true, consecutiveFailures: 0, disabledReason: null });
  });

  it('deletes an endpoint (204), then 404', async () => {
    const { body: endpoint } = await created({ url: HOOK_URL, events: ['*'] });
    await t.http().delete(`/api/webhooks/endpoints/${endpoint.id}`).set(owner.auth).expect(204);
    expectError(
      await t.http().get(`/api/webhooks/endpoints/${endpoint.id}`).set(owner.auth),
      404,
      'WEBHOOK_ENDPOINT_NOT_FOUND',
    );
  });

  it('viewers read but cannot change (403)', async () => {
    const { body: endpoint } = await created({ url: HOOK_URL, events: ['*'] });
    await t.http().get('/api/webhooks/endpoints').set(viewer.auth).expect(200);
    await t.http().get(`/api/webhooks/endpoints/${endpoint.id}/deliveries`).set(viewer.auth).expect(200);
    expectError(await create(viewer, { url: HOOK_URL, events: ['*'] }), 403);
    expectError(
      await t.http().put(`/api/webhooks/endpoints/${endpoint.id}`).set(viewer.auth).send({ active: false }),
      403,
    );
    expectError(await t.http().delete(`/api/webhooks/endpoints/${endpoint.id}`).set(viewer.auth), 403);
    expectError(await t.http().post(`/api/webhooks/endpoints/${endpoint.id}/test`).set(viewer.auth), 403);
    expectError(await t.http().get('/api/webhooks/endpoints'), 401);
  });

  it('another workspace’s endpoint answers 404 on every route; a bad id 400', async () => {
    const { body: endpoint } = await created({ url: HOOK_URL, events: ['*'] });
    const base = `/api/webhooks/endpoints/${endpoint.id}`;
    expectError(await t.http().get(base).set(stranger.auth), 404, 'WEBHOOK_ENDPOINT_NOT_FOUND');
    expectError(await t.http().put(base).set(stranger.auth).send({ active: false }), 404);
    expectError(await t.http().delete(base).set(stranger.auth), 404);
    expectError(await t.http().get(`${base}/deliveries`).set(stranger.auth), 404);
    expectError(await t.http().post(`${base}/test`).set(stranger.auth), 404);
    const list = await t.http().get('/api/webhooks/endpoints').set(stranger.auth).expect(200);
    expect(list.body.pagination.total).toBe(0);
    expectError(await t.http().get('/api/webhooks/endpoints/not-a-uuid').set(owner.auth), 400);
    const still = await t.http().get(base).set(owner.auth).expect(200);
    expect(still.body.active).toBe(true);
  });

  it('paginates', async () => {
    const res = await t.http().get('/api/webhooks/endpoints?page=1&limit=2').set(owner.auth).expect(200);
    expect(res.body.data).toHaveLength(2);
    expect(res.body.pagination).toMatchObject({ page: 1, limit: 2 });
    expectError(await t.http().get('/api/webhooks/endpoints?limit=1000').set(owner.auth), 400);
  });
});
