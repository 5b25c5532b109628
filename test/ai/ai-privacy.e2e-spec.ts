import type { FakeOpenAI, FakeReplyFn } from '../helpers/fake-openai';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { signUp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** What leaves for the AI provider: identifiers are replaced by placeholders, and put back in the answer. */
describe('AI privacy: identifiers never reach the provider', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let bed: AiTestBed;

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [fake.provider({ name: 'Fake', maxRetries: 0, breaker: { volumeThreshold: 1000 } })],
      withWorker: true,
    });
    ({ t, fake } = bed);
  });
  afterAll(() => bed?.close());

  it('an agent run sends placeholders instead of the lead’s e-mail and phone; the answer gets them back', async () => {
    const owner = await signUp(t);
    const email = 'grace.hopper@navy.example.com';
    const phone = '+33 6 12 34 56 78';
    const lead = (
      await t
        .http()
        .post('/api/leads')
        .set(owner.auth)
        .send({ name: 'Grace', email, phone, notes: `Call ${phone} or write ${email}` })
        .expect(201)
    ).body as { id: string };
    const agent = (
      await t
        .http()
        .post('/api/agents')
        .set(owner.auth)
        .send({ name: 'Privacy qualifier', type: 'lead_qualifier', trigger: { type: 'manual' } })
        .expect(201)
    ).body as { id: string };
    const answer: FakeReplyFn = (req) => {
      const { leads } = JSON.parse(req.body.messages.at(-1).content) as { leads: Array<{ id: string; email: string }> };
      return {
        content: JSON.stringify({
          results: leads.map((l) => ({ leadId: l.id, score: 70, status: 'qualified', reasons: [`reach ${l.email}`] })),
        }),
      };
    };
    fake.setDefault(answer);
    const jobId = (await t.http().post(`/api/agents/${agent.id}/run`).set(owner.auth).expect(202)).body.jobId;
    const job = await waitFor(`job ${jobId}`, async () => {
      const res = await t.http().get(`/api/jobs/${jobId}`).set(owner.auth).expect(200);
      return ['COMPLETED', 'FAILED'].includes(res.body.status) ? res.body : undefined;
    });
    expect(job.status).toBe('COMPLETED');

    expect(fake.requests.length).toBeGreaterThan(0);
    const sent = JSON.stringify(fake.requests.map((r) => r.body));
    expect(sent).not.toContain(email);
    expect(sent).not.toContain(phone);
    expect(sent).not.toContain('12 34 56 78');
    expect(sent).toContain('[EMAIL_1]');
    expect(sent).toContain('[PHONE_1]');

    const [row] = await t.db.query(`SELECT score, status FROM leads WHERE id = $1`, [lead.id]);
    expect(row).toEqual({ score: 70, status: 'qualified' });
    // The model wrote the placeholder; what Crescendo stored has the address back.
    const events = await t.db.query(`SELECT data FROM lead_events WHERE lead_id = $1 AND type = 'agent_action'`, [
      lead.id,
    ]);
    expect(JSON.stringify(events)).toContain(`reach ${email}`);
  });
});
