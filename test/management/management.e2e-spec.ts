import { createTestApp, expectError, randomIp, signIn, signUp, TestApp, TestUser } from '../helpers/test-app';

describe('management (seed 000): own settings and profile', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const apiKeyOf = async (user: TestUser): Promise<string> => {
    const res = await t
      .http()
      .post('/api/security/api-keys')
      .set(user.auth)
      .send({ name: 'Machine', scopes: ['settings:read', 'settings:write'] });
    expect(res.status).toBe(201);
    return res.body.key as string;
  };

  describe('GET|PUT /api/management/settings', () => {
    it('answers the defaults in the { success, data } envelope until something is stored', async () => {
      const user = await signUp(t);
      const res = await t.http().get('/api/management/settings').set(user.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        data: {
          theme: 'system',
          language: 'en',
          emailNotifications: true,
          pushNotifications: false,
          marketingEmails: false,
          compactMode: false,
          forumMentions: true,
        },
      });
    });

    it("merges a partial update, stores it on the user's own row and answers the whole set", async () => {
      const user = await signUp(t);
      const first = await t.http().put('/api/management/settings').set(user.auth).send({ theme: 'dark' });
      expect(first.status).toBe(200);
      const second = await t
        .http()
        .put('/api/management/settings')
        .set(user.auth)
        .send({ language: 'fr-FR', marketingEmails: true, pushNotifications: true });
      const expected = {
        success: true,
        data: {
          theme: 'dark',
          language: 'fr-FR',
          emailNotifications: true,
          pushNotifications: true,
          marketingEmails: true,
          compactMode: false,
          forumMentions: true,
        },
      };
      expect(second.body).toEqual(expected);
      expect((await t.http().get('/api/management/settings').set(user.auth)).body).toEqual(expected);
      const [row] = await t.db.query('SELECT data FROM user_settings WHERE user_id = $1', [user.id]);
      expect(row.data).toEqual(expected.data);

      // Preferences are per user: another user still sees the defaults.
      const other = await signUp(t);
      expect((await t.http().get('/api/management/settings').set(other.auth)).body.data.theme).toBe('system');
    });

    it('answers 400 with the fields at fault, unknown fields included', async () => {
      const user = await signUp(t);
      const res = await t
        .http()
        .put('/api/management/settings')
        .set(user.auth)
        .send({ theme: 'neon', language: 'xx_not', emailNotifications: 'yes', userId: user.id });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['theme', 'language', 'emailNotifications', 'userId']));
      const nul = await t.http().put('/api/management/settings').set(user.auth).send({ theme: null });
      expectError(nul, 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET|PUT /api/management/profile', () => {
    it("answers the signed-in user's profile", async () => {
      const user = await signUp(t, { name: 'Ada Lovelace' });
      const res = await t.http().get('/api/management/profile').set(user.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        data: {
          id: user.id,
          email: user.email,
          name: 'Ada Lovelace',
          bio: null,
          avatarUrl: null,
          timezone: 'UTC',
          locale: 'en',
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      });
    });

    it('changes name, bio, avatar, time zone and locale; null clears bio and avatar', async () => {
      const user = await signUp(t);
      const res = await t.http().put('/api/management/profile').set(user.auth).send({
        name: '  Grace Hopper ',
        bio: 'Compilers, mostly.',
        avatarUrl: 'https://cdn.example.com/grace.png',
        timezone: 'America/New_York',
        locale: 'en-US',
      });
      expect(res.status).toBe(200);
      const expected = {
        success: true,
        data: {
          id: user.id,
          email: user.email,
          name: 'Grace Hopper',
          bio: 'Compilers, mostly.',
          avatarUrl: 'https://cdn.example.com/grace.png',
          timezone: 'America/New_York',
          locale: 'en-US',
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      };
      expect(res.body).toEqual(expected);
      expect((await t.http().get('/api/management/profile').set(user.auth)).body).toEqual(expected);
      const [row] = await t.db.query('SELECT name, timezone, locale FROM users WHERE id = $1', [user.id]);
      expect(row).toEqual({ name: 'Grace Hopper', timezone: 'America/New_York', locale: 'en-US' });

      const cleared = await t.http().put('/api/management/profile').set(user.auth).send({ bio: null, avatarUrl: null });
      expect(cleared.body.data).toMatchObject({ bio: null, avatarUrl: null, name: 'Grace Hopper' });
    });

    it('answers 400 for a bad avatar URL, time zone or locale, and refuses to change the e-mail here', async () => {
      const user = await signUp(t);
      const res = await t.http().put('/api/management/profile').set(user.auth).send({
        name: '   ',
        avatarUrl: 'http://insecure.example.com/a.png',
        timezone: 'Europe/Atlantis',
        locale: '!!',
        email: 'new@example.com',
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'avatarUrl', 'timezone', 'locale', 'email']));
      expect(res.body.details).toContainEqual({ field: 'avatarUrl', message: 'avatarUrl must be an https URL' });
      const [row] = await t.db.query('SELECT email, name FROM users WHERE id = $1', [user.id]);
      expect(row.email).toBe(user.email);
    });
  });

  describe('access', () => {
    const routes = ['/api/management/settings', '/api/management/profile'];

    it('answers 401 without a token', async () => {
      for (const path of routes) {
        expectError(await t.http().get(path), 401);
        expectError(await t.http().put(path).send({}), 401);
      }
    });

    it('answers 403 USER_SESSION_REQUIRED to an API key', async () => {
      const user = await signUp(t);
      const key = await apiKeyOf(user);
      const headers = { 'X-API-Key': key, 'X-Forwarded-For': randomIp() };
      for (const path of routes) {
        expectError(await t.http().get(path).set(headers), 403, 'USER_SESSION_REQUIRED');
        expectError(await t.http().put(path).set(headers).send({}), 403, 'USER_SESSION_REQUIRED');
      }
      // The same key still works on workspace routes it has a scope for.
      expect((await t.http().get('/api/settings/general').set(headers)).status).toBe(200);
    });

    it('is open to any signed-in member, a viewer included', async () => {
      const user = await signUp(t);
      await t.db.query(`UPDATE memberships SET role = 'viewer' WHERE user_id = $1`, [user.id]);
      const v = await signIn(t, user.email, user.password);
      expect((await t.http().put('/api/management/settings').set(v.auth).send({ theme: 'light' })).status).toBe(200);
      expect((await t.http().put('/api/management/profile').set(v.auth).send({ name: 'Viewer' })).status).toBe(200);
    });
  });
});
