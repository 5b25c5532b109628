import type { FakeOpenAI } from '../helpers/fake-openai';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { eventsDrained } from '../helpers/app-with-worker';
import { finishedJob } from '../helpers/job-events';
import { expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

type Note = { kind: string; type: string; message: string; data: Record<string, unknown> };

/**
 * Notifications of the AI quota reaching 80 % and 100 % (ai.quota_reached) and of failing automation rules
 * (automation.run_failed), read through GET /api/notifications; a worker runs the jobs and the rules.
 */
describe('notifications: AI quota thresholds and automation failures', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let bed: AiTestBed;

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [fake.provider({ name: 'GPT-4', maxRetries: 0, breaker: { volumeThreshold: 1000 } })],
      // The failing rule's webhook is on loopback, which the SSRF guard refuses unless the instance allows it.
      env: { AI_QUOTA_FREE: '5', WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' },
      withWorker: true,
    });
    ({ t, fake } = bed);
  }, 60_000);
  afterAll(() => bed?.close());

  const notes = async (user: TestUser, kind: string) =>
    ((await t.http().get('/api/notifications').query({ limit: 100 }).set(user.auth).expect(200)).body.data as Note[])
      .filter((n) => n.kind === kind)
      .reverse(); // oldest first
  const notified = (user: TestUser, kind: string, count: number) =>
    waitFor(`${count} ${kind} notification(s)`, async () => {
      const found = await notes(user, kind);
      return found.length >= count ? found : undefined;
    });
  const drained = () => eventsDrained(bed.worker!);
  const generate = async (user: TestUser) => {
    const res = await t
      .http()
      .post('/api/content/ai-generate')
      .set(user.auth)
      .send({ type: 'caption', prompt: 'Beach shoot' })
      .expect(202);
    return (await finishedJob(t, user, res.body.jobId)).status as string;
  };

  it('the unit reaching 80 % warns, the one reaching 100 % says when it resets; a unit given back and taken again does not notify twice', async () => {
    fake.setDefault({ content: 'Golden hour' });
    const user = await signUp(t);
    for (let i = 0; i < 3; i++) expect(await generate(user)).toBe('COMPLETED');
    await drained();
    expect(await notes(user, 'ai.quota_reached')).toEqual([]);

    expect(await generate(user)).toBe('COMPLETED');
    const [warning] = await notified(user, 'ai.quota_reached', 1);
    const month = new Date().toISOString().slice(0, 7);
    expect(warning).toMatchObject({
      type: 'warning',
      message: '4 of the 5 AI generations of the month are used (80 %)',
      data: { percent: 80, period: month },
    });

    // The unit that reaches the limit notifies, even though its job then fails and gives the unit back.
    fake.setDefault({ status: 500, message: 'upstream exploded' });
    expect(await generate(user)).toBe('FAILED');
    const [, used] = await notified(user, 'ai.quota_reached', 2);
    const now = new Date();
    const reset = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    expect(used).toMatchObject({
      type: 'error',
      message: `The monthly AI generation quota (5) is used up; it resets on ${reset}`,
      data: { percent: 100, period: month },
    });
    const quota = async () =>
      (await t.http().get('/api/content/ai-generate/quota').set(user.auth).expect(200)).body.data;
    expect(await quota()).toMatchObject({ used: 4 });

    // The limit reached again with the same month's unit: not notified twice.
    fake.setDefault({ content: 'back again' });
    expect(await generate(user)).toBe('COMPLETED');
    expect(await quota()).toMatchObject({ used: 5 });
    await drained();
    expect((await notes(user, 'ai.quota_reached')).map((n) => n.data.percent)).toEqual([80, 100]);
    expectError(
      await t.http().post('/api/content/ai-generate').set(user.auth).send({ type: 'caption', prompt: 'x' }),
      402,
      'AI_QUOTA_EXCEEDED',
    );
    // Another workspace sees none of it.
    expect(await notes(await signUp(t), 'ai.quota_reached')).toEqual([]);
  }, 90_000);

  it('a failing rule notifies its first failure in a row and the failure that pauses it, not each one between', async () => {
    const user = await signUp(t);
    const rule = await t
      .http()
      .post('/api/marketing/automation')
      .set(user.auth)
      .send({
        name: 'Broken hook',
        trigger: { type: 'lead.created' },
        // No signing secret in the workspace: every call fails before sending anything.
        actions: [{ type: 'call_webhook', url: 'http://127.0.0.1:9/leads' }],
      })
      .expect(201);
    const ruleId = rule.body.data.id;
    const createLead = (name: string) => t.http().post('/api/leads').set(user.auth).send({ name }).expect(201);

    await createLead('First');
    const [first] = await notified(user, 'automation.run_failed', 1);
    expect(first).toMatchObject({
      type: 'error',
      message: expect.stringMatching(
        /^Automation rule Broken hook failed: call_webhook: no webhook signing secret is set/,
      ),
      data: { ruleId, leadId: expect.any(String) },
    });

    for (let i = 2; i <= 5; i++) await createLead(`Lead ${i}`);
    const [, paused] = await notified(user, 'automation.run_failed', 2);
    expect(paused).toMatchObject({
      type: 'error',
      message: expect.stringMatching(/^Automation rule Broken hook paused after 5 failed runs in a row: call_webhook/),
      data: { ruleId },
    });
    await drained();
    expect(await notes(user, 'automation.run_failed')).toHaveLength(2);

    // The switch off: a failing rule notifies nothing.
    await t
      .http()
      .put('/api/settings/notifications')
      .set(user.auth)
      .send({ inApp: { automationFailed: false } })
      .expect(200);
    await t
      .http()
      .put(`/api/marketing/automation/${ruleId}/status`)
      .set(user.auth)
      .send({ status: 'active' })
      .expect(200);
    await createLead('After the switch');
    await waitFor('the run logged', async () => {
      const runs = await t.db.query(`SELECT count(*)::int AS n FROM automation_runs WHERE rule_id = $1`, [ruleId]);
      return runs[0].n === 6 ? true : undefined;
    });
    await waitFor('the failure counted', async () => {
      const [row] = await t.db.query(`SELECT consecutive_failures AS n FROM automation_rules WHERE id = $1`, [ruleId]);
      return row.n === 1 ? true : undefined;
    });
    await drained();
    expect(await notes(user, 'automation.run_failed')).toHaveLength(2);
  }, 90_000);
});
