import { AiTestBed, startAiTestBed } from '../helpers/ai-test-bed';
import type { FakeOpenAI } from '../helpers/fake-openai';
import { expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

/** A workspace's own OpenAI key (settings › integrations) serves its AI calls; others keep the instance key. */
describe('AI with the workspace’s own key (BYOK)', () => {
  const generate = (t: TestApp, user: TestUser, prompt: string) =>
    t.http().post('/api/ai-assistant/generate').set(user.auth).send({ prompt });
  const setIntegrations = (t: TestApp, user: TestUser, body: Record<string, unknown>) =>
    t.http().put('/api/settings/integrations').set(user.auth).send(body);

  describe('with private URLs allowed (the fake servers listen on 127.0.0.1)', () => {
    let bed: AiTestBed;
    let t: TestApp;
    let instance: FakeOpenAI;
    let own: FakeOpenAI;

    beforeAll(async () => {
      const { FakeOpenAI: Fake } = await import('../helpers/fake-openai');
      own = await Fake.start();
      bed = await startAiTestBed({
        providers: (fake) => [fake.provider({ name: 'Instance' })],
        env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' },
      });
      ({ t, fake: instance } = bed);
    });
    afterAll(async () => {
      await bed?.close();
      await own?.close();
    });
    beforeEach(() => {
      instance.reset();
      own.reset();
    });

    it('sends the workspace key (and organization) to its base URL; another workspace still uses the instance key', async () => {
      const byok = await signUp(t);
      const plain = await signUp(t);
      const put = await setIntegrations(t, byok, {
        openaiApiKey: 'sk-workspace-own-key-1234',
        openaiBaseUrl: own.baseUrl,
        openaiOrganization: 'org-acme',
      });
      expect(put.status).toBe(200);

      const answer = await generate(t, byok, 'hello from byok');
      expect(answer.status).toBe(200);
      expect(own.requests).toHaveLength(1);
      expect(own.requests[0].headers.authorization).toBe('Bearer sk-workspace-own-key-1234');
      expect(own.requests[0].headers['openai-organization']).toBe('org-acme');
      expect(instance.requests).toHaveLength(0);

      expect((await generate(t, plain, 'hello from plain')).status).toBe(200);
      expect(instance.requests).toHaveLength(1);
      expect(instance.requests[0].headers.authorization).toBe('Bearer sk-fake');
      expect(own.requests).toHaveLength(1);

      // Clearing the key puts the workspace back on the instance provider at once.
      expect((await setIntegrations(t, byok, { openaiApiKey: null })).status).toBe(200);
      expect((await generate(t, byok, 'hello again')).status).toBe(200);
      expect(instance.requests).toHaveLength(2);
      expect(instance.requests[1].headers.authorization).toBe('Bearer sk-fake');
      expect(own.requests).toHaveLength(1);
    });

    it('answers a rejected workspace key as a provider error; other workspaces keep working', async () => {
      const byok = await signUp(t);
      await setIntegrations(t, byok, { openaiApiKey: 'sk-revoked-key-0000', openaiBaseUrl: own.baseUrl }).expect(200);
      own.setDefault({ status: 401, message: 'Incorrect API key provided' });
      try {
        expectError(await generate(t, byok, 'with a bad key'), 502, 'AI_PROVIDER_ERROR');
      } finally {
        own.setDefault({});
      }
      expect(own.requests[0].headers.authorization).toBe('Bearer sk-revoked-key-0000');
      const plain = await signUp(t);
      expect((await generate(t, plain, 'still fine')).status).toBe(200);
    });
  });

  describe('with private URLs refused (the default)', () => {
    let bed: AiTestBed;
    let t: TestApp;
    let instance: FakeOpenAI;

    beforeAll(async () => {
      bed = await startAiTestBed({
        providers: (fake) => [fake.provider({ name: 'Instance' })],
        env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'false' },
      });
      ({ t, fake: instance } = bed);
    });
    afterAll(() => bed?.close());

    it('stores a local base URL but refuses to call it: 400 WEBHOOK_URL_NOT_ALLOWED, nothing sent anywhere', async () => {
      const byok = await signUp(t);
      await setIntegrations(t, byok, {
        openaiApiKey: 'sk-workspace-own-key-5678',
        openaiBaseUrl: instance.baseUrl,
      }).expect(200);
      const refused = await generate(t, byok, 'to an internal address');
      expectError(refused, 400, 'WEBHOOK_URL_NOT_ALLOWED');
      expect(refused.body.details).toEqual([expect.objectContaining({ field: 'openaiBaseUrl' })]);
      expect(instance.requests).toHaveLength(0);
    });

    it('refuses a workspace SMTP override on a private address the same way: the mail is recorded as failed', async () => {
      const owner = await signUp(t);
      await setIntegrations(t, owner, { smtp: { host: '127.0.0.1', port: 2525, secure: false } }).expect(200);
      const email = `smtp-${Date.now()}@crescendo.test`;
      await t.http().post('/api/users').set(owner.auth).send({ email, role: 'member' }).expect(201);
      const [row] = await t.db.query(`SELECT status, error, workspace_id FROM mail_outbox WHERE "to" = $1`, [email]);
      expect(row).toEqual({
        status: 'failed',
        error: expect.stringMatching(/private or local address/),
        workspace_id: owner.workspaceId,
      });
    });
  });
});
