import type { FakeOpenAI, FakeReply } from '../helpers/fake-openai';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { addMember, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { finishedJob, jobCount } from '../helpers/job-events';
import { ideasReply } from './ai-fixtures';

const ideasBody = {
  creatorProfile: { id: 'creator-42', niche: ['fitness'], contentTypes: ['photo', 'video'] },
  options: { count: 2 },
};
const recommendation = {
  recommendedPrice: 1299,
  pricePoints: [{ label: 'Standard', price: 1299, audience: 'Most fans', rationale: 'Close to the mean' }],
  reasoning: 'Fans would pay more.',
  expectedImpact: '+15% revenue',
  confidence: 'medium',
};

/** Each synchronous AI tool route, its body and the model's answer. */
const routes: Array<[string, Record<string, unknown>, FakeReply]> = [
  ['/api/content-ideas/generate', ideasBody, ideasReply(2)],
  ['/api/ai-assistant/tools/content-ideas', ideasBody, ideasReply(2)],
  ['/api/ai-assistant/generate', { prompt: 'Write a hello', systemPrompt: 'Be brief' }, { content: 'Hello!' }],
  [
    '/api/ai-assistant/tools/message-generator',
    { template: 'Hi {{firstName}}, {{offer}}', recipient: { name: 'Jane Doe' }, variables: { offer: '30% off' } },
    { content: JSON.stringify({ message: 'Jane, 30% off just for you' }) },
  ],
  ['/api/ai-assistant/tools/pricing-optimizer', { periodDays: 30 }, { content: JSON.stringify(recommendation) }],
];

/** What differs between two runs of the same request: fresh ids and timestamps. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, ['id', 'generatedAt'].includes(k) ? '<varies>' : stable(v)]),
  );
}

/** Prefer: respond-async (RFC 7240) on the synchronous AI tool routes, with a real worker. */
describe('AI tools with Prefer: respond-async', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let bed: AiTestBed;

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [fake.provider({ name: 'GPT-4', maxRetries: 0, breaker: { volumeThreshold: 1000 } })],
      withWorker: true,
    });
    ({ t, fake } = bed);
  }, 60_000); // an API and a worker to boot (slow on a loaded machine)
  afterAll(() => bed?.close());
  beforeEach(() => fake.reset());

  // A fresh user per test: the AI rate limit is 10 a minute per caller.
  let user: TestUser;
  beforeEach(async () => {
    user = await signUp(t);
  });
  const post = (path: string, body: object, prefer?: string, who: TestUser = user) => {
    const req = t.http().post(path).set(who.auth);
    if (prefer) req.set('Prefer', prefer);
    return req.send(body);
  };
  const finished = (jobId: string, who: TestUser = user) => finishedJob(t, who, jobId);
  const jobsOf = (who: TestUser) => jobCount(t, who.workspaceId);

  it.each(routes)(
    '%s: 200 by default; 202 with respond-async, and the job’s result is that answer',
    async (path, body, reply) => {
      fake.reply(reply, reply);
      const sync = await post(path, body);
      expect(sync.status).toBe(200);
      expect(sync.headers['preference-applied']).toBeUndefined();
      expect(sync.headers.vary).toContain('Prefer');

      const accepted = await post(path, body, 'respond-async').set('X-Request-Id', 'req-async-1');
      expect(accepted.status).toBe(202);
      const { jobId } = accepted.body;
      expect(accepted.body).toEqual({ jobId: expect.any(String), status: 'PENDING', statusUrl: `/api/jobs/${jobId}` });
      expect(accepted.headers.location).toBe(`/api/jobs/${jobId}`);
      expect(accepted.headers['preference-applied']).toBe('respond-async');
      expect(accepted.headers.vary).toContain('Prefer');

      const job = await finished(jobId);
      expect(job).toMatchObject({ type: 'ai.generate', status: 'COMPLETED', error: null, attempts: 1 });
      expect(Object.keys(job.result).sort()).toEqual(Object.keys(sync.body).sort());
      expect(job.result.success).toBe(true);
      expect(stable(job.result.data)).toEqual(stable(sync.body.data));
      expect(job.result.meta).toEqual({
        ...sync.body.meta,
        requestId: 'req-async-1',
        timestamp: expect.any(String),
        duration: expect.any(Number),
      });
      expect(fake.requests).toHaveLength(2);
      expect(fake.requests[1].body.messages).toEqual(fake.requests[0].body.messages);
    },
  );

  it('reads Prefer as RFC 7240 lists it (any case, with other preferences); others stay synchronous', async () => {
    const body = { prompt: 'hi' };
    expect((await post('/api/ai-assistant/generate', body, 'wait=10, Respond-Async')).status).toBe(202);
    expect((await post('/api/ai-assistant/generate', body, 'return=minimal')).status).toBe(200);
    expect((await post('/api/ai-assistant/generate', body, 'respond-asynchronously')).status).toBe(200);
    // A stream answers at once anyway: the preference is not applied.
    const stream = await post('/api/ai-assistant/generate', { prompt: 'hi', stream: true }, 'respond-async');
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    expect(stream.headers['preference-applied']).toBeUndefined();
    expect(await jobsOf(user)).toBe(1);
    const [{ id }] = await t.db.query(`SELECT id FROM jobs WHERE workspace_id = $1`, [user.workspaceId]);
    expect((await finished(id)).status).toBe('COMPLETED');
  });

  it('a provider failure is the job’s error (code and message), after the retries', async () => {
    fake.setDefault({ status: 503, message: 'overloaded' });
    const { jobId } = (await post('/api/ai-assistant/generate', { prompt: 'hi' }, 'respond-async').expect(202)).body;
    const job = await finished(jobId);
    expect(job).toMatchObject({ status: 'FAILED', attempts: 3, result: null, error: { code: 'AI_PROVIDER_ERROR' } });
    expect(job.error.message).toContain('GPT-4');
  }, 60_000); // three attempts with backoff (2 s, then 4 s)

  it('input errors are answered at once (400) and queue nothing; 401 and 403 come first too', async () => {
    const tool = '/api/ai-assistant/tools/message-generator';
    const missing = await post(tool, { template: 'Hi {{name}}, {{code}}', recipient: { name: 'J' } }, 'respond-async');
    expectError(missing, 400, 'MESSAGE_TEMPLATE_VARIABLE_MISSING');
    expectError(await post(tool, { template: 'Hi' }, 'respond-async'), 400, 'VALIDATION_FAILED');
    expectError(
      await post('/api/content-ideas/generate', { ...ideasBody, provider: 'Nope' }, 'respond-async'),
      400,
      'AI_PROVIDER_UNKNOWN',
    );
    expectError(await t.http().post('/api/content-ideas/generate').set('Prefer', 'respond-async').send(ideasBody), 401);
    const viewer = await addMember(t, user, 'viewer');
    expectError(await post('/api/content-ideas/generate', ideasBody, 'respond-async', viewer), 403);
    expect(await jobsOf(user)).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  it('the job belongs to its workspace: another one gets 404', async () => {
    const other = await signUp(t);
    const { jobId } = (await post('/api/ai-assistant/generate', { prompt: 'hi' }, 'respond-async').expect(202)).body;
    expectError(await t.http().get(`/api/jobs/${jobId}`).set(other.auth), 404, 'JOB_NOT_FOUND');
    expect((await finished(jobId)).result.data.content).toBe('echo: hi');
  });
});
