import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { signatureHeader } from '@crescendo/platform';
import { newEventId, sendSigned, setSigningSecret, SignedOptions } from './webhook-helpers';

const SECRET = 'inbound-secret-0123456789abcdef';

describe('inbound webhooks: POST /api/webhooks/leads and /campaigns', () => {
  let t: TestApp;
  let owner: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t);
    await setSigningSecret(t, owner, SECRET);
  });
  afterAll(() => t.close());

  const postLead = (body: Record<string, unknown>, options: SignedOptions = {}) =>
    sendSigned(t, '/api/webhooks/leads', body, {
      secret: SECRET,
      workspaceId: owner.workspaceId,
      eventId: options.eventId === undefined ? newEventId() : options.eventId,
      ...options,
    } as SignedOptions & { secret: string });

  const leadsWithEmail = async (email: string) =>
    (await t.db.query(`SELECT id, name, company FROM leads WHERE workspace_id = $1 AND email = $2`, [
      owner.workspaceId,
      email,
    ])) as Array<{ id: string; name: string; company: string | null }>;

  const inboundRows = async (where: string, params: unknown[]) =>
    (await t.db.query(`SELECT * FROM webhook_deliveries_inbound WHERE workspace_id = $1 AND ${where}`, [
      owner.workspaceId,
      ...params,
    ])) as Array<Record<string, unknown>>;

  it('creates a lead from a validly signed delivery, with a webhook timeline event', async () => {
    const eventId = newEventId();
    const res = await postLead(
      { name: 'Ada Lovelace', email: 'ADA@Example.com', company: 'Engines', tags: ['inbound'] },
      { eventId },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      received: true,
      duplicate: false,
      deliveryId: expect.any(String),
      leadId: expect.any(String),
    });
    const [lead] = await leadsWithEmail('ada@example.com');
    expect(lead).toMatchObject({ id: res.body.leadId, name: 'Ada Lovelace', company: 'Engines' });
    const detail = await t.http().get(`/api/leads/${lead.id}`).set(owner.auth).expect(200);
    expect(detail.body.timeline.map((e: { type: string }) => e.type).sort()).toEqual(['created', 'webhook']);
    expect(detail.body.timeline.find((e: { type: string }) => e.type === 'webhook')).toMatchObject({
      actorUserId: null,
      data: { eventId, deliveryId: res.body.deliveryId },
    });
    expect(await inboundRows('event_id = $2', [eventId])).toEqual([
      expect.objectContaining({ status: 'accepted', http_status: 200, lead_id: lead.id, source: 'leads' }),
    ]);
  });

  it('updates the lead that has the e-mail instead of creating another (event id in the body)', async () => {
    await postLead({ name: 'Grace', email: 'grace@example.com' }).expect(200);
    const res = await postLead(
      { eventId: newEventId(), name: 'Grace Hopper', email: 'grace@example.com', company: 'Navy' },
      { eventId: null },
    );
    expect(res.status).toBe(200);
    const leads = await leadsWithEmail('grace@example.com');
    expect(leads).toEqual([{ id: res.body.leadId, name: 'Grace Hopper', company: 'Navy' }]);
  });

  describe('refused signatures: 401, nothing stored but a rejected log row without the body', () => {
    const body = (email: string) => ({ name: 'Mallory', email });
    const cases: Array<[string, string, (email: string) => SignedOptions, string]> = [
      ['missing', 'missing@evil.test', () => ({ signature: null }), 'WEBHOOK_SIGNATURE_INVALID'],
      ['malformed', 'malformed@evil.test', () => ({ signature: 'sha256=abc' }), 'WEBHOOK_SIGNATURE_INVALID'],
      [
        'made with another secret',
        'wrong@evil.test',
        () => ({ secret: 'not-the-secret-0123456789' }),
        'WEBHOOK_SIGNATURE_INVALID',
      ],
      [
        'over a tampered body',
        'tampered@evil.test',
        (email) => ({ sendInstead: JSON.stringify({ name: 'Mallory', email, score: 100 }) }),
        'WEBHOOK_SIGNATURE_INVALID',
      ],
      [
        'more than 5 minutes old',
        'stale@evil.test',
        () => ({ at: Date.now() - 6 * 60_000 }),
        'WEBHOOK_TIMESTAMP_EXPIRED',
      ],
      [
        'more than 5 minutes ahead',
        'future@evil.test',
        () => ({ at: Date.now() + 6 * 60_000 }),
        'WEBHOOK_TIMESTAMP_EXPIRED',
      ],
    ];
    it.each(cases)('a signature %s', async (_label, email, options, code) => {
      const eventId = newEventId();
      const res = await postLead(body(email), { eventId, ...options(email) });
      expectError(res, 401, code);
      expect(await leadsWithEmail(email)).toEqual([]);
      const rows = await inboundRows(`reason = $2 ORDER BY received_at DESC LIMIT 1`, [code]);
      expect(rows[0]).toMatchObject({ status: 'rejected', http_status: 401, event_id: null, lead_id: null });
      expect(Object.keys(rows[0]).sort()).toEqual([
        'campaign_id',
        'event_id',
        'http_status',
        'id',
        'lead_id',
        'reason',
        'received_at',
        'source',
        'status',
        'workspace_id',
      ]);
    });

    it('an unknown or missing workspace is refused the same way', async () => {
      expectError(
        await postLead(body('ghost@evil.test'), { workspaceId: '00000000-0000-4000-8000-000000000000' }),
        401,
        'WEBHOOK_SIGNATURE_INVALID',
      );
      expectError(await postLead(body('ghost@evil.test'), { workspaceId: '' }), 401, 'WEBHOOK_SIGNATURE_INVALID');
    });

    it('a workspace without a signing secret answers 403 naming the setting', async () => {
      const other = await signUp(t);
      const res = await sendSigned(t, '/api/webhooks/leads', body('nosecret@evil.test'), {
        secret: SECRET,
        workspaceId: other.workspaceId,
        eventId: newEventId(),
      });
      expectError(res, 403, 'WEBHOOK_SIGNING_SECRET_NOT_CONFIGURED');
      expect(res.body.message).toContain('webhookSigningSecret');
    });
  });

  describe('idempotency by event id', () => {
    it('acknowledges a replayed event id and applies it once', async () => {
      const eventId = newEventId();
      const first = await postLead({ name: 'Once', email: 'once@example.com', score: 10 }, { eventId });
      expect(first.body).toMatchObject({ duplicate: false });
      const replay = await postLead({ name: 'Twice', email: 'once@example.com', score: 90 }, { eventId });
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ received: true, duplicate: true, leadId: first.body.leadId });
      expect(replay.body.deliveryId).not.toBe(first.body.deliveryId);
      const [lead] = await leadsWithEmail('once@example.com');
      expect(lead.name).toBe('Once');
      const webhookEvents = await t.db.query(`SELECT 1 FROM lead_events WHERE lead_id = $1 AND type = 'webhook'`, [
        lead.id,
      ]);
      expect(webhookEvents).toHaveLength(1);
      expect((await inboundRows('event_id = $2', [eventId])).map((r) => r.status).sort()).toEqual([
        'accepted',
        'duplicate',
      ]);
    });

    it('two concurrent identical deliveries: one applied, one acknowledged as duplicate', async () => {
      const eventId = newEventId();
      const payload = { name: 'Racer', email: 'racer@example.com', tags: ['race'] };
      const answers = await Promise.all([postLead(payload, { eventId }), postLead(payload, { eventId })]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      expect(answers.map((r) => r.body.duplicate).sort()).toEqual([false, true]);
      expect(await leadsWithEmail('racer@example.com')).toHaveLength(1);
      const [lead] = await leadsWithEmail('racer@example.com');
      expect(await t.db.query(`SELECT type FROM lead_events WHERE lead_id = $1 ORDER BY type`, [lead.id])).toEqual([
        { type: 'created' },
        { type: 'webhook' },
      ]);
    });

    it('the same event id from another workspace is its own event', async () => {
      const other = await signUp(t);
      await setSigningSecret(t, other, SECRET);
      const eventId = newEventId();
      await postLead({ name: 'Here', email: 'shared-id@example.com' }, { eventId }).expect(200);
      const res = await sendSigned(
        t,
        '/api/webhooks/leads',
        { name: 'There', email: 'shared-id@example.com' },
        { secret: SECRET, workspaceId: other.workspaceId, eventId },
      );
      expect(res.body).toMatchObject({ duplicate: false });
    });
  });

  describe('replayed deliveries: only a signed event id counts', () => {
    const webhookEvents = async (email: string) => {
      const [lead] = await leadsWithEmail(email);
      return (await t.db.query(`SELECT data FROM lead_events WHERE lead_id = $1 AND type = 'webhook'`, [
        lead.id,
      ])) as Array<{ data: { eventId: string } }>;
    };

    it('a captured delivery with its id in the body, sent again with a new header id, changes nothing', async () => {
      const eventId = newEventId();
      const body = { eventId, name: 'Body Id', email: 'replay-body@example.com' };
      const signature = signatureHeader(SECRET, JSON.stringify(body));
      const first = await postLead(body, { eventId: newEventId(), signature });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ duplicate: false });
      for (const header of [newEventId(), newEventId(), null]) {
        const replay = await postLead(body, { eventId: header, signature });
        expect(replay.status).toBe(200);
        expect(replay.body).toMatchObject({ duplicate: true, leadId: first.body.leadId });
      }
      expect(await leadsWithEmail('replay-body@example.com')).toHaveLength(1);
      expect((await webhookEvents('replay-body@example.com')).map((e) => e.data.eventId)).toEqual([eventId]);
      expect((await inboundRows('event_id = $2', [eventId])).map((r) => r.status).sort()).toEqual([
        'accepted',
        'duplicate',
        'duplicate',
        'duplicate',
      ]);
    });

    it('a captured delivery whose id travels only in an unsigned header, sent again with new ids, changes nothing', async () => {
      const body = { name: 'Header Id', email: 'replay-header@example.com' };
      const at = Date.now();
      const signature = signatureHeader(SECRET, JSON.stringify(body), at);
      const first = await postLead(body, { signature });
      expect(first.body).toMatchObject({ duplicate: false });
      for (let i = 0; i < 5; i++) {
        const replay = await postLead(body, { signature });
        expect(replay.status).toBe(200);
        expect(replay.body).toMatchObject({ duplicate: true, leadId: first.body.leadId });
      }
      expect(await leadsWithEmail('replay-header@example.com')).toHaveLength(1);
      const events = await webhookEvents('replay-header@example.com');
      // The id is derived from what the signature covers, not taken from the header.
      expect(events.map((e) => e.data.eventId)).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
      const accepted = await inboundRows(`status = 'accepted' AND lead_id = $2`, [first.body.leadId]);
      expect(accepted).toHaveLength(1);
      // The same content signed anew is a new delivery (a sender wanting retries deduplicated signs its id).
      const resigned = await postLead(body, { signature: signatureHeader(SECRET, JSON.stringify(body), at + 1000) });
      expect(resigned.body).toMatchObject({ duplicate: false });
    });

    it('an id signed in the header cannot be swapped: 401, nothing applied', async () => {
      const eventId = newEventId();
      const body = { name: 'Signed Header', email: 'signed-header@example.com' };
      const signature = signatureHeader(SECRET, JSON.stringify(body), Date.now(), eventId);
      const first = await postLead(body, { eventId, signature });
      expect(first.body).toMatchObject({ duplicate: false });
      expect((await webhookEvents('signed-header@example.com')).map((e) => e.data.eventId)).toEqual([eventId]);
      expectError(await postLead(body, { eventId: newEventId(), signature }), 401, 'WEBHOOK_SIGNATURE_INVALID');
      expect((await postLead(body, { eventId, signature })).body).toMatchObject({ duplicate: true });
      expect(await webhookEvents('signed-header@example.com')).toHaveLength(1);
    });
  });

  describe('400', () => {
    it('for a signed X-Crescendo-Event-Id header that differs from the eventId in the body', async () => {
      const res = await postLead({ eventId: newEventId(), name: 'Two Ids', email: 'two-ids@example.com' });
      expectError(res, 400, 'WEBHOOK_EVENT_ID_MISMATCH');
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'eventId' })]);
      expect(await leadsWithEmail('two-ids@example.com')).toEqual([]);
    });

    it('for a bad body, naming the fields, and logs the rejection', async () => {
      const eventId = newEventId();
      const res = await postLead({ name: '', email: 'not-an-email', score: 500, unknown: 1 }, { eventId });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'email', 'score', 'unknown']));
      expect(await inboundRows('event_id = $2', [eventId])).toEqual([
        expect.objectContaining({ status: 'rejected', http_status: 400, reason: 'VALIDATION_FAILED' }),
      ]);
    });

    it('for a body that is not JSON', async () => {
      const res = await postLead({} as Record<string, unknown>, { sendInstead: '{"name": ' });
      expect(res.status).toBe(400);
    });
  });

  describe('secret rotation: POST /api/webhooks/secret/rotate', () => {
    it('answers the new secret once and keeps the previous one valid for 24 hours', async () => {
      const user = await signUp(t);
      const oldSecret = 'old-secret-0123456789abcdef';
      await setSigningSecret(t, user, oldSecret);
      const rotated = await t.http().post('/api/webhooks/secret/rotate').set(user.auth).expect(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      const until = new Date(rotated.body.previousValidUntil).getTime();
      expect(Math.abs(until - (Date.now() + 24 * 3600_000))).toBeLessThan(60_000);

      const send = (secret: string, email: string) =>
        sendSigned(
          t,
          '/api/webhooks/leads',
          { name: 'R', email },
          { secret, workspaceId: user.workspaceId, eventId: newEventId() },
        );
      expect((await send(rotated.body.secret, 'new@example.com')).status).toBe(200);
      expect((await send(oldSecret, 'old@example.com')).status).toBe(200);

      const settings = await t.http().get('/api/settings/integrations').set(user.auth).expect(200);
      expect(JSON.stringify(settings.body)).not.toContain(rotated.body.secret);

      // Once the grace period is over, the previous secret is refused.
      await t.db.query(
        `UPDATE workspace_settings SET data = jsonb_set(data, '{webhookSigningSecretPreviousUntil}', to_jsonb($2::text))
         WHERE workspace_id = $1 AND section = 'integrations'`,
        [user.workspaceId, new Date(Date.now() - 1000).toISOString()],
      );
      expectError(await send(oldSecret, 'late@example.com'), 401, 'WEBHOOK_SIGNATURE_INVALID');
      expect((await send(rotated.body.secret, 'still@example.com')).status).toBe(200);
    });

    it('needs settings:write (403 for a viewer) and a session (401)', async () => {
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await t.http().post('/api/webhooks/secret/rotate').set(viewer.auth), 403);
      expectError(await t.http().post('/api/webhooks/secret/rotate'), 401);
    });
  });

  describe('GET /api/webhooks/inbound', () => {
    it('lists the workspace’s deliveries, filtered and paginated', async () => {
      const all = await t.http().get('/api/webhooks/inbound?limit=5').set(owner.auth).expect(200);
      expect(all.body.data).toHaveLength(5);
      expect(all.body.pagination).toMatchObject({ page: 1, limit: 5 });
      expect(all.body.pagination.total).toBeGreaterThan(10);
      const rejected = await t
        .http()
        .get('/api/webhooks/inbound?status=rejected&limit=100')
        .set(owner.auth)
        .expect(200);
      expect(rejected.body.data.length).toBeGreaterThan(0);
      expect(rejected.body.data.every((d: { status: string }) => d.status === 'rejected')).toBe(true);
      const dup = await t.http().get('/api/webhooks/inbound?status=duplicate&source=leads').set(owner.auth).expect(200);
      expect(dup.body.data.length).toBeGreaterThanOrEqual(2);
      expectError(await t.http().get('/api/webhooks/inbound?status=bogus').set(owner.auth), 400);
    });

    it('is the workspace’s own, and not for viewers', async () => {
      const other = await signUp(t);
      const res = await t.http().get('/api/webhooks/inbound').set(other.auth).expect(200);
      expect(res.body.pagination.total).toBe(0);
      const viewer = await addMember(t, owner, 'viewer');
      expectError(await t.http().get('/api/webhooks/inbound').set(viewer.auth), 403);
    });
  });

  describe('POST /api/webhooks/campaigns', () => {
    const postCampaign = (body: Record<string, unknown>, options: SignedOptions = {}) =>
      sendSigned(t, '/api/webhooks/campaigns', body, {
        secret: SECRET,
        workspaceId: owner.workspaceId,
        eventId: newEventId(),
        ...options,
      } as SignedOptions & { secret: string });
    const campaignId = '3f0b8a4e-2f4b-4c57-9a51-8d1f6b1f0c11';

    it('is signed like the leads webhook and validates its body', async () => {
      expectError(
        await postCampaign({ campaignId, status: 'active' }, { signature: null }),
        401,
        'WEBHOOK_SIGNATURE_INVALID',
      );
      const res = await postCampaign({ campaignId: 'nope', status: 'active' });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['campaignId']);
    });

    it('changes the status through the campaign rules: 200, replay applied once, 409, 404', async () => {
      const created = await t
        .http()
        .post('/api/campaigns')
        .set(owner.auth)
        .send({ name: `Hooked ${Date.now()}`, type: 'email' });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const eventId = newEventId();
      const res = await postCampaign({ campaignId: id, status: 'active' }, { eventId });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ received: true, duplicate: false, campaignId: id });
      const [row] = await t.db.query(`SELECT status FROM campaigns WHERE id = $1`, [id]);
      expect(row.status).toBe('active');
      const replay = await postCampaign({ campaignId: id, status: 'active' }, { eventId });
      expect(replay.body).toMatchObject({ duplicate: true, campaignId: id });

      const forbiddenMove = newEventId();
      expectError(
        await postCampaign({ campaignId: id, status: 'draft' }, { eventId: forbiddenMove }),
        409,
        'INVALID_STATUS_TRANSITION',
      );
      expect(await inboundRows('event_id = $2', [forbiddenMove])).toEqual([
        expect.objectContaining({ source: 'campaigns', status: 'rejected', http_status: 409 }),
      ]);
      const [after] = await t.db.query(`SELECT status FROM campaigns WHERE id = $1`, [id]);
      expect(after.status).toBe('active');

      const other = await signUp(t);
      const foreign = await t.http().post('/api/campaigns').set(other.auth).send({ name: 'Not yours', type: 'email' });
      expectError(await postCampaign({ campaignId: foreign.body.id, status: 'active' }), 404, 'CAMPAIGN_NOT_FOUND');
      expectError(await postCampaign({ campaignId: id, status: 'exploded' }), 400, 'VALIDATION_FAILED');
    });
  });

  it('JSON bodies elsewhere are parsed as before', async () => {
    const res = await t.http().post('/api/leads').set(owner.auth).send({ name: 'Plain', email: 'plain@example.com' });
    expect(res.status).toBe(201);
    expectError(
      await t.http().post('/api/leads').set(owner.auth).set('Content-Type', 'application/json').send('{"name":'),
      400,
    );
  });
});
