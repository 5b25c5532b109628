import type { FakeOpenAI, FakeReplyFn } from '../helpers/fake-openai';
import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import { addMember, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { readSse } from '../chat/sse';

/**
 * Consent-aware AI: leads who withdrew (or, where required, never gave) consent to AI processing never reach the
 * provider; identifiers are replaced on streamed calls too; the workspace can turn redaction off; the ledger says
 * which data categories each call carried. All checked at the fake AI server, by what it received.
 */
describe('GDPR: privacy-aware AI', () => {
  let t: TestApp;
  let fake: FakeOpenAI;
  let bed: AiTestBed;
  let base: string;

  beforeAll(async () => {
    bed = await startAiTestBed({
      providers: (fake) => [fake.provider({ name: 'Fake', maxRetries: 0, breaker: { volumeThreshold: 1000 } })],
      withWorker: true,
    });
    ({ t, fake } = bed);
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => bed?.close());
  beforeEach(() => fake.reset());

  const consent = (user: TestUser, body: Record<string, unknown>) =>
    t.http().post('/api/gdpr/subjects/consent').set(user.auth).send(body);

  const createLead = async (user: TestUser, name: string, email: string) =>
    (await t.http().post('/api/leads').set(user.auth).send({ name, email }).expect(201)).body as { id: string };

  /** Runs a qualifier over the workspace's new leads; answers the ids the provider was sent. */
  const runQualifier = async (user: TestUser): Promise<{ sent: string[]; logs: string[] }> => {
    const answer: FakeReplyFn = (req) => {
      const { leads } = JSON.parse(req.body.messages.at(-1).content) as { leads: Array<{ id: string }> };
      return {
        content: JSON.stringify({
          results: leads.map((l) => ({ leadId: l.id, score: 60, status: 'qualified', reasons: ['fits'] })),
        }),
      };
    };
    fake.setDefault(answer);
    const agent = (
      await t
        .http()
        .post('/api/agents')
        .set(user.auth)
        .send({ name: 'Qualifier', type: 'lead_qualifier', tools: ['read_leads'], trigger: { type: 'manual' } })
        .expect(201)
    ).body as { id: string };
    const jobId = (await t.http().post(`/api/agents/${agent.id}/run`).set(user.auth).expect(202)).body.jobId;
    const job = await waitFor(`job ${jobId}`, async () => {
      const res = await t.http().get(`/api/jobs/${jobId}`).set(user.auth).expect(200);
      return ['COMPLETED', 'FAILED'].includes(res.body.status) ? res.body : undefined;
    });
    expect(job.status).toBe('COMPLETED');
    const sent = fake.requests.flatMap(
      (r) => (JSON.parse(r.body.messages.at(-1).content) as { leads: Array<{ id: string }> }).leads,
    );
    const logs: Array<{ message: string }> = await t.db.query(
      `SELECT l.message FROM agent_logs l JOIN agent_runs r ON r.id = l.run_id WHERE r.agent_id = $1`,
      [agent.id],
    );
    return { sent: sent.map((l) => l.id).sort(), logs: logs.map((l) => l.message) };
  };

  it('records a data subject’s consent per purpose with its history; 400, 401, 403', async () => {
    const owner = await signUp(t);
    const email = 'Ada@Example.com';
    const empty = await t.http().get('/api/gdpr/subjects/consent').query({ email }).set(owner.auth).expect(200);
    expect(empty.body).toEqual({ email: 'ada@example.com', marketingEmail: null, aiProcessing: null, aiAllowed: true });

    expect((await consent(owner, { email, aiProcessing: false, marketingEmail: true }).expect(200)).body).toEqual({
      email: 'ada@example.com',
      marketingEmail: true,
      aiProcessing: false,
      aiAllowed: false,
    });
    // The same choice again adds nothing; granting back is one call, like withdrawing.
    await consent(owner, { email, aiProcessing: false }).expect(200);
    expect((await consent(owner, { email, aiProcessing: true }).expect(200)).body.aiAllowed).toBe(true);
    const history = await t
      .http()
      .get('/api/gdpr/subjects/consent/history')
      .query({ email, limit: 10 })
      .set(owner.auth)
      .expect(200);
    const rows = history.body.data.map((r: { purpose: string; granted: boolean }) => [r.purpose, r.granted]);
    // Newest first; the first call's two purposes share one transaction time, so their order is the id's.
    expect(rows[0]).toEqual(['ai_processing', true]);
    expect(rows.slice(1)).toHaveLength(2);
    expect(rows.slice(1)).toEqual(
      expect.arrayContaining([
        ['ai_processing', false],
        ['marketing_email', true],
      ]),
    );
    expect(history.body.data[0]).toMatchObject({ source: 'manual', recordedById: owner.id });
    expect(history.body.pagination).toBeDefined();

    expectError(await consent(owner, { email: 'nope', aiProcessing: true }), 400);
    expectError(await consent(owner, { email, aiProcessing: 'yes' }), 400);
    expectError(await t.http().get('/api/gdpr/subjects/consent').set(owner.auth), 400);
    expectError(await t.http().post('/api/gdpr/subjects/consent').send({ email, aiProcessing: true }), 401);
    const member = await addMember(t, owner, 'member');
    expectError(await consent(member, { email, aiProcessing: true }), 403);
    // Another workspace knows nothing of it.
    const other = await signUp(t);
    const theirs = await t.http().get('/api/gdpr/subjects/consent').query({ email }).set(other.auth).expect(200);
    expect(theirs.body.aiProcessing).toBeNull();
  });

  it('an agent never sends a lead who withdrew consent to AI processing, and says why in its log', async () => {
    const owner = await signUp(t);
    const refused = await createLead(owner, 'Refused', 'refused@example.com');
    const granted = await createLead(owner, 'Granted', 'granted@example.com');
    const silent = await createLead(owner, 'Silent', 'silent@example.com');
    await consent(owner, { email: 'refused@example.com', aiProcessing: false }).expect(200);
    await consent(owner, { email: 'granted@example.com', aiProcessing: true }).expect(200);

    const run = await runQualifier(owner);
    expect(run.sent).toEqual([granted.id, silent.id].sort());
    const received = JSON.stringify(fake.requests.map((r) => r.body));
    expect(received).not.toContain(refused.id);
    expect(received).not.toContain('Refused');
    // No raw e-mail either: the leads that went carry placeholders.
    expect(received).not.toMatch(/[a-z]+@example\.com/);
    expect(run.logs.some((m) => /1 lead\(s\) skipped: no consent to AI processing/.test(m))).toBe(true);
    const [row] = await t.db.query(`SELECT status, score FROM leads WHERE id = $1`, [refused.id]);
    expect(row).toEqual({ status: 'new', score: 0 });
  });

  it('where the workspace requires consent, a lead who never gave it is not sent either', async () => {
    const owner = await signUp(t);
    const granted = await createLead(owner, 'Yes', 'yes@example.com');
    const silent = await createLead(owner, 'Unknown', 'unknown@example.com');
    await consent(owner, { email: 'YES@example.com', aiProcessing: true }).expect(200);
    const settings = await t
      .http()
      .put('/api/gdpr/ai-privacy')
      .set(owner.auth)
      .send({ aiRequiresConsent: true })
      .expect(200);
    expect(settings.body).toEqual({ aiRedactPii: true, aiRequiresConsent: true });
    const run = await runQualifier(owner);
    expect(run.sent).toEqual([granted.id]);
    expect(JSON.stringify(fake.requests.map((r) => r.body))).not.toContain(silent.id);
  });

  it('a streamed chat answer: the provider gets placeholders, the client and the stored message the real values', async () => {
    const owner = await signUp(t);
    const email = 'grace.hopper@navy.example.com';
    const phone = '+33 6 12 34 56 78';
    // The placeholder arrives cut in two deltas.
    fake.setDefault({ chunks: ['Write to [EMA', 'IL_1] or call [PHONE_1', '] today'] });
    const { status, events } = await readSse(`${base}/api/chat/send/stream`, {
      method: 'POST',
      headers: { ...owner.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ message: `Draft a note to ${email}, phone ${phone}`, providers: [{ provider: 'Fake' }] }),
    });
    expect(status).toBe(200);
    const sent = JSON.stringify(fake.requests.map((r) => r.body));
    expect(sent).not.toContain(email);
    expect(sent).not.toContain('12 34 56 78');
    expect(sent).toContain('[EMAIL_1]');
    const streamed = events
      .filter((e) => e.event === 'delta')
      .map((e) => e.data.content)
      .join('');
    expect(streamed).toBe(`Write to ${email} or call ${phone} today`);
    expect(streamed).not.toContain('[EMA');
    const end = events[events.length - 1];
    const [stored] = await t.db.query(`SELECT content FROM chat_messages WHERE id = ANY($1) AND role = 'assistant'`, [
      end.data.message_ids,
    ]);
    expect(stored.content).toBe(`Write to ${email} or call ${phone} today`);
    const [usage] = await t.db.query(
      `SELECT data_categories FROM ai_usage WHERE workspace_id = $1 AND feature = 'chat' ORDER BY created_at DESC LIMIT 1`,
      [owner.workspaceId],
    );
    expect(usage.data_categories).toEqual(['email_redacted', 'phone_redacted']);
  });

  it('a workspace can turn redaction off (then the ledger says raw e-mail went); 400, 401, 403 on the setting', async () => {
    const owner = await signUp(t);
    expect((await t.http().get('/api/gdpr/ai-privacy').set(owner.auth).expect(200)).body).toEqual({
      aiRedactPii: true,
      aiRequiresConsent: false,
    });
    await t.http().put('/api/gdpr/ai-privacy').set(owner.auth).send({ aiRedactPii: false }).expect(200);
    fake.setDefault({ content: 'ok' });
    await t
      .http()
      .post('/api/chat/send')
      .set(owner.auth)
      .send({ message: 'Mail ada@example.com', providers: [{ provider: 'Fake' }] })
      .expect(200);
    expect(JSON.stringify(fake.requests.map((r) => r.body))).toContain('ada@example.com');
    const [usage] = await t.db.query(
      `SELECT data_categories FROM ai_usage WHERE workspace_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [owner.workspaceId],
    );
    expect(usage.data_categories).toEqual(['email']);
    const listed = await t.http().get('/api/ai/usage').set(owner.auth).expect(200);
    expect(listed.body.data[0].dataCategories).toEqual(['email']);

    expectError(await t.http().put('/api/gdpr/ai-privacy').set(owner.auth).send({ aiRedactPii: 'no' }), 400);
    expectError(await t.http().put('/api/gdpr/ai-privacy').send({ aiRedactPii: true }), 401);
    const member = await addMember(t, owner, 'member');
    expectError(await t.http().put('/api/gdpr/ai-privacy').set(member.auth).send({ aiRedactPii: true }), 403);
  });
});
