import { addMember, createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';

describe('GDPR: data subjects who are not users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const fan = 'Fan.Person@Example.invalid';
  const seed = async (owner: TestUser) => {
    const lead = (
      await t.http().post('/api/leads').set(owner.auth).send({ name: 'Fan Person', email: fan }).expect(201)
    ).body as { id: string };
    const subscriber = (
      await t
        .http()
        .post('/api/onlyfans/subscribers')
        .set(owner.auth)
        .send({ platform: 'onlyfans', handle: `fan${Math.random().toString(36).slice(2, 8)}`, email: fan })
        .expect(201)
    ).body.data as { id: string };
    await t
      .http()
      .post('/api/onlyfans/earnings')
      .set(owner.auth)
      .send({ subscriberId: subscriber.id, type: 'tip', amount: 500, occurredAt: '2026-11-01T10:00:00.000Z' })
      .expect(201);
    await t
      .http()
      .post('/api/gdpr/subjects/consent')
      .set(owner.auth)
      .send({ email: fan, aiProcessing: false })
      .expect(200);
    return { lead, subscriber };
  };
  const textOf = (res: { body: unknown; text?: string }) =>
    typeof res.body === 'string' ? res.body : Buffer.isBuffer(res.body) ? res.body.toString() : (res.text ?? '');

  it('exports one person’s records of the workspace by e-mail, and erases them without touching another workspace', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const mine = await seed(owner);
    const theirs = await seed(other);

    const exported = await t
      .http()
      .post('/api/gdpr/subjects/export')
      .set(owner.auth)
      .send({ email: fan })
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => done(null, text));
      })
      .expect(200);
    expect(exported.headers['content-disposition']).toMatch(
      /^attachment; filename="crescendo-subject-export-.*\.json"$/,
    );
    const body = JSON.parse(textOf(exported));
    expect(body.data.leads.leads.map((l: { id: string }) => l.id)).toEqual([mine.lead.id]);
    expect(body.data.leads.leadEvents.length).toBeGreaterThan(0);
    expect(body.data.subscribers.subscribers.map((s: { id: string }) => s.id)).toEqual([mine.subscriber.id]);
    expect(body.data.subscribers.earnings).toHaveLength(1);
    expect(body.data.consent.subjectConsents.map((c: { purpose: string }) => c.purpose)).toEqual(['ai_processing']);
    expect(textOf(exported)).not.toContain(theirs.lead.id);

    const erased = await t.http().post('/api/gdpr/subjects/delete').set(owner.auth).send({ email: fan }).expect(200);
    expect(erased.body).toEqual({ success: true, erased: { consent: 1, leads: 1, subscribers: 2 } });
    const count = async (sql: string, id: string) => (await t.db.query(sql, [id]))[0].n as number;
    expect(await count(`SELECT count(*)::int AS n FROM leads WHERE id = $1`, mine.lead.id)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM lead_events WHERE lead_id = $1`, mine.lead.id)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM subscribers WHERE id = $1`, mine.subscriber.id)).toBe(0);
    expect(
      await count(`SELECT count(*)::int AS n FROM subject_consent_records WHERE workspace_id = $1`, owner.workspaceId),
    ).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM leads WHERE id = $1`, theirs.lead.id)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM subscribers WHERE id = $1`, theirs.subscriber.id)).toBe(1);
    const [entry] = await t.db.query(
      `SELECT metadata::text AS m, message FROM audit_logs WHERE action = 'gdpr.subject_erased' AND workspace_id = $1`,
      [owner.workspaceId],
    );
    expect(`${entry.m} ${entry.message}`.toLowerCase()).not.toContain(fan.toLowerCase());
  });

  it('400 without a valid e-mail, 401 without credentials, 403 for a member without settings:write', async () => {
    const owner = await signUp(t);
    expectError(await t.http().post('/api/gdpr/subjects/delete').set(owner.auth).send({ email: 'nope' }), 400);
    expectError(await t.http().post('/api/gdpr/subjects/export').set(owner.auth).send({}), 400);
    expectError(
      await t.http().post('/api/gdpr/subjects/delete').set('X-Forwarded-For', randomIp()).send({ email: fan }),
      401,
    );
    const member = await addMember(t, owner, 'member');
    expectError(await t.http().post('/api/gdpr/subjects/delete').set(member.auth).send({ email: fan }), 403);
  });
});
