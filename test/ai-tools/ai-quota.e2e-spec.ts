import { randomUUID } from 'node:crypto';
import { QueueName, QueueRegistry } from '@crescendo/platform';
import { AiToolsJobs } from '@crescendo/ai-tools';
import type { FakeOpenAI } from '../helpers/fake-openai';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { finishedJob, jobCount, readJobEvents } from '../helpers/job-events';
import { expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * POST /api/content/ai-generate is a tracked job (202, then GET /api/jobs/:id) run by a real worker, against
 * a monthly quota per plan (tiny quotas here) reserved when the job is queued.
 */
describe('AI generation jobs and their quota (/api/content/ai-generate)', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let bed: AiTestBed;

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [
        fake.provider({ name: 'GPT-4', maxRetries: 0, maxConcurrency: 8, breaker: { volumeThreshold: 1000 } }),
      ],
      env: { AI_QUOTA_FREE: '3', AI_QUOTA_PRO: '5', AI_QUOTA_ENTERPRISE: '0' },
      withWorker: true,
    });
    ({ t, fake } = bed);
  }, 60_000); // an API and a worker to boot (slow on a loaded machine)
  afterAll(() => bed?.close());
  beforeEach(() => fake.reset());

  let user: TestUser;
  beforeEach(async () => {
    user = await signUp(t);
  });
  const generate = (who: TestUser = user, body: Record<string, unknown> = {}) =>
    t
      .http()
      .post('/api/content/ai-generate')
      .set(who.auth)
      .send({ type: 'caption', prompt: 'Beach shoot', ...body });
  const quota = async (who: TestUser = user) => {
    const res = await t.http().get('/api/content/ai-generate/quota').set(who.auth);
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const finished = (jobId: string, who: TestUser = user) => finishedJob(t, who, jobId);
  const jobsOf = (who: TestUser) => jobCount(t, who.workspaceId);
  const reservations = async (who: TestUser) =>
    Number(
      (
        await t.db.query(`SELECT count(*) AS n FROM ai_quota_reservations WHERE workspace_id = $1`, [who.workspaceId])
      )[0].n,
    );
  const nextMonth = () => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
  };

  it('answers 202 with the job at once, reserves the unit then, and the job’s result is the generated content', async () => {
    expect(await quota()).toEqual({
      plan: 'free',
      limit: 3,
      used: 0,
      remaining: 3,
      period: new Date().toISOString().slice(0, 7),
      resetAt: nextMonth(),
    });
    fake.reply({ content: 'Golden hour 🌅', delayMs: 1500 });
    const accepted = await generate(user, { tone: 'playful', platform: 'instagram', length: 'short' }).set(
      'X-Request-Id',
      'req-generate-1',
    );
    expect(accepted.status).toBe(202);
    const jobId = accepted.body.jobId;
    expect(accepted.body).toEqual({ jobId: expect.any(String), status: 'PENDING', statusUrl: `/api/jobs/${jobId}` });
    expect(accepted.headers.location).toBe(`/api/jobs/${jobId}`);

    // The provider is still thinking: the unit is already taken, the job is under way.
    expect(await quota()).toMatchObject({ used: 1, remaining: 2 });
    const running = await t.http().get(`/api/jobs/${jobId}`).set(user.auth).expect(200);
    expect(['PENDING', 'PROCESSING']).toContain(running.body.status);
    expect(await reservations(user)).toBe(1);

    const job = await finished(jobId);
    expect(job).toMatchObject({ id: jobId, type: 'ai.generate', status: 'COMPLETED', progress: 100, error: null });
    expect(job.result).toEqual({
      success: true,
      data: {
        type: 'caption',
        content: 'Golden hour 🌅',
        quota: expect.objectContaining({ limit: 3, used: 1, remaining: 2 }),
      },
      meta: {
        requestId: 'req-generate-1',
        timestamp: expect.any(String),
        duration: expect.any(Number),
        provider: 'GPT-4',
        model: 'fake-model',
        usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
        costUsd: expect.any(Number),
      },
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].body.messages[0].content).toContain('instagram');
    expect(await quota()).toMatchObject({ used: 1, remaining: 2 });
    expect(await reservations(user)).toBe(0); // settled: the unit stays used
  });

  it('the job can be followed live (SSE) to its completed event with the output', async () => {
    fake.reply({ content: 'Sunset vibes', delayMs: 600 });
    const { jobId } = (await generate().expect(202)).body;
    const { status, events } = await readJobEvents(t, jobId, user.auth);
    expect(status).toBe(200);
    expect(events.at(-1)).toMatchObject({
      event: 'completed',
      data: { id: jobId, status: 'COMPLETED', result: { data: { content: 'Sunset vibes' } } },
    });
  });

  it('uses the quota up: then 402 AI_QUOTA_EXCEEDED at once with limit, used and reset date, and no job', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await generate().expect(202)).body.jobId);
    const refused = await generate();
    expectError(refused, 402, 'AI_QUOTA_EXCEEDED');
    expect(refused.body.details).toEqual([{ message: expect.any(String), limit: 3, used: 3, resetAt: nextMonth() }]);
    expect(await jobsOf(user)).toBe(3);
    for (const id of ids) expect((await finished(id)).status).toBe('COMPLETED');
    expect(fake.requests).toHaveLength(3); // the refused call never reached the model
    expect(await quota()).toMatchObject({ used: 3, remaining: 0 });
  });

  it('a failing provider: the job is retried with backoff, then FAILED with the provider’s error, and its unit is given back', async () => {
    fake.setDefault({ status: 500, message: 'upstream exploded' });
    const { jobId } = (await generate().expect(202)).body;
    expect(await quota()).toMatchObject({ used: 1 });
    const job = await finished(jobId);
    expect(job).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      result: null,
      error: { code: 'AI_PROVIDER_ERROR', message: expect.stringContaining('GPT-4') },
    });
    expect(fake.requests).toHaveLength(3);
    expect(await quota()).toMatchObject({ used: 0, remaining: 3 });
    expect(await reservations(user)).toBe(0);

    fake.setDefault({ content: 'back again' });
    expect((await finished((await generate().expect(202)).body.jobId)).status).toBe('COMPLETED');
    expect(await quota()).toMatchObject({ used: 1 });
  }, 60_000); // three attempts with backoff (2 s, then 4 s)

  it('is idempotent: a retry after a failed attempt uses no more quota; a completed job delivered again is not redone', async () => {
    fake.reply({ status: 500 }, { content: 'second time lucky' });
    const { jobId } = (await generate().expect(202)).body;
    const job = await finished(jobId);
    expect(job).toMatchObject({ status: 'COMPLETED', attempts: 2, result: { data: { content: 'second time lucky' } } });
    expect(await quota()).toMatchObject({ used: 1 });

    // The same tracked job delivered once more (as after a worker crash past its completion).
    const queue = t.app.get(QueueRegistry).get(QueueName.Ai);
    const original = await queue.getJob(jobId);
    const again = await t.app
      .get(QueueRegistry)
      .enqueue(AiToolsJobs.AiGenerate, original!.data, { jobId: randomUUID() });
    await waitFor('the second delivery', async () =>
      (await queue.getJobState(again.id!)) === 'completed' ? true : undefined,
    );
    expect(fake.requests).toHaveLength(2);
    expect(await quota()).toMatchObject({ used: 1 });
    expect((await finished(jobId)).result.data.content).toBe('second time lucky');
  });

  it('parallel requests never pass the quota', async () => {
    fake.setDefault({ content: 'ok', delayMs: 50 });
    const results = await Promise.all(Array.from({ length: 8 }, () => generate()));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 202, 202, 402, 402, 402, 402, 402]);
    for (const r of results.filter((r) => r.status === 202)) {
      expect((await finished(r.body.jobId)).status).toBe('COMPLETED');
    }
    expect(fake.requests).toHaveLength(3);
    expect(await quota()).toMatchObject({ used: 3, remaining: 0 });
    const [row] = await t.db.query(`SELECT used FROM ai_quota_usage WHERE workspace_id = $1`, [user.workspaceId]);
    expect(row.used).toBe(3);
  });

  it('is per workspace: another workspace keeps its own count and cannot see the job (404)', async () => {
    const other = await signUp(t);
    const { jobId } = (await generate().expect(202)).body;
    expectError(await t.http().get(`/api/jobs/${jobId}`).set(other.auth), 404, 'JOB_NOT_FOUND');
    expectError(await t.http().get(`/api/jobs/${jobId}/events`).set(other.auth), 404, 'JOB_NOT_FOUND');
    const ids = [jobId];
    for (let i = 0; i < 2; i++) ids.push((await generate().expect(202)).body.jobId);
    expectError(await generate(), 402, 'AI_QUOTA_EXCEEDED');
    expect(await quota(other)).toMatchObject({ used: 0, remaining: 3 });
    const theirs = (await generate(other).expect(202)).body.jobId;
    expect(await quota(other)).toMatchObject({ used: 1 });
    expect(await quota()).toMatchObject({ used: 3 });
    for (const id of ids) expect((await finished(id)).status).toBe('COMPLETED');
    expect((await finished(theirs, other)).status).toBe('COMPLETED');
  });

  it('bad input is a 400 before anything is queued or counted; no credentials is a 401', async () => {
    expectError(await generate(user, { type: 'novel' }), 400, 'VALIDATION_FAILED');
    expectError(await generate(user, { prompt: '' }), 400, 'VALIDATION_FAILED');
    expectError(await generate(user, { extra: true }), 400, 'VALIDATION_FAILED');
    expectError(await generate(user, { provider: 'Nope' }), 400, 'AI_PROVIDER_UNKNOWN');
    expectError(await generate(user, { model: 'gpt-9' }), 400, 'AI_MODEL_UNKNOWN');
    expectError(await t.http().post('/api/content/ai-generate').send({ type: 'caption', prompt: 'x' }), 401);
    expect(await quota()).toMatchObject({ used: 0 });
    expect(await jobsOf(user)).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  it('the limit follows the workspace’s plan; a quota of 0 refuses at once', async () => {
    await t.db.query(`UPDATE workspaces SET plan = 'pro' WHERE id = $1`, [user.workspaceId]);
    expect(await quota()).toMatchObject({ plan: 'pro', limit: 5, remaining: 5 });
    await t.db.query(`UPDATE workspaces SET plan = 'enterprise' WHERE id = $1`, [user.workspaceId]);
    const refused = await generate();
    expectError(refused, 402, 'AI_QUOTA_EXCEEDED');
    expect(refused.body.details[0]).toMatchObject({ limit: 0, used: 0 });
    expect(await jobsOf(user)).toBe(0);
  });

  it('the hourly sweep gives back the units of jobs that ended without doing it, keeps completed ones and live ones', async () => {
    const period = `(date_trunc('month', now() AT TIME ZONE 'UTC'))::date`;
    const ids = {
      failed: randomUUID(), // failed by BullMQ as stalled: runJob never saw its last attempt
      lost: randomUUID(), // no job record at all any more
      completed: randomUUID(), // the worker died between completing and settling
      running: randomUUID(),
      recent: randomUUID(), // failed, but within the grace period
    };
    for (const [key, status] of [
      ['failed', 'FAILED'],
      ['completed', 'COMPLETED'],
      ['running', 'PROCESSING'],
      ['recent', 'FAILED'],
    ]) {
      await t.db.query(`INSERT INTO jobs (id, workspace_id, user_id, name, status) VALUES ($1, $2, $3, $4, $5)`, [
        ids[key as keyof typeof ids],
        user.workspaceId,
        user.id,
        AiToolsJobs.AiGenerate,
        status,
      ]);
    }
    await t.db.query(`INSERT INTO ai_quota_usage (workspace_id, period, used) VALUES ($1, ${period}, 5)`, [
      user.workspaceId,
    ]);
    for (const [key, age] of Object.keys(ids).map((k) => [k, k === 'recent' ? '1 minute' : '2 hours'])) {
      await t.db.query(
        `INSERT INTO ai_quota_reservations (job_id, workspace_id, period, created_at)
         VALUES ($1, $2, ${period}, now() - $3::interval)`,
        [ids[key as keyof typeof ids], user.workspaceId, age],
      );
    }

    const queues = t.app.get(QueueRegistry);
    const sweep = await queues.enqueue(AiToolsJobs.ReleaseAbandonedAiQuota, { trigger: 'manual' });
    await waitFor('the sweep', async () => ((await sweep.getState()) === 'completed' ? true : undefined));
    const returned = async (job: typeof sweep) =>
      (await queues.get(QueueName.Maintenance).getJob(job.id!))!.returnvalue;
    expect(await returned(sweep)).toEqual({ released: 2, settled: 1 });
    expect(await quota()).toMatchObject({ used: 3 });
    const left = await t.db.query(`SELECT job_id FROM ai_quota_reservations WHERE workspace_id = $1 ORDER BY job_id`, [
      user.workspaceId,
    ]);
    expect(left.map((r: { job_id: string }) => r.job_id)).toEqual([ids.running, ids.recent].sort());

    // Run again: nothing more is given back.
    const again = await queues.enqueue(AiToolsJobs.ReleaseAbandonedAiQuota, { trigger: 'manual' });
    await waitFor('the second sweep', async () => ((await again.getState()) === 'completed' ? true : undefined));
    expect(await returned(again)).toEqual({ released: 0, settled: 0 });
    expect(await quota()).toMatchObject({ used: 3 });
  });

  it('counts by calendar month: last month’s usage does not count', async () => {
    await t.db.query(
      `INSERT INTO ai_quota_usage (workspace_id, period, used) VALUES ($1, date_trunc('month', now() - interval '1 month'), 3)`,
      [user.workspaceId],
    );
    expect(await quota()).toMatchObject({ used: 0 });
    expect((await finished((await generate().expect(202)).body.jobId)).status).toBe('COMPLETED');
  });
});
