import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useAppWithWorker } from '../helpers/app-with-worker';
import { addMember, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

process.env.FILES_DIR = mkdtempSync(join(tmpdir(), 'crescendo-gdpr-'));

const FILENAME =
  /^attachment; filename="crescendo-data-export-([0-9a-f-]{36})-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.json"$/;

describe('GDPR', () => {
  const { t } = useAppWithWorker();

  const createLead = async (user: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post('/api/leads').set(user.auth).send(body);
    if (res.status !== 201) throw new Error(`create lead failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const exportOf = async (user: TestUser) => {
    const res = await t.http().post('/api/gdpr/export').set(user.auth).buffer(true).parse(textParser).expect(200);
    return { res, body: JSON.parse(res.body as string) };
  };

  describe('POST /api/gdpr/export', () => {
    it('streams one JSON file with the records of several features and no secret', async () => {
      const owner = await signUp(t, { name: 'Ada Export' });
      const lead = await createLead(owner, { name: 'Lead of Ada', email: 'lead-ada@example.invalid', notes: 'vip' });
      const campaign = await t
        .http()
        .post('/api/campaigns')
        .set(owner.auth)
        .send({ name: 'Ada launch', type: 'email' });
      const key = await t
        .http()
        .post('/api/security/api-keys')
        .set(owner.auth)
        .send({ name: 'export test key', scopes: ['leads:read'] });
      expect(key.status).toBe(201);
      await t.http().post('/api/gdpr/consent').set(owner.auth).send({ marketing: true }).expect(200);
      const other = await signUp(t);
      await createLead(other, { name: 'Not Ada lead', email: 'other@example.invalid' });

      const { res, body } = await exportOf(owner);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-disposition']).toMatch(FILENAME);
      expect(FILENAME.exec(res.headers['content-disposition'])![1]).toBe(owner.id);
      // Streamed: no length known in advance.
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.headers['transfer-encoding']).toBe('chunked');

      expect(body).toMatchObject({ format: 'crescendo-data-export/1', userId: owner.id });
      const data = body.data;
      expect(data.identity.profile).toEqual([expect.objectContaining({ id: owner.id, email: owner.email })]);
      expect(data.identity.memberships).toEqual([
        expect.objectContaining({ workspaceId: owner.workspaceId, role: 'owner' }),
      ]);
      expect(data.identity.sessions.length).toBeGreaterThan(0);
      expect(data.identity.apiKeys).toEqual([expect.objectContaining({ id: key.body.id, name: 'export test key' })]);
      expect(data.leads.leads.map((l: { id: string }) => l.id)).toEqual([lead.id]);
      expect(data.leads.leadEvents.some((e: { leadId: string }) => e.leadId === lead.id)).toBe(true);
      if (campaign.status === 201) {
        expect(data.campaigns.campaigns.map((c: { id: string }) => c.id)).toContain(campaign.body.id);
      }
      expect(data.audit.auditLogs.length).toBeGreaterThan(0);
      expect(data.consent.consentRecords).toEqual([
        expect.objectContaining({ purpose: 'marketing', granted: true, policyVersion: expect.any(String) }),
      ]);
      for (const section of ['chat', 'ai', 'settings', 'subscribers', 'jobs']) expect(data).toHaveProperty(section);

      const text = res.body as string;
      const [user] = await t.db.query(`SELECT password_hash FROM users WHERE id = $1`, [owner.id]);
      const [apiKey] = await t.db.query(`SELECT key_hash FROM api_keys WHERE id = $1`, [key.body.id]);
      const tokens: Array<{ token_hash: string }> = await t.db.query(
        `SELECT token_hash FROM refresh_tokens WHERE user_id = $1`,
        [owner.id],
      );
      for (const secret of [
        user.password_hash,
        apiKey.key_hash,
        key.body.key,
        owner.refreshToken,
        ...tokens.map((r) => r.token_hash),
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toMatch(/passwordHash|password_hash|keyHash|tokenHash/);
      expect(text).not.toContain('Not Ada lead');
      expect(text).not.toContain(other.email);
    });

    it('runs as a job with Prefer: respond-async; the mailed job page gives a signed link to the same file', async () => {
      const owner = await signUp(t);
      const lead = await createLead(owner, { name: 'Job lead', email: 'job-lead@example.invalid' });
      const res = await t.http().post('/api/gdpr/export').set(owner.auth).set('Prefer', 'respond-async').expect(202);
      expect(res.headers.location).toBe(`/api/jobs/${res.body.jobId}`);
      const job = await waitFor(
        'the export job',
        async () => {
          const polled = await t.http().get(res.body.statusUrl).set(owner.auth).expect(200);
          if (polled.body.status === 'FAILED') throw new Error(JSON.stringify(polled.body.error));
          return polled.body.status === 'COMPLETED' ? polled.body : undefined;
        },
        60_000,
      );
      expect(job).toMatchObject({ type: 'gdpr.export', files: [{ contentType: 'application/json' }] });
      const download = await t
        .http()
        .get(job.files[0].url)
        .set('X-Forwarded-For', randomIp())
        .buffer(true)
        .parse(textParser);
      expect(download.status).toBe(200);
      const body = JSON.parse(download.body as string);
      expect(body.userId).toBe(owner.id);
      expect(body.data.leads.leads.map((l: { id: string }) => l.id)).toEqual([lead.id]);
      const [mail] = await t.db.query(
        `SELECT subject, text FROM mail_outbox WHERE "to" = $1 AND template = 'gdpr-export'`,
        [owner.email],
      );
      expect(mail.subject).toBe('Your Crescendo data export is ready');
      expect(mail.text).toContain(`/api/jobs/${res.body.jobId}`);
      // An expired or forged link is refused.
      const forged = job.files[0].url.replace(/signature=[^&]+/, `signature=${'A'.repeat(43)}`);
      expectError(await t.http().get(forged).set('X-Forwarded-For', randomIp()), 403, 'DOWNLOAD_LINK_INVALID');
    });

    it('mails the export in the requester’s language', async () => {
      const owner = await signUp(t);
      await t.http().put('/api/management/settings').set(owner.auth).send({ language: 'fr' }).expect(200);
      const res = await t.http().post('/api/gdpr/export').set(owner.auth).set('Prefer', 'respond-async').expect(202);
      const mail = await waitFor(
        'the export mail',
        async () =>
          (
            await t.db.query(`SELECT subject, text FROM mail_outbox WHERE "to" = $1 AND template = 'gdpr-export'`, [
              owner.email,
            ])
          )[0] as { subject: string; text: string } | undefined,
        60_000,
      );
      expect(mail.subject).toBe('Votre export de données Crescendo est prêt');
      expect(mail.text).toMatch(
        /^Votre export de données est prêt\. Ouvrez \S+\/api\/jobs\/[0-9a-f-]+ en étant connecté/,
      );
      expect(mail.text).toContain(`/api/jobs/${res.body.jobId}`);
    });

    it('401 without credentials, 403 for an API key', async () => {
      expectError(await t.http().post('/api/gdpr/export').set('X-Forwarded-For', randomIp()), 401);
      const owner = await signUp(t);
      const key = await t
        .http()
        .post('/api/security/api-keys')
        .set(owner.auth)
        .send({ name: 'k', scopes: ['leads:read'] });
      const res = await t
        .http()
        .post('/api/gdpr/export')
        .set('X-API-Key', key.body.key)
        .set('X-Forwarded-For', randomIp());
      expectError(res, 403, 'USER_SESSION_REQUIRED');
    });
  });

  describe('POST /api/gdpr/delete', () => {
    it('400 without the exact confirmation, and nothing is erased', async () => {
      const owner = await signUp(t);
      for (const body of [{}, { confirmation: 'delete_my_data' }, { confirmation: 'yes' }]) {
        expectError(await t.http().post('/api/gdpr/delete').set(owner.auth).send(body), 400);
      }
      await t.http().get('/api/auth/me').set(owner.auth).expect(200);
      expectError(
        await t
          .http()
          .post('/api/gdpr/delete')
          .set('X-Forwarded-For', randomIp())
          .send({ confirmation: 'DELETE_MY_DATA' }),
        401,
      );
    });

    it('as the only owner: the workspace and its leads are deleted, the e-mail can register again', async () => {
      const owner = await signUp(t, { name: 'Erased Owner' });
      const lead = await createLead(owner, { name: 'Doomed lead', email: 'doomed@example.invalid' });
      await t.http().post('/api/gdpr/consent').set(owner.auth).send({ analytics: true }).expect(200);
      const res = await t.http().post('/api/gdpr/delete').set(owner.auth).send({ confirmation: 'DELETE_MY_DATA' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true, message: 'All your data has been permanently deleted' });

      const count = async (sql: string, params: unknown[]) => Number((await t.db.query(sql, params))[0].n);
      expect(await count(`SELECT count(*) AS n FROM workspaces WHERE id = $1`, [owner.workspaceId])).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM leads WHERE id = $1`, [lead.id])).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM lead_events WHERE lead_id = $1`, [lead.id])).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM users WHERE email = $1`, [owner.email])).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM refresh_tokens WHERE user_id = $1`, [owner.id])).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM consent_records WHERE user_id = $1`, [owner.id])).toBe(0);
      expect(await count(`SELECT count(*) AS n FROM audit_logs WHERE user_id = $1`, [owner.id])).toBe(0);
      const [entry] = await t.db.query(
        `SELECT user_id, workspace_id, ip, metadata FROM audit_logs WHERE action = 'gdpr.user_erased' ORDER BY created_at DESC LIMIT 1`,
      );
      expect(entry).toEqual({
        user_id: null,
        workspace_id: null,
        ip: null,
        metadata: { deletedWorkspaces: 1, sharedWorkspaces: 0 },
      });
      expect(JSON.stringify(entry)).not.toContain(owner.email);

      // The old session no longer works; the e-mail signs up again as a new user.
      expectError(await t.http().get('/api/auth/me').set(owner.auth), 401);
      const again = await signUp(t, { email: owner.email });
      expect(again.id).not.toBe(owner.id);
    });

    it('in a shared workspace: its leads stay with authorship anonymised, the owner keeps working', async () => {
      const owner = await signUp(t);
      const member = await addMember(t, owner, 'member', { name: 'Leaving Member' });
      const lead = await createLead(member, {
        name: 'Shared lead',
        email: 'shared@example.invalid',
        ownerId: member.id,
      });
      await t.http().put(`/api/leads/${lead.id}`).set(member.auth).send({ status: 'contacted' }).expect(200);
      const before = await t.db.query(`SELECT count(*)::int AS n FROM lead_events WHERE actor_user_id = $1`, [
        member.id,
      ]);
      expect(before[0].n).toBeGreaterThan(0);

      await t.http().post('/api/gdpr/delete').set(member.auth).send({ confirmation: 'DELETE_MY_DATA' }).expect(200);

      const [kept] = await t.db.query(`SELECT owner_id, workspace_id FROM leads WHERE id = $1`, [lead.id]);
      expect(kept).toEqual({ owner_id: null, workspace_id: owner.workspaceId });
      const after = await t.db.query(`SELECT count(*)::int AS n FROM lead_events WHERE lead_id = $1`, [lead.id]);
      expect(after[0].n).toBeGreaterThan(0);
      const named = await t.db.query(`SELECT count(*)::int AS n FROM lead_events WHERE actor_user_id = $1`, [
        member.id,
      ]);
      expect(named[0].n).toBe(0);
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM memberships WHERE user_id = $1`, [member.id]))[0].n,
      ).toBe(0);
      expect(
        (await t.db.query(`SELECT count(*)::int AS n FROM workspaces WHERE id = $1`, [owner.workspaceId]))[0].n,
      ).toBe(1);
      const read = await t.http().get(`/api/leads/${lead.id}`).set(owner.auth).expect(200);
      expect(read.body).toMatchObject({ id: lead.id, ownerId: null });
      expectError(await t.http().get('/api/auth/me').set(member.auth), 401);
    });
  });

  describe('GET|POST /api/gdpr/consent', () => {
    it('defaults, then every change is kept with purpose, policy version, IP and user agent', async () => {
      const user = await signUp(t);
      const initial = await t.http().get('/api/gdpr/consent').set(user.auth).expect(200);
      expect(initial.body.consent).toEqual({ necessary: true, analytics: false, marketing: false, preferences: false });

      await t
        .http()
        .post('/api/gdpr/consent')
        .set(user.auth)
        .set('User-Agent', 'consent-test/1.0')
        .send({ analytics: true, marketing: true, preferences: false })
        .expect(200, { success: true, message: 'Consent preferences updated' });
      // The same choice again records nothing; withdrawing is one call.
      await t.http().post('/api/gdpr/consent').set(user.auth).send({ analytics: true }).expect(200);
      await t.http().post('/api/gdpr/consent').set(user.auth).send({ marketing: false }).expect(200);

      const now = await t.http().get('/api/gdpr/consent').set(user.auth).expect(200);
      expect(now.body.consent).toEqual({ necessary: true, analytics: true, marketing: false, preferences: false });

      const history = await t.http().get('/api/gdpr/consent/history').set(user.auth).expect(200);
      const pairs = history.body.data.map((r: { purpose: string; granted: boolean }) => [r.purpose, r.granted]);
      // Newest first: the withdrawal, then the three choices of the first call (one instant, any order).
      expect(pairs[0]).toEqual(['marketing', false]);
      expect(pairs.slice(1).sort()).toEqual([
        ['analytics', true],
        ['marketing', true],
        ['preferences', false],
      ]);
      expect(history.body.data).toHaveLength(4);
      expect(history.body.pagination).toMatchObject({ total: 4 });
      const first = history.body.data.find((r: { purpose: string; granted: boolean }) => r.purpose === 'analytics');
      expect(first).toMatchObject({
        granted: true,
        policyVersion: expect.any(String),
        ip: user.ip,
        userAgent: 'consent-test/1.0',
      });

      const paged = await t.http().get('/api/gdpr/consent/history').query({ limit: 3 }).set(user.auth).expect(200);
      const next = await t
        .http()
        .get('/api/gdpr/consent/history')
        .query({ limit: 3, cursor: paged.body.pagination.nextCursor })
        .set(user.auth)
        .expect(200);
      expect([...paged.body.data, ...next.body.data].map((r: { id: string }) => r.id)).toEqual(
        history.body.data.map((r: { id: string }) => r.id),
      );
    });

    it('400 on refusing necessary or a non-boolean; 401 without credentials', async () => {
      const user = await signUp(t);
      expectError(await t.http().post('/api/gdpr/consent').set(user.auth).send({ necessary: false }), 400);
      expectError(await t.http().post('/api/gdpr/consent').set(user.auth).send({ marketing: 'yes' }), 400);
      expectError(await t.http().post('/api/gdpr/consent').set(user.auth).send({ analytics: null }), 400);
      expectError(await t.http().get('/api/gdpr/consent').set('X-Forwarded-For', randomIp()), 401);
      const history = await t.http().get('/api/gdpr/consent/history').set(user.auth).expect(200);
      expect(history.body.data).toEqual([]);
    });
  });
});

const textParser: Parameters<ReturnType<ReturnType<TestApp['http']>['get']>['parse']>[0] = (response, done) => {
  let text = '';
  response.on('data', (chunk: Buffer) => (text += chunk.toString()));
  response.on('end', () => done(null, text));
};
