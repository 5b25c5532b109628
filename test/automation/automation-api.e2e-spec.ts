import { randomUUID } from 'node:crypto';
import { jobQueue, QueueRegistry } from '@crescendo/platform';
import { AutomationJobs } from '@crescendo/automation';
import { withPrivateUrls } from '../helpers/private-urls';
import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe('automation rules API (/api/marketing/automation)', () => {
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;
  let ruleId: string;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t);
    other = await signUp(t);
  });
  afterAll(() => t.close());

  const create = (user: TestUser, body: Record<string, unknown>) =>
    t.http().post('/api/marketing/automation').set(user.auth).send(body);
  const schedulers = async () =>
    (await t.app.get(QueueRegistry).get(jobQueue(AutomationJobs.AutomationScheduledRule)).getJobSchedulers()).map(
      (s) => [s.key, s.pattern],
    );

  it('POST creates a rule (201): trigger options kept, conditions validated, actions in order', async () => {
    const res = await create(owner, {
      name: 'Qualify VIPs',
      trigger: { type: 'lead.status_changed', to: 'qualified' },
      conditions: { combinator: 'and', rules: [{ field: 'tags', operator: 'has_tag', value: 'vip' }] },
      actions: [
        { type: 'add_tag', tag: ' Priority ' },
        { type: 'set_score', score: 90, tag: 'ignored' },
        { type: 'notify', channel: 'audit', message: 'VIP {{lead.name}} qualified' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      success: true,
      data: {
        id: expect.any(String),
        name: 'Qualify VIPs',
        description: null,
        status: 'active',
        trigger: { type: 'lead.status_changed', to: 'qualified' },
        conditions: { combinator: 'and', rules: [{ field: 'tags', operator: 'has_tag', value: 'vip' }] },
        actions: [
          { type: 'add_tag', tag: 'priority' },
          { type: 'set_score', score: 90 },
          { type: 'notify', channel: 'audit', message: 'VIP {{lead.name}} qualified' },
        ],
        consecutiveFailures: 0,
        pausedReason: null,
        lastRunAt: null,
        createdById: owner.id,
        createdAt: iso,
        updatedAt: iso,
      },
    });
    ruleId = res.body.data.id;
  });

  it('400 for a bad trigger, bad conditions or bad actions', async () => {
    const base = { name: 'Bad', actions: [{ type: 'add_tag', tag: 'x' }], trigger: { type: 'lead.created' } };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ trigger: { type: 'schedule' } }, 'INVALID_AUTOMATION_TRIGGER', 'trigger.cron'],
      [{ trigger: { type: 'schedule', cron: '* * * * * *' } }, 'INVALID_AUTOMATION_TRIGGER', 'trigger.cron'],
      [{ trigger: { type: 'schedule', cron: '61 * * * *' } }, 'INVALID_AUTOMATION_TRIGGER', 'trigger.cron'],
      [{ trigger: { type: 'lead.created', tag: 'x' } }, 'INVALID_AUTOMATION_TRIGGER', 'trigger.tag'],
      [{ trigger: { type: 'lead.deleted' } }, 'VALIDATION_FAILED', 'trigger.type'],
      [{ trigger: { type: 'lead.status_changed', to: 'zombie' } }, 'VALIDATION_FAILED', 'trigger.to'],
      [
        { conditions: { combinator: 'and', rules: [{ field: 'score', operator: 'gt', value: 'high' }] } },
        'INVALID_SEGMENT_RULES',
        'conditions.rules[0].value',
      ],
      [{ actions: [] }, 'VALIDATION_FAILED', 'actions'],
      [{ actions: [{ type: 'set_score', score: 101 }] }, 'VALIDATION_FAILED', 'actions.0.score'],
      [{ actions: [{ type: 'call_webhook', url: 'ftp://example.com' }] }, 'VALIDATION_FAILED', 'actions.0.url'],
      [{ actions: [{ type: 'notify', channel: 'sms', message: 'x' }] }, 'VALIDATION_FAILED', 'actions.0.channel'],
      [{ actions: [{ type: 'change_status' }] }, 'VALIDATION_FAILED', 'actions.0.status'],
      [{ actions: [{ type: 'launch_rocket' }] }, 'VALIDATION_FAILED', 'actions.0.type'],
    ];
    for (const [patch, code, field] of cases) {
      const res = await create(owner, { ...base, ...patch });
      expectError(res, 400, code);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const cron = await create(owner, { ...base, trigger: { type: 'schedule', cron: '61 * * * *' } });
    expect(cron.body.details).toContainEqual({ field: 'trigger.cron', message: 'minute: values go from 0 to 59' });
  });

  describe('call_webhook URLs pass the SSRF guard when stored', () => {
    const hook = (url: string) => ({ type: 'call_webhook', url });
    const base = { trigger: { type: 'lead.created' } };
    // Its own workspace, so the rules it stores do not change the counts the other tests expect.
    let author: TestUser;
    beforeAll(async () => {
      author = await signUp(t);
    });

    it.each([
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::127.0.0.1]/hook',
      'http://[64:ff9b::a9fe:a9fe]/latest',
    ])('POST refuses %s with 400 WEBHOOK_URL_NOT_ALLOWED naming the action', async (url) => {
      const name = `SSRF ${randomUUID()}`;
      const res = await create(author, { ...base, name, actions: [{ type: 'add_tag', tag: 'x' }, hook(url)] });
      expectError(res, 400, 'WEBHOOK_URL_NOT_ALLOWED');
      expect(res.body.details).toEqual([{ field: 'actions.1.url', message: expect.any(String) }]);
      const stored = await t.db.query(`SELECT 1 FROM automation_rules WHERE name = $1`, [name]);
      expect(stored).toEqual([]);
    });

    it('PUT refuses a private URL and keeps the stored actions (stored with private URLs allowed)', async () => {
      // Loopback, accepted only with the instance switch on (the refusals above show it is off by default).
      const storedHook = hook('http://127.0.0.1:9/crescendo');
      const created = await withPrivateUrls(t, true, () =>
        create(author, { ...base, name: `Hook ${randomUUID()}`, actions: [storedHook] }),
      );
      expect(created.status).toBe(201);
      const id = created.body.data.id;
      const res = await t
        .http()
        .put(`/api/marketing/automation/${id}`)
        .set(author.auth)
        .send({ actions: [hook('http://[::ffff:7f00:1]:6379/')] });
      expectError(res, 400, 'WEBHOOK_URL_NOT_ALLOWED');
      expect(res.body.details).toEqual([{ field: 'actions.0.url', message: expect.any(String) }]);
      const got = await t.http().get(`/api/marketing/automation/${id}`).set(author.auth).expect(200);
      expect(got.body.data.actions).toEqual([storedHook]);
    });
  });

  it('409 AUTOMATION_RULE_NAME_TAKEN in the same workspace only', async () => {
    const body = { name: 'Qualify VIPs', trigger: { type: 'lead.created' }, actions: [{ type: 'add_tag', tag: 'x' }] };
    expectError(await create(owner, body), 409, 'AUTOMATION_RULE_NAME_TAKEN');
    expect((await create(other, body)).status).toBe(201);
  });

  it('404 CAMPAIGN_NOT_FOUND for an enroll_in_campaign action naming another workspace’s campaign', async () => {
    const foreign = (
      await t.http().post('/api/campaigns').set(other.auth).send({ name: 'Theirs', type: 'email' }).expect(201)
    ).body;
    const res = await create(owner, {
      name: 'Enroll',
      trigger: { type: 'lead.created' },
      actions: [{ type: 'enroll_in_campaign', campaignId: foreign.id }],
    });
    expectError(res, 404, 'CAMPAIGN_NOT_FOUND');
    expectError(
      await create(owner, {
        name: 'Enroll',
        trigger: { type: 'lead.created' },
        actions: [{ type: 'enroll_in_campaign', campaignId: 'x' }],
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('GET lists rules in the seed envelope with filters', async () => {
    await create(owner, {
      name: 'Nightly',
      trigger: { type: 'schedule', cron: '0  3 * * *' },
      actions: [{ type: 'set_score', score: 1 }],
      status: 'paused',
    }).expect(201);
    const res = await t.http().get('/api/marketing/automation?page=1&pageSize=1').set(owner.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      metadata: {
        page: 1,
        pageSize: 1,
        total: 2,
        totalPages: 2,
        totalIsEstimate: false,
        nextCursor: expect.any(String),
        prevCursor: null,
      },
    });
    expect(res.body.data).toEqual([
      expect.objectContaining({ name: 'Nightly', trigger: { type: 'schedule', cron: '0 3 * * *' } }),
    ]);
    const paused = await t.http().get('/api/marketing/automation?status=paused').set(owner.auth).expect(200);
    expect(paused.body.data.map((r: { name: string }) => r.name)).toEqual(['Nightly']);
    const byTrigger = await t
      .http()
      .get('/api/marketing/automation?triggerType=lead.status_changed')
      .set(owner.auth)
      .expect(200);
    expect(byTrigger.body.data.map((r: { name: string }) => r.name)).toEqual(['Qualify VIPs']);
    expectError(await t.http().get('/api/marketing/automation?status=sleeping').set(owner.auth), 400);
  });

  it('a schedule rule has a BullMQ job scheduler while active, none when paused or deleted', async () => {
    const res = await create(owner, {
      name: 'Every 5 minutes',
      trigger: { type: 'schedule', cron: '*/5 * * * *' },
      actions: [{ type: 'add_tag', tag: 'tick' }],
    }).expect(201);
    const id = res.body.data.id;
    const key = `automation-rule-${id}`;
    expect(await schedulers()).toContainEqual([key, '*/5 * * * *']);
    await t
      .http()
      .put(`/api/marketing/automation/${id}`)
      .set(owner.auth)
      .send({ trigger: { type: 'schedule', cron: '0 * * * *' } })
      .expect(200);
    expect(await schedulers()).toContainEqual([key, '0 * * * *']);
    await t.http().put(`/api/marketing/automation/${id}/status`).set(owner.auth).send({ status: 'paused' }).expect(200);
    expect((await schedulers()).map(([k]) => k)).not.toContain(key);
    await t.http().put(`/api/marketing/automation/${id}/status`).set(owner.auth).send({ status: 'active' }).expect(200);
    expect(await schedulers()).toContainEqual([key, '0 * * * *']);
    await t.http().delete(`/api/marketing/automation/${id}`).set(owner.auth).expect(204);
    expect((await schedulers()).map(([k]) => k)).not.toContain(key);
  });

  it('GET /:id, PUT /:id (partial), PUT /:id/status (pausing says why, activating resets)', async () => {
    await t.http().get(`/api/marketing/automation/${ruleId}`).set(owner.auth).expect(200);
    const res = await t
      .http()
      .put(`/api/marketing/automation/${ruleId}`)
      .set(owner.auth)
      .send({ description: 'VIPs first', conditions: null });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Qualify VIPs', description: 'VIPs first', conditions: null });
    expect(res.body.data.actions).toHaveLength(3);
    const paused = await t
      .http()
      .put(`/api/marketing/automation/${ruleId}/status`)
      .set(owner.auth)
      .send({ status: 'paused' });
    expect(paused.body.data).toMatchObject({ status: 'paused', pausedReason: 'Paused by a user' });
    await t.db.query('UPDATE automation_rules SET consecutive_failures = 4 WHERE id = $1', [ruleId]);
    const active = await t
      .http()
      .put(`/api/marketing/automation/${ruleId}/status`)
      .set(owner.auth)
      .send({ status: 'active' });
    expect(active.body.data).toMatchObject({ status: 'active', pausedReason: null, consecutiveFailures: 0 });
    expectError(
      await t.http().put(`/api/marketing/automation/${ruleId}/status`).set(owner.auth).send({ status: 'on' }),
      400,
    );
    expectError(
      await t.http().put(`/api/marketing/automation/${ruleId}`).set(owner.auth).send({ name: 'Nightly' }),
      409,
    );
  });

  it('GET /:id/runs pages the run log (empty for a new rule)', async () => {
    const res = await t.http().get(`/api/marketing/automation/${ruleId}/runs?pageSize=5`).set(owner.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      data: [],
      metadata: {
        page: 1,
        pageSize: 5,
        total: 0,
        totalPages: 0,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      },
    });
  });

  it('403 for a viewer’s writes (a viewer reads); 404 for another workspace’s rule; 401 without a token', async () => {
    const viewer = await addMember(t, owner, 'viewer');
    const body = { name: 'V', trigger: { type: 'lead.created' }, actions: [{ type: 'add_tag', tag: 'x' }] };
    expectError(await create(viewer, body), 403);
    expectError(await t.http().put(`/api/marketing/automation/${ruleId}`).set(viewer.auth).send({ name: 'x' }), 403);
    expectError(
      await t.http().put(`/api/marketing/automation/${ruleId}/status`).set(viewer.auth).send({ status: 'paused' }),
      403,
    );
    expectError(await t.http().delete(`/api/marketing/automation/${ruleId}`).set(viewer.auth), 403);
    await t.http().get(`/api/marketing/automation/${ruleId}/runs`).set(viewer.auth).expect(200);

    for (const path of ['', '/runs']) {
      expectError(
        await t.http().get(`/api/marketing/automation/${ruleId}${path}`).set(other.auth),
        404,
        'AUTOMATION_RULE_NOT_FOUND',
      );
      expectError(await t.http().get(`/api/marketing/automation/${randomUUID()}${path}`).set(owner.auth), 404);
    }
    expectError(await t.http().put(`/api/marketing/automation/${ruleId}`).set(other.auth).send({ name: 'x' }), 404);
    expectError(
      await t.http().put(`/api/marketing/automation/${ruleId}/status`).set(other.auth).send({ status: 'paused' }),
      404,
    );
    expectError(await t.http().delete(`/api/marketing/automation/${ruleId}`).set(other.auth), 404);
    expectError(await t.http().get('/api/marketing/automation'), 401);
  });

  it('DELETE removes the rule (204), then 404', async () => {
    await t.http().delete(`/api/marketing/automation/${ruleId}`).set(owner.auth).expect(204);
    expectError(await t.http().get(`/api/marketing/automation/${ruleId}`).set(owner.auth), 404);
  });
});
