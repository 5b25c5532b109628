import { withPrivateUrls } from '../helpers/private-urls';
import { createTestApp, expectError, signIn, signUp, TestApp, TestUser } from '../helpers/test-app';

async function viewer(t: TestApp): Promise<TestUser> {
  const user = await signUp(t);
  await t.db.query(`UPDATE memberships SET role = 'viewer' WHERE user_id = $1`, [user.id]);
  return signIn(t, user.email, user.password);
}

const unset = { configured: false, masked: null };

const defaultIntegrations = {
  openaiApiKey: unset,
  openaiBaseUrl: null,
  openaiOrganization: null,
  slackWebhookUrl: unset,
  webhookSigningSecret: unset,
  smtp: {
    host: null,
    port: 587,
    secure: false,
    username: null,
    password: unset,
    fromEmail: null,
    fromName: null,
  },
};

describe('workspace settings', () => {
  let t: TestApp;
  let owner: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t);
  });
  afterAll(() => t.close());

  describe('general', () => {
    it('answers the defaults until something is stored', async () => {
      const res = await t.http().get('/api/settings/general').set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        companyName: null,
        defaultLanguage: 'en',
        timezone: 'UTC',
        currency: 'USD',
        dateFormat: 'YYYY-MM-DD',
        timeFormat: '24h',
        weekStartsOn: 'monday',
      });
    });

    it('merges a partial update over the current values and answers the whole section', async () => {
      const user = await signUp(t);
      const first = await t
        .http()
        .put('/api/settings/general')
        .set(user.auth)
        .send({ companyName: 'Acme Studio', timezone: 'Europe/Paris', currency: 'EUR' });
      expect(first.status).toBe(200);
      const second = await t
        .http()
        .put('/api/settings/general')
        .set(user.auth)
        .send({ dateFormat: 'DD/MM/YYYY', weekStartsOn: 'sunday', defaultLanguage: 'fr-FR' });
      const expected = {
        companyName: 'Acme Studio',
        defaultLanguage: 'fr-FR',
        timezone: 'Europe/Paris',
        currency: 'EUR',
        dateFormat: 'DD/MM/YYYY',
        timeFormat: '24h',
        weekStartsOn: 'sunday',
      };
      expect(second.body).toEqual(expected);
      expect((await t.http().get('/api/settings/general').set(user.auth)).body).toEqual(expected);
      const cleared = await t.http().put('/api/settings/general').set(user.auth).send({ companyName: null });
      expect(cleared.body.companyName).toBeNull();

      const [log] = await t.db.query(
        `SELECT type, action, metadata FROM audit_logs WHERE workspace_id = $1 AND action = 'settings_updated'
          ORDER BY created_at ASC LIMIT 1`,
        [user.workspaceId],
      );
      expect(log).toEqual({
        type: 'admin',
        action: 'settings_updated',
        metadata: { section: 'general', fields: ['companyName', 'timezone', 'currency'] },
      });
    });

    it('answers 400 with the fields at fault', async () => {
      const res = await t.http().put('/api/settings/general').set(owner.auth).send({
        timezone: 'Mars/Olympus_Mons',
        currency: 'EURO',
        defaultLanguage: 'not a language',
        dateFormat: 'YY',
        weekStartsOn: 'friday',
        color: 'blue',
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining(['timezone', 'currency', 'defaultLanguage', 'dateFormat', 'weekStartsOn', 'color']),
      );
      expect(res.body.details).toContainEqual({
        field: 'timezone',
        message: 'timezone must be an IANA time zone such as Europe/Paris',
      });
      // null is not a value for a non-nullable setting.
      const nul = await t.http().put('/api/settings/general').set(owner.auth).send({ timezone: null });
      expectError(nul, 400, 'VALIDATION_FAILED');
      expect((await t.http().get('/api/settings/general').set(owner.auth)).body.timezone).toBe('UTC');
    });
  });

  describe('integrations', () => {
    it('encrypts secrets at rest, shows them masked, keeps them when omitted and clears them with null', async () => {
      const user = await signUp(t);
      expect((await t.http().get('/api/settings/integrations').set(user.auth)).body).toEqual(defaultIntegrations);

      const openaiKey = 'sk-proj-abcdefghijklmnop1234';
      const signingSecret = 'whsec-signing-secret-9876';
      const smtpPassword = 'smtp password 42';
      const put = await t
        .http()
        .put('/api/settings/integrations')
        .set(user.auth)
        .send({
          openaiApiKey: openaiKey,
          openaiBaseUrl: 'http://localhost:11434/v1',
          webhookSigningSecret: signingSecret,
          smtp: { host: 'smtp.example.com', port: 465, secure: true, password: smtpPassword },
        });
      expect(put.status).toBe(200);
      const expected = {
        ...defaultIntegrations,
        openaiApiKey: { configured: true, masked: 'sk-…1234' },
        openaiBaseUrl: 'http://localhost:11434/v1',
        webhookSigningSecret: { configured: true, masked: 'whs…9876' },
        smtp: {
          ...defaultIntegrations.smtp,
          host: 'smtp.example.com',
          port: 465,
          secure: true,
          password: { configured: true, masked: 'smt…d 42' },
        },
      };
      expect(put.body).toEqual(expected);
      expect((await t.http().get('/api/settings/integrations').set(user.auth)).body).toEqual(expected);

      const [row] = await t.db.query(
        `SELECT data::text AS data FROM workspace_settings WHERE workspace_id = $1 AND section = 'integrations'`,
        [user.workspaceId],
      );
      for (const secret of [openaiKey, signingSecret, smtpPassword]) expect(row.data).not.toContain(secret);
      expect(row.data).toContain('smtp.example.com');

      const [log] = await t.db.query(
        `SELECT metadata::text AS metadata FROM audit_logs WHERE workspace_id = $1 AND action = 'settings_updated'`,
        [user.workspaceId],
      );
      for (const secret of [openaiKey, signingSecret, smtpPassword]) expect(log.metadata).not.toContain(secret);
      expect(JSON.parse(log.metadata).fields).toEqual(
        expect.arrayContaining(['openaiApiKey', 'webhookSigningSecret', 'smtp.password']),
      );

      // Omitted secrets are kept; null clears one.
      const update = await t
        .http()
        .put('/api/settings/integrations')
        .set(user.auth)
        .send({ webhookSigningSecret: null, smtp: { fromEmail: 'hello@example.com' } });
      expect(update.body).toEqual({
        ...expected,
        webhookSigningSecret: unset,
        smtp: { ...expected.smtp, fromEmail: 'hello@example.com' },
      });
      const [after] = await t.db.query(
        `SELECT data FROM workspace_settings WHERE workspace_id = $1 AND section = 'integrations'`,
        [user.workspaceId],
      );
      expect(after.data.webhookSigningSecret).toBeNull();
      expect(after.data.openaiApiKey).toMatch(/^v1:/);
    });

    it('answers 400 for invalid values and unknown fields', async () => {
      const res = await t
        .http()
        .put('/api/settings/integrations')
        .set(owner.auth)
        .send({
          openaiBaseUrl: 'ftp://nope',
          slackWebhookUrl: 'http://hooks.slack.com/insecure',
          webhookSigningSecret: 'short',
          smtp: { port: 70000, fromEmail: 'not-mail', tls: true },
          githubToken: 'x',
        });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'openaiBaseUrl',
          'slackWebhookUrl',
          'webhookSigningSecret',
          'smtp.port',
          'smtp.fromEmail',
          'smtp.tls',
          'githubToken',
        ]),
      );
    });
    it('refuses a Slack webhook URL on an internal address (400 WEBHOOK_URL_NOT_ALLOWED) unless private URLs are allowed', async () => {
      const user = await signUp(t);
      for (const url of ['https://127.0.0.1/services/x', 'https://[::ffff:a9fe:a9fe]/latest']) {
        const res = await t.http().put('/api/settings/integrations').set(user.auth).send({ slackWebhookUrl: url });
        expectError(res, 400, 'WEBHOOK_URL_NOT_ALLOWED');
        expect(res.body.details).toEqual([{ field: 'slackWebhookUrl', message: expect.any(String) }]);
      }
      const stored = await t.http().get('/api/settings/integrations').set(user.auth).expect(200);
      expect(stored.body.slackWebhookUrl).toEqual(unset);
      const ok = await withPrivateUrls(t, true, () =>
        t
          .http()
          .put('/api/settings/integrations')
          .set(user.auth)
          .send({ slackWebhookUrl: 'https://127.0.0.1/services/x' }),
      );
      expect(ok.status).toBe(200);
      expect(ok.body.slackWebhookUrl.configured).toBe(true);
    });
  });

  describe('notifications', () => {
    it('answers defaults, then merges nested partial updates', async () => {
      const user = await signUp(t);
      const defaults = await t.http().get('/api/settings/notifications').set(user.auth);
      expect(defaults.status).toBe(200);
      expect(defaults.body).toEqual({
        email: {
          newLead: true,
          leadStatusChanged: false,
          campaignStatusChanged: true,
          agentError: true,
          automationFailed: true,
          aiQuota: true,
          jobCompleted: false,
          paymentSucceeded: true,
          paymentFailed: true,
          weeklyReport: true,
        },
        inApp: {
          newLead: true,
          leadStatusChanged: true,
          campaignStatusChanged: true,
          agentError: true,
          automationFailed: true,
          aiQuota: true,
          jobCompleted: true,
          paymentSucceeded: true,
          paymentFailed: true,
          weeklyReport: false,
        },
        slack: { newLead: true, leadStatusChanged: false, campaignStatusChanged: true, importCompleted: false },
        digestFrequency: 'weekly',
        quietHours: { enabled: false, start: '22:00', end: '07:00' },
      });
      const res = await t
        .http()
        .put('/api/settings/notifications')
        .set(user.auth)
        .send({ email: { newLead: false }, digestFrequency: 'daily', quietHours: { enabled: true } });
      expect(res.body).toEqual({
        ...defaults.body,
        email: { ...defaults.body.email, newLead: false },
        digestFrequency: 'daily',
        quietHours: { enabled: true, start: '22:00', end: '07:00' },
      });
    });

    it('answers 400 with nested fields at fault', async () => {
      const res = await t
        .http()
        .put('/api/settings/notifications')
        .set(owner.auth)
        .send({ email: { newLead: 'yes', sms: true }, quietHours: { start: '25:00' }, digestFrequency: 'hourly' });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining(['email.newLead', 'email.sms', 'quietHours.start', 'digestFrequency']),
      );
    });
  });

  describe('scheduling', () => {
    it('answers defaults, merges updates and sorts the posting slots', async () => {
      const user = await signUp(t);
      const defaults = await t.http().get('/api/settings/scheduling').set(user.auth);
      expect(defaults.body).toEqual({
        timezone: 'UTC',
        workingDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
        workingHours: { start: '09:00', end: '18:00' },
        postingSlots: ['09:00', '12:00', '18:00'],
        maxPostsPerDay: 3,
      });
      const res = await t
        .http()
        .put('/api/settings/scheduling')
        .set(user.auth)
        .send({
          timezone: 'America/New_York',
          workingDays: ['saturday', 'sunday'],
          workingHours: { end: '20:30' },
          postingSlots: ['19:45', '08:15'],
          maxPostsPerDay: 5,
        });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        timezone: 'America/New_York',
        workingDays: ['saturday', 'sunday'],
        workingHours: { start: '09:00', end: '20:30' },
        postingSlots: ['08:15', '19:45'],
        maxPostsPerDay: 5,
      });
    });

    it('answers 400 for a bad HH:mm, bad time zone, and working hours that do not start before they end', async () => {
      const bad = await t
        .http()
        .put('/api/settings/scheduling')
        .set(owner.auth)
        .send({
          timezone: 'Nowhere/City',
          workingHours: { start: '9:00', end: '24:00' },
          postingSlots: ['12:60'],
          workingDays: ['funday'],
          maxPostsPerDay: 0,
        });
      expectError(bad, 400, 'VALIDATION_FAILED');
      const fields = bad.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'timezone',
          'workingHours.start',
          'workingHours.end',
          'postingSlots',
          'workingDays',
          'maxPostsPerDay',
        ]),
      );
      expect(bad.body.details).toContainEqual({
        field: 'workingHours.start',
        message: 'start must be a time of day as HH:mm (00:00 to 23:59)',
      });

      // Valid times, but after the stored start (09:00): refused as a whole, nothing stored.
      const reversed = await t
        .http()
        .put('/api/settings/scheduling')
        .set(owner.auth)
        .send({ workingHours: { end: '08:00' }, maxPostsPerDay: 9 });
      expectError(reversed, 400, 'VALIDATION_FAILED');
      expect(reversed.body.details.map((d: { field: string }) => d.field)).toEqual([
        'workingHours.start',
        'workingHours.end',
      ]);
      const after = await t.http().get('/api/settings/scheduling').set(owner.auth);
      expect(after.body.workingHours).toEqual({ start: '09:00', end: '18:00' });
      expect(after.body.maxPostsPerDay).toBe(3);
    });
  });

  describe('access', () => {
    const sections = ['general', 'integrations', 'notifications', 'scheduling'];

    it('answers 401 without a token', async () => {
      for (const s of sections) {
        expectError(await t.http().get(`/api/settings/${s}`), 401);
        expectError(await t.http().put(`/api/settings/${s}`).send({}), 401);
      }
    });

    it('lets a viewer read (settings:read) but not write (settings:write)', async () => {
      const v = await viewer(t);
      for (const s of sections) {
        expect((await t.http().get(`/api/settings/${s}`).set(v.auth)).status).toBe(200);
        expectError(await t.http().put(`/api/settings/${s}`).set(v.auth).send({}), 403, 'MISSING_PERMISSION');
      }
    });

    it("keeps each workspace's settings apart", async () => {
      const a = await signUp(t);
      const b = await signUp(t);
      await t.http().put('/api/settings/general').set(a.auth).send({ companyName: 'Only A' });
      await t.http().put('/api/settings/integrations').set(a.auth).send({ openaiApiKey: 'sk-only-for-a-123456' });
      expect((await t.http().get('/api/settings/general').set(b.auth)).body.companyName).toBeNull();
      expect((await t.http().get('/api/settings/integrations').set(b.auth)).body.openaiApiKey).toEqual(unset);
      expect((await t.http().get('/api/settings/general').set(a.auth)).body.companyName).toBe('Only A');
    });
  });
});
