import { AgentRunsQueue } from '@crescendo/agents';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { addMember, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

/** /api/agents without the worker: CRUD, validation, permissions, isolation, status and schedules. */
describe('agents: CRUD, status and schedules', () => {
  let t: TestApp;
  let bed: AiTestBed;
  let owner: TestUser;
  let viewer: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [
        fake.provider({ name: 'Fake', models: ['fake-model', 'fake-model-mini'] }),
        fake.provider({ name: 'Other', models: ['other-model'] }),
      ],
    });
    ({ t } = bed);
    owner = await signUp(t);
    viewer = await addMember(t, owner, 'viewer');
    stranger = await signUp(t);
  });
  afterAll(() => bed?.close());

  const base = (over: Record<string, unknown> = {}) => ({
    name: `Agent ${Math.random().toString(36).slice(2, 8)}`,
    type: 'lead_qualifier',
    trigger: { type: 'manual' },
    ...over,
  });
  const create = (body: Record<string, unknown>, user = owner) =>
    t.http().post('/api/agents').set(user.auth).send(body);

  it('creates an agent with defaults (first provider, its default model, the type’s tools, limits)', async () => {
    const res = await create(base({ name: 'Qualifier', systemPrompt: 'Be strict.' })).expect(201);
    expect(res.body).toMatchObject({
      name: 'Qualifier',
      type: 'lead_qualifier',
      provider: 'Fake',
      model: 'fake-model',
      systemPrompt: 'Be strict.',
      tools: ['read_leads', 'update_lead_status_score'],
      trigger: { type: 'manual', schedule: null, eventType: null },
      limits: { runsPerDay: 24, tokensPerRun: 4000 },
      status: 'active',
      errorReason: null,
      consecutiveFailures: 0,
      lastRunAt: null,
    });
    const got = await t.http().get(`/api/agents/${res.body.id}`).set(viewer.auth).expect(200);
    expect(got.body).toEqual(res.body);
    const row = await t.db.query('SELECT workspace_id, tools FROM agents WHERE id = $1', [res.body.id]);
    expect(row[0]).toEqual({ workspace_id: owner.workspaceId, tools: ['read_leads', 'update_lead_status_score'] });
  });

  it('answers 409 for a name taken in the workspace, not for the same name elsewhere', async () => {
    await create(base({ name: 'Twin' })).expect(201);
    expectError(await create(base({ name: 'Twin' })), 409, 'AGENT_NAME_TAKEN');
    await create(base({ name: 'Twin' }), stranger).expect(201);
  });

  it('validates provider and model against AI_PROVIDERS (400 naming the known ones)', async () => {
    const unknown = await create(base({ provider: 'Nope' }));
    expectError(unknown, 400, 'AI_PROVIDER_UNKNOWN');
    expect(unknown.body.message).toContain('Fake, Other');
    const model = await create(base({ provider: 'Other', model: 'fake-model' }));
    expectError(model, 400, 'AI_MODEL_UNKNOWN');
    expect(model.body.message).toContain('other-model');
    const ok = await create(base({ provider: 'other', model: 'other-model' })).expect(201);
    expect(ok.body).toMatchObject({ provider: 'Other', model: 'other-model' });
  });

  it('validates type, tools, trigger and limits (400)', async () => {
    expectError(await create(base({ type: 'wizard' })), 400);
    expectError(await create(base({ tools: ['read_leads', 'send_email'] })), 400);
    expectError(await create(base({ tools: ['read_leads', 'read_leads'] })), 400);
    expectError(await create(base({ trigger: { type: 'schedule' } })), 400, 'AGENT_TRIGGER_INVALID');
    expectError(
      await create(base({ trigger: { type: 'schedule', schedule: 'every day' } })),
      400,
      'AGENT_TRIGGER_INVALID',
    );
    expectError(
      await create(base({ trigger: { type: 'schedule', schedule: '61 * * * *' } })),
      400,
      'AGENT_TRIGGER_INVALID',
    );
    expectError(await create(base({ trigger: { type: 'event' } })), 400, 'AGENT_TRIGGER_INVALID');
    expectError(await create(base({ trigger: { type: 'event', eventType: 'lead.exploded' } })), 400);
    expectError(await create(base({ limits: { runsPerDay: 0 } })), 400);
    expectError(await create(base({ limits: { tokensPerRun: 10 } })), 400);
    expectError(await create(base({ status: 'error' })), 400);
    expectError(await create({ type: 'custom', trigger: { type: 'manual' } }), 400);
  });

  it('lists with pagination and filters; changes only the fields sent', async () => {
    const a = await create(base({ type: 'content_planner', name: 'Planner' })).expect(201);
    const list = await t.http().get('/api/agents?type=content_planner&limit=5').set(owner.auth).expect(200);
    expect(list.body.data.map((x: { id: string }) => x.id)).toEqual([a.body.id]);
    expect(list.body.pagination).toEqual({
      page: 1,
      limit: 5,
      total: 1,
      pages: 1,
      totalIsEstimate: false,
      nextCursor: null,
      prevCursor: null,
    });
    expectError(await t.http().get('/api/agents?limit=500').set(owner.auth), 400);

    const updated = await t
      .http()
      .put(`/api/agents/${a.body.id}`)
      .set(owner.auth)
      .send({ provider: 'Other', limits: { runsPerDay: 5 }, trigger: { type: 'event', eventType: 'lead.created' } })
      .expect(200);
    expect(updated.body).toMatchObject({
      name: 'Planner',
      provider: 'Other',
      model: 'other-model',
      tools: ['create_content_ideas'],
      limits: { runsPerDay: 5, tokensPerRun: 4000 },
      trigger: { type: 'event', eventType: 'lead.created', schedule: null },
    });
    expectError(
      await t.http().put(`/api/agents/${a.body.id}`).set(owner.auth).send({ model: 'nope' }),
      400,
      'AI_MODEL_UNKNOWN',
    );
  });

  it('401 without credentials; 403 for a viewer’s writes; 404 across workspaces and for bad ids → 400', async () => {
    const a = await create(base()).expect(201);
    expectError(await t.http().get('/api/agents'), 401);
    expectError(await t.http().post('/api/agents').send(base()), 401);
    await t.http().get('/api/agents').set(viewer.auth).expect(200);
    expectError(await create(base(), viewer), 403);
    expectError(await t.http().put(`/api/agents/${a.body.id}`).set(viewer.auth).send({ name: 'x' }), 403);
    expectError(
      await t.http().put(`/api/agents/${a.body.id}/status`).set(viewer.auth).send({ status: 'inactive' }),
      403,
    );
    expectError(await t.http().post(`/api/agents/${a.body.id}/run`).set(viewer.auth), 403);
    expectError(await t.http().post(`/api/agents/${a.body.id}/restart`).set(viewer.auth), 403);
    expectError(await t.http().delete(`/api/agents/${a.body.id}`).set(viewer.auth), 403);

    for (const res of [
      await t.http().get(`/api/agents/${a.body.id}`).set(stranger.auth),
      await t.http().put(`/api/agents/${a.body.id}`).set(stranger.auth).send({ name: 'mine' }),
      await t.http().put(`/api/agents/${a.body.id}/status`).set(stranger.auth).send({ status: 'inactive' }),
      await t.http().post(`/api/agents/${a.body.id}/run`).set(stranger.auth),
      await t.http().post(`/api/agents/${a.body.id}/restart`).set(stranger.auth),
      await t.http().get(`/api/agents/${a.body.id}/logs`).set(stranger.auth),
      await t.http().delete(`/api/agents/${a.body.id}`).set(stranger.auth),
    ]) {
      expectError(res, 404, 'AGENT_NOT_FOUND');
    }
    expectError(await t.http().get('/api/agents/not-a-uuid').set(owner.auth), 400);
    const list = await t.http().get('/api/agents').set(stranger.auth).expect(200);
    expect(list.body.data.map((x: { id: string }) => x.id)).not.toContain(a.body.id);
  });

  it('sets active/inactive; error cannot be set by hand (400)', async () => {
    const a = await create(base()).expect(201);
    const off = await t.http().put(`/api/agents/${a.body.id}/status`).set(owner.auth).send({ status: 'inactive' });
    expect(off.status).toBe(200);
    expect(off.body.status).toBe('inactive');
    expectError(await t.http().put(`/api/agents/${a.body.id}/status`).set(owner.auth).send({ status: 'error' }), 400);
    expectError(await t.http().put(`/api/agents/${a.body.id}/status`).set(owner.auth).send({}), 400);
    const on = await t.http().put(`/api/agents/${a.body.id}/status`).set(owner.auth).send({ status: 'active' });
    expect(on.body.status).toBe('active');
    const audit = await t.http().get('/api/logs/agents?action=agent_status_changed').set(owner.auth).expect(200);
    expect(
      audit.body.data.filter((l: { metadata: { agentId: string } }) => l.metadata.agentId === a.body.id),
    ).toHaveLength(2);
  });

  it('registers a cron scheduler for an active scheduled agent, removes it on deactivate and delete', async () => {
    const queue = t.app.get(AgentRunsQueue);
    const a = await create(base({ trigger: { type: 'schedule', schedule: '*/5 * * * *' } })).expect(201);
    expect(await queue.scheduler(a.body.id)).toMatchObject({ pattern: '*/5 * * * *', tz: 'UTC' });

    await t
      .http()
      .put(`/api/agents/${a.body.id}`)
      .set(owner.auth)
      .send({ trigger: { type: 'schedule', schedule: '0 8 * * 1-5' } })
      .expect(200);
    expect(await queue.scheduler(a.body.id)).toMatchObject({ pattern: '0 8 * * 1-5' });

    await t.http().put(`/api/agents/${a.body.id}/status`).set(owner.auth).send({ status: 'inactive' }).expect(200);
    expect(await queue.scheduler(a.body.id)).toBeFalsy();
    await t.http().put(`/api/agents/${a.body.id}/status`).set(owner.auth).send({ status: 'active' }).expect(200);
    expect(await queue.scheduler(a.body.id)).toMatchObject({ pattern: '0 8 * * 1-5' });

    await t
      .http()
      .put(`/api/agents/${a.body.id}`)
      .set(owner.auth)
      .send({ trigger: { type: 'manual' } })
      .expect(200);
    expect(await queue.scheduler(a.body.id)).toBeFalsy();
    await t
      .http()
      .put(`/api/agents/${a.body.id}`)
      .set(owner.auth)
      .send({ trigger: { type: 'schedule', schedule: '0 9 * * *' } })
      .expect(200);
    expect(await queue.scheduler(a.body.id)).toMatchObject({ pattern: '0 9 * * *' });

    await t.http().delete(`/api/agents/${a.body.id}`).set(owner.auth).expect(204);
    expect(await queue.scheduler(a.body.id)).toBeFalsy();
    expectError(await t.http().get(`/api/agents/${a.body.id}`).set(owner.auth), 404);
    const inactive = await create(
      base({ status: 'inactive', trigger: { type: 'schedule', schedule: '0 9 * * *' } }),
    ).expect(201);
    expect(await queue.scheduler(inactive.body.id)).toBeFalsy();
  });

  it('queues a manual run as a tracked job (202) that GET /api/jobs/:id follows', async () => {
    const a = await create(base()).expect(201);
    const res = await t.http().post(`/api/agents/${a.body.id}/run`).set(owner.auth).expect(202);
    expect(res.body).toEqual({
      jobId: expect.any(String),
      status: 'PENDING',
      statusUrl: `/api/jobs/${res.body.jobId}`,
    });
    expect(res.headers.location).toBe(res.body.statusUrl);
    const job = await t.http().get(res.body.statusUrl).set(owner.auth).expect(200);
    expect(job.body).toMatchObject({ id: res.body.jobId, type: 'agents.run', status: 'PENDING' });
    const run = await t.db.query('SELECT agent_id, trigger, status FROM agent_runs WHERE id = $1', [res.body.jobId]);
    expect(run).toEqual([{ agent_id: a.body.id, trigger: 'manual', status: 'queued' }]);
    const logs = await t.http().get(`/api/agents/${a.body.id}/logs`).set(viewer.auth).expect(200);
    expect(logs.body).toEqual({
      data: [],
      pagination: {
        page: 1,
        limit: 20,
        total: 0,
        pages: 0,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      },
    });
  });
});
