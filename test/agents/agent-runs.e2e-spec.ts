import { INestApplicationContext } from '@nestjs/common';
import { AgentRunsQueue } from '@crescendo/agents';
import type { FakeOpenAI, FakeReplyFn } from '../helpers/fake-openai';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

type Lead = { id: string; name: string };

/** Agent runs end to end: the API queues, the worker (booted here) runs against the fake OpenAI server. */
describe('agents: runs in the worker', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let fake: FakeOpenAI;
  let bed: AiTestBed;

  beforeAll(async () => {
    // No retries and a calm breaker: each run makes exactly one call per batch, failures stay failures.
    bed = await startAiTestBed({
      providers: (fake) => [fake.provider({ name: 'Fake', maxRetries: 0, breaker: { volumeThreshold: 1000 } })],
      withWorker: true,
    });
    ({ t, fake } = bed);
    worker = bed.worker!;
  });
  afterAll(() => bed?.close());
  beforeEach(() => fake.reset());

  /** Qualifies every lead it is sent: score 82, qualified. */
  const qualifyAll: FakeReplyFn = (req) => {
    const { leads } = JSON.parse(req.body.messages.at(-1).content) as { leads: Lead[] };
    return {
      content: JSON.stringify({
        results: leads.map((l) => ({ leadId: l.id, score: 82, status: 'qualified', reasons: [`${l.name} fits`] })),
      }),
    };
  };

  const createLead = async (user: TestUser, body: Record<string, unknown>): Promise<Lead> =>
    (await t.http().post('/api/leads').set(user.auth).send(body).expect(201)).body;
  const createAgent = async (user: TestUser, body: Record<string, unknown>) =>
    (
      await t
        .http()
        .post('/api/agents')
        .set(user.auth)
        .send({ name: `Agent ${Math.random().toString(36).slice(2, 8)}`, ...body })
        .expect(201)
    ).body;
  const run = async (user: TestUser, agentId: string): Promise<string> =>
    (await t.http().post(`/api/agents/${agentId}/run`).set(user.auth).expect(202)).body.jobId;
  const finished = (user: TestUser, jobId: string) =>
    waitFor(`job ${jobId}`, async () => {
      const res = await t.http().get(`/api/jobs/${jobId}`).set(user.auth).expect(200);
      return ['COMPLETED', 'FAILED'].includes(res.body.status) ? res.body : undefined;
    });
  const lead = async (id: string) =>
    (await t.db.query('SELECT score, status FROM leads WHERE id = $1', [id]))[0] as { score: number; status: string };
  const timeline = (id: string, type: string) =>
    t.db.query('SELECT data, actor_user_id FROM lead_events WHERE lead_id = $1 AND type = $2', [id, type]);
  const agentRow = async (id: string) =>
    (
      await t.db.query('SELECT status, error_reason, consecutive_failures, last_run_at FROM agents WHERE id = $1', [id])
    )[0];
  const logsOf = async (user: TestUser, agentId: string, query = '') =>
    (await t.http().get(`/api/agents/${agentId}/logs?limit=100${query}`).set(user.auth).expect(200)).body;

  it('manual run: qualifies the new leads in one batched structured call and writes them through LeadsService', async () => {
    const owner = await signUp(t);
    const ada = await createLead(owner, { name: 'Ada', company: 'Analytical Engines', jobTitle: 'CTO' });
    const bob = await createLead(owner, { name: 'Bob', company: 'Acme' });
    const old = await createLead(owner, { name: 'Old', status: 'contacted' });
    const agent = await createAgent(owner, {
      type: 'lead_qualifier',
      trigger: { type: 'manual' },
      systemPrompt: 'B2B SaaS',
    });
    fake.setDefault(qualifyAll);

    const jobId = await run(owner, agent.id);
    const job = await finished(owner, jobId);
    expect(job).toMatchObject({ status: 'COMPLETED', result: { runId: jobId, status: 'succeeded' } });

    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0].body;
    expect(sent.model).toBe('fake-model');
    expect(sent.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'lead_qualification' } });
    expect(sent.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('B2B SaaS') });
    const ids = JSON.parse(sent.messages[1].content).leads.map((l: Lead) => l.id);
    expect(ids.sort()).toEqual([ada.id, bob.id].sort());

    for (const l of [ada, bob]) {
      expect(await lead(l.id)).toEqual({ score: 82, status: 'qualified' });
      const [action] = await timeline(l.id, 'agent_action');
      expect(action.actor_user_id).toBeNull();
      expect(action.data).toMatchObject({
        agentId: agent.id,
        runId: jobId,
        model: 'fake-model',
        provider: 'Fake',
        score: 82,
        status: 'qualified',
        reasons: [`${l.name} fits`],
      });
      expect(await timeline(l.id, 'status_changed')).toHaveLength(1);
    }
    expect(await lead(old.id)).toEqual({ score: 0, status: 'contacted' });

    const [runRow] = await t.db.query('SELECT * FROM agent_runs WHERE id = $1', [jobId]);
    expect(runRow).toMatchObject({ status: 'succeeded', trigger: 'manual', error: null });
    expect(runRow.input_tokens + runRow.output_tokens).toBeGreaterThan(0);
    expect(Number(runRow.cost_usd)).toBeGreaterThan(0);
    expect(runRow.summary).toMatchObject({ leads: 2, updated: 2, calls: 1 });
    expect((await agentRow(agent.id)).last_run_at).not.toBeNull();

    const logs = await logsOf(owner, agent.id, `&runId=${jobId}`);
    const messages = logs.data.map((l: { message: string }) => l.message);
    expect(messages).toEqual(expect.arrayContaining(['Lead qualified: Ada', 'Lead qualified: Bob', 'Run succeeded']));
    expect(logs.data.every((l: { runId: string }) => l.runId === jobId)).toBe(true);
    const audit = await t.http().get('/api/logs/agents').set(owner.auth).expect(200);
    expect(audit.body.data).toContainEqual(
      expect.objectContaining({
        type: 'agent',
        action: 'agent_run_succeeded',
        metadata: expect.objectContaining({ agentId: agent.id, runId: jobId }),
      }),
    );
  });

  it('event trigger: lead.created runs the listening active agent once, on that lead only', async () => {
    const owner = await signUp(t);
    const listening = await createAgent(owner, {
      type: 'lead_qualifier',
      trigger: { type: 'event', eventType: 'lead.created' },
    });
    await createAgent(owner, {
      type: 'lead_qualifier',
      status: 'inactive',
      trigger: { type: 'event', eventType: 'lead.created' },
    });
    await createAgent(owner, {
      type: 'lead_qualifier',
      trigger: { type: 'event', eventType: 'lead.status_changed' },
    });
    fake.setDefault(qualifyAll);
    const older = await t.db.query(`INSERT INTO leads (workspace_id, name) VALUES ($1, 'Already there') RETURNING id`, [
      owner.workspaceId,
    ]);
    const grace = await createLead(owner, { name: 'Grace', email: 'grace@example.com' });

    const [runRow] = await waitFor('the event run', async () => {
      const rows = await t.db.query(`SELECT * FROM agent_runs WHERE agent_id = $1 AND status = 'succeeded'`, [
        listening.id,
      ]);
      return rows.length ? rows : undefined;
    });
    expect(runRow).toMatchObject({ trigger: 'event', event_id: expect.any(String) });
    expect(runRow.trigger_data).toMatchObject({ leadId: grace.id, eventType: 'lead.created' });
    expect(await lead(grace.id)).toEqual({ score: 82, status: 'qualified' });
    expect(await lead(older[0].id)).toEqual({ score: 0, status: 'new' });
    const job = await finished(owner, runRow.id);
    expect(job.status).toBe('COMPLETED');

    // The agent's own status change publishes lead.status_changed: agents never react to their own changes.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const counts = await t.db.query(
      `SELECT agent_id, count(*)::int AS n FROM agent_runs WHERE workspace_id = $1 GROUP BY agent_id`,
      [owner.workspaceId],
    );
    expect(counts).toEqual([{ agent_id: listening.id, n: 1 }]);
    expect(fake.requests).toHaveLength(1);
  });

  it('an invalid model answer is logged and leaves the lead unchanged', async () => {
    const owner = await signUp(t);
    const ada = await createLead(owner, { name: 'Ada' });
    const agent = await createAgent(owner, { type: 'lead_qualifier', trigger: { type: 'manual' } });
    // structured() asks once more with the problems; both answers are wrong.
    fake.reply(
      { content: 'not json at all' },
      { content: JSON.stringify({ results: [{ leadId: ada.id, score: 900 }] }) },
    );

    const job = await finished(owner, await run(owner, agent.id));
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'AI_INVALID_OUTPUT' } });
    expect(fake.requests).toHaveLength(2);
    expect(await lead(ada.id)).toEqual({ score: 0, status: 'new' });
    expect(await timeline(ada.id, 'agent_action')).toHaveLength(0);
    const errors = await logsOf(owner, agent.id, '&level=error');
    expect(errors.data).toContainEqual(
      expect.objectContaining({
        message: 'The model’s answer was invalid: leads left unchanged',
        data: expect.objectContaining({ leadIds: [ada.id] }),
      }),
    );
    // The failed run notifies the workspace (job.failed of an agent run → agent.failed, the agentError switch).
    const notified = await waitFor('the agent error notification', async () => {
      const list = await t.http().get('/api/notifications').set(owner.auth).expect(200);
      return list.body.data.find((n: { kind: string }) => n.kind === 'agent.failed');
    });
    expect(notified).toMatchObject({ type: 'error', message: expect.stringMatching(/^An AI agent run failed/) });
  });

  it('three failed runs in a row put the agent in error; a success resets the count; restart clears it and runs', async () => {
    const owner = await signUp(t);
    const ada = await createLead(owner, { name: 'Ada' });
    const agent = await createAgent(owner, { type: 'lead_qualifier', trigger: { type: 'manual' } });

    fake.setDefault({ status: 500 });
    for (let i = 0; i < 2; i++) {
      expect(await finished(owner, await run(owner, agent.id))).toMatchObject({
        status: 'FAILED',
        error: { code: 'AI_PROVIDER_ERROR' },
      });
    }
    expect(await agentRow(agent.id)).toMatchObject({ status: 'active', consecutive_failures: 2 });
    // A success in between starts the count again (its lead goes qualified; later runs find no new lead
    // unless one is added, so add one per failing run).
    fake.setDefault(qualifyAll);
    expect((await finished(owner, await run(owner, agent.id))).status).toBe('COMPLETED');
    expect(await agentRow(agent.id)).toMatchObject({ status: 'active', consecutive_failures: 0 });

    fake.setDefault({ status: 500 });
    for (let i = 0; i < 3; i++) {
      await createLead(owner, { name: `Lead ${i}` });
      expect((await finished(owner, await run(owner, agent.id))).status).toBe('FAILED');
    }
    const errored = await t.http().get(`/api/agents/${agent.id}`).set(owner.auth).expect(200);
    expect(errored.body).toMatchObject({ status: 'error', consecutiveFailures: 3 });
    expect(errored.body.errorReason).toMatch(/^3 consecutive failed runs; last: AI_PROVIDER_ERROR/);
    expectError(await t.http().post(`/api/agents/${agent.id}/run`).set(owner.auth), 409, 'AGENT_IN_ERROR');
    expectError(
      await t.http().put(`/api/agents/${agent.id}/status`).set(owner.auth).send({ status: 'active' }),
      409,
      'AGENT_IN_ERROR',
    );
    const audit = await t.http().get('/api/logs/agents?limit=100').set(owner.auth).expect(200);
    const actions = audit.body.data.map((l: { action: string }) => l.action);
    expect(actions.filter((a: string) => a === 'agent_run_failed')).toHaveLength(5);
    expect(actions).toContain('agent_errored');

    fake.setDefault(qualifyAll);
    const restarted = await t.http().post(`/api/agents/${agent.id}/restart`).set(owner.auth).expect(202);
    expect(restarted.body).toMatchObject({ jobId: expect.any(String), status: 'PENDING' });
    expect(restarted.headers.location).toBe(`/api/jobs/${restarted.body.jobId}`);
    expect(await agentRow(agent.id)).toMatchObject({ status: 'active', error_reason: null, consecutive_failures: 0 });
    expect((await finished(owner, restarted.body.jobId)).status).toBe('COMPLETED');
    const [restartRun] = await t.db.query('SELECT trigger, status FROM agent_runs WHERE id = $1', [
      restarted.body.jobId,
    ]);
    expect(restartRun).toEqual({ trigger: 'restart', status: 'succeeded' });
    expect(await lead(ada.id)).toEqual({ score: 82, status: 'qualified' });
  });

  it('enforces runsPerDay: the run over the limit does not start and says why', async () => {
    const owner = await signUp(t);
    await createLead(owner, { name: 'Ada' });
    const agent = await createAgent(owner, {
      type: 'lead_qualifier',
      trigger: { type: 'manual' },
      limits: { runsPerDay: 1 },
    });
    fake.setDefault(qualifyAll);
    expect((await finished(owner, await run(owner, agent.id))).status).toBe('COMPLETED');
    const second = await run(owner, agent.id);
    expect(await finished(owner, second)).toMatchObject({
      status: 'FAILED',
      error: { code: 'AGENT_RUNS_PER_DAY_EXCEEDED' },
    });
    const [row] = await t.db.query('SELECT status, started_at, error FROM agent_runs WHERE id = $1', [second]);
    expect(row).toMatchObject({ status: 'failed', started_at: null, error: { code: 'AGENT_RUNS_PER_DAY_EXCEEDED' } });
    expect(fake.requests).toHaveLength(1);
    // A limit is not a failure of the agent.
    expect(await agentRow(agent.id)).toMatchObject({ status: 'active', consecutive_failures: 0 });
    const warn = await logsOf(owner, agent.id, `&runId=${second}`);
    expect(warn.data).toEqual([
      expect.objectContaining({ level: 'warn', message: expect.stringContaining('runsPerDay (1) reached') }),
    ]);
    const audit = await t.http().get('/api/logs/agents?action=agent_run_skipped').set(owner.auth).expect(200);
    expect(audit.body.data[0].metadata).toMatchObject({ runId: second, code: 'AGENT_RUNS_PER_DAY_EXCEEDED' });
  });

  it('enforces tokensPerRun: stops and logs instead of calling the model beyond the budget', async () => {
    const owner = await signUp(t);
    const ada = await createLead(owner, { name: 'Ada' });
    const agent = await createAgent(owner, {
      type: 'lead_qualifier',
      trigger: { type: 'manual' },
      limits: { tokensPerRun: 100 },
    });
    fake.setDefault(qualifyAll);
    const job = await finished(owner, await run(owner, agent.id));
    expect(job.status).toBe('COMPLETED');
    expect(fake.requests).toHaveLength(0);
    expect(await lead(ada.id)).toEqual({ score: 0, status: 'new' });
    const warn = await logsOf(owner, agent.id, '&level=warn');
    expect(warn.data[0]).toMatchObject({
      message: expect.stringContaining('tokensPerRun (100) reached'),
      data: expect.objectContaining({ leadIds: [ada.id] }),
    });
  });

  it('never uses a tool it was not granted: without update_lead_status_score it only logs', async () => {
    const owner = await signUp(t);
    const ada = await createLead(owner, { name: 'Ada' });
    const agent = await createAgent(owner, {
      type: 'lead_qualifier',
      tools: ['read_leads'],
      trigger: { type: 'manual' },
    });
    fake.setDefault(qualifyAll);
    expect((await finished(owner, await run(owner, agent.id))).status).toBe('COMPLETED');
    expect(await lead(ada.id)).toEqual({ score: 0, status: 'new' });
    const logs = await logsOf(owner, agent.id);
    expect(logs.data).toContainEqual(
      expect.objectContaining({
        message: 'Lead assessed (not applied): Ada',
        data: expect.objectContaining({ score: 82 }),
      }),
    );

    const blind = await createAgent(owner, { type: 'lead_qualifier', tools: [], trigger: { type: 'manual' } });
    expect((await finished(owner, await run(owner, blind.id))).status).toBe('COMPLETED');
    expect(fake.requests).toHaveLength(1);
  });

  it('outreach writer, content planner and custom agents log their drafts, ideas and answers', async () => {
    const owner = await signUp(t);
    await createLead(owner, { name: 'Quinn', status: 'qualified' });
    const writer = await createAgent(owner, { type: 'outreach_writer', trigger: { type: 'manual' } });
    fake.reply({ content: 'Hello Quinn, shall we talk?' });
    expect((await finished(owner, await run(owner, writer.id))).status).toBe('COMPLETED');
    expect((await logsOf(owner, writer.id)).data).toContainEqual(
      expect.objectContaining({
        message: 'Draft for Quinn',
        data: expect.objectContaining({ draft: 'Hello Quinn, shall we talk?' }),
      }),
    );

    const planner = await createAgent(owner, { type: 'content_planner', trigger: { type: 'manual' } });
    const ideas = [{ title: 'Case study', description: 'How Acme doubled leads', channel: 'blog' }];
    fake.reply({ content: JSON.stringify({ ideas }) });
    expect((await finished(owner, await run(owner, planner.id))).status).toBe('COMPLETED');
    expect((await logsOf(owner, planner.id)).data).toContainEqual(
      expect.objectContaining({ message: '1 content idea(s)', data: expect.objectContaining({ ideas }) }),
    );

    const custom = await createAgent(owner, { type: 'custom', systemPrompt: 'Say hi', trigger: { type: 'manual' } });
    fake.reply({ content: 'hi' });
    expect((await finished(owner, await run(owner, custom.id))).status).toBe('COMPLETED');
    expect((await logsOf(owner, custom.id)).data).toContainEqual(
      expect.objectContaining({ message: 'Answer', data: expect.objectContaining({ answer: 'hi' }) }),
    );
    expect(fake.requests[2].body.messages[0].content).toContain('Say hi');
  });

  it('a scheduled agent runs from its cron scheduler, which deactivation removes', async () => {
    const owner = await signUp(t);
    const agent = await createAgent(owner, {
      type: 'custom',
      trigger: { type: 'schedule', schedule: '* * * * * *' },
      limits: { runsPerDay: 2 },
    });
    const [row] = await waitFor('a scheduled run', async () => {
      const rows = await t.db.query(`SELECT * FROM agent_runs WHERE agent_id = $1 AND status = 'succeeded'`, [
        agent.id,
      ]);
      return rows.length ? rows : undefined;
    });
    expect(row.trigger).toBe('schedule');
    await t.http().put(`/api/agents/${agent.id}/status`).set(owner.auth).send({ status: 'inactive' }).expect(200);
    expect(await worker.get(AgentRunsQueue).scheduler(agent.id)).toBeFalsy();
  });
});
