import { createHash } from 'node:crypto';
import {
  addMember as addMemberTo,
  createTestApp,
  expectError,
  randomIp,
  signUp,
  TestApp,
  TestUser,
  uniqueEmail,
} from '../helpers/test-app';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

describe('API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const createKey = async (user: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post('/api/security/api-keys').set(user.auth).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; key: string; prefix: string };
  };
  const withKey = (key: string) => ({ 'X-API-Key': key, 'X-Forwarded-For': randomIp() });
  const addMember = (owner: TestUser, role: string) => addMemberTo(t, owner, role);

  describe('POST /api/security/api-keys', () => {
    it('creates a key, shows the secret once in `key` and stores only its SHA-256', async () => {
      const owner = await signUp(t);
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const res = await t
        .http()
        .post('/api/security/api-keys')
        .set(owner.auth)
        .send({ name: 'Zapier', scopes: ['leads:read', 'leads:read', 'users:read'], expiresAt });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Zapier',
        prefix: expect.stringMatching(/^crk_[0-9a-f]{12}$/),
        scopes: ['leads:read', 'users:read'],
        expiresAt,
        lastUsedAt: null,
        revokedAt: null,
        createdAt: iso,
        key: expect.stringMatching(/^crk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/),
      });
      expect(res.body.key.startsWith(`${res.body.prefix}_`)).toBe(true);

      const [row] = await t.db.query('SELECT * FROM api_keys WHERE id = $1', [res.body.id]);
      expect(row.key_hash).toBe(sha256(res.body.key));
      expect(row.workspace_id).toBe(owner.workspaceId);
      expect(row.created_by_id).toBe(owner.id);
      const secretPart = res.body.key.slice(res.body.prefix.length + 1);
      for (const value of Object.values(row)) expect(JSON.stringify(value)).not.toContain(secretPart);

      const [log] = await t.db.query(
        `SELECT type, action FROM audit_logs WHERE workspace_id = $1 AND action = 'api_key_created'`,
        [owner.workspaceId],
      );
      expect(log).toEqual({ type: 'admin', action: 'api_key_created' });
    });

    it('answers 400 with the fields at fault, and refuses fields a client must not set', async () => {
      const owner = await signUp(t);
      const res = await t
        .http()
        .post('/api/security/api-keys')
        .set(owner.auth)
        .send({
          name: '',
          scopes: ['leads:read', 'root'],
          expiresAt: 'tomorrow',
          id: 'x',
          workspaceId: owner.workspaceId,
          createdAt: '2020-01-01T00:00:00Z',
          keyHash: 'abc',
        });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining(['name', 'scopes', 'expiresAt', 'id', 'workspaceId', 'createdAt', 'keyHash']),
      );
      expectError(
        await t.http().post('/api/security/api-keys').set(owner.auth).send({ name: 'no scopes', scopes: [] }),
        400,
        'VALIDATION_FAILED',
      );
      const past = await t
        .http()
        .post('/api/security/api-keys')
        .set(owner.auth)
        .send({ name: 'past', scopes: ['leads:read'], expiresAt: '2020-01-01T00:00:00Z' });
      expectError(past, 400, 'VALIDATION_FAILED');
      expect(past.body.details).toEqual([{ field: 'expiresAt', message: 'expiresAt must be in the future' }]);
    });

    it('a key cannot get scopes its creator lacks', async () => {
      const owner = await signUp(t);
      const manager = await createKey(owner, { name: 'manager', scopes: ['api-keys:manage', 'leads:read'] });
      const res = await t
        .http()
        .post('/api/security/api-keys')
        .set(withKey(manager.key))
        .send({ name: 'escalation', scopes: ['leads:read', 'admin:users'] });
      expectError(res, 400, 'SCOPE_NOT_ALLOWED');
      expect(res.body.details).toEqual([{ field: 'scopes', message: 'you do not have admin:users' }]);
      const ok = await t
        .http()
        .post('/api/security/api-keys')
        .set(withKey(manager.key))
        .send({ name: 'narrower', scopes: ['leads:read'] });
      expect(ok.status).toBe(201);
    });

    it('answers 401 without a token and 403 without api-keys:manage', async () => {
      const owner = await signUp(t);
      expectError(
        await t
          .http()
          .post('/api/security/api-keys')
          .set('X-Forwarded-For', randomIp())
          .send({ name: 'x', scopes: ['leads:read'] }),
        401,
        'AUTH_REQUIRED',
      );
      for (const role of ['viewer', 'member']) {
        const user = await addMember(owner, role);
        const res = await t
          .http()
          .post('/api/security/api-keys')
          .set(user.auth)
          .send({ name: 'x', scopes: ['leads:read'] });
        expectError(res, 403, 'MISSING_PERMISSION');
        expect(res.body.details).toEqual([{ message: 'missing api-keys:manage', permission: 'api-keys:manage' }]);
      }
    });
  });

  describe('GET /api/security/api-keys', () => {
    it('lists the workspace keys, newest first, never the secret, with lastUsedAt once used', async () => {
      const owner = await signUp(t);
      const first = await createKey(owner, { name: 'first', scopes: ['users:read'] });
      const second = await createKey(owner, { name: 'second', scopes: ['leads:read'] });
      const other = await signUp(t);
      await createKey(other, { name: 'elsewhere', scopes: ['leads:read'] });

      expect((await t.http().get('/api/users').set(withKey(first.key))).status).toBe(200);

      const res = await t.http().get('/api/security/api-keys').set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: [
          {
            id: second.id,
            name: 'second',
            prefix: second.prefix,
            scopes: ['leads:read'],
            expiresAt: null,
            lastUsedAt: null,
            revokedAt: null,
            createdAt: iso,
          },
          {
            id: first.id,
            name: 'first',
            prefix: first.prefix,
            scopes: ['users:read'],
            expiresAt: null,
            lastUsedAt: iso,
            revokedAt: null,
            createdAt: iso,
          },
        ],
        pagination: {
          page: 1,
          limit: 20,
          total: 2,
          pages: 1,
          totalIsEstimate: false,
          nextCursor: null,
          prevCursor: null,
        },
      });
      expect(JSON.stringify(res.body)).not.toContain(first.key);

      const page = await t.http().get('/api/security/api-keys?limit=1&page=2').set(owner.auth);
      expect(page.body.data.map((k: { id: string }) => k.id)).toEqual([first.id]);
      expect(page.body.pagination).toMatchObject({ page: 2, limit: 1, total: 2, pages: 2, nextCursor: null });
    });

    it('hides revoked keys unless includeRevoked=true', async () => {
      const owner = await signUp(t);
      const key = await createKey(owner, { name: 'gone', scopes: ['leads:read'] });
      expect((await t.http().delete(`/api/security/api-keys/${key.id}`).set(owner.auth)).status).toBe(204);
      const hidden = await t.http().get('/api/security/api-keys').set(owner.auth);
      expect(hidden.body.data).toEqual([]);
      const shown = await t.http().get('/api/security/api-keys?includeRevoked=true').set(owner.auth);
      expect(shown.body.data).toEqual([expect.objectContaining({ id: key.id, revokedAt: iso })]);
    });

    it('answers 400 for a bad query, 401 without a token, 403 for a viewer', async () => {
      const owner = await signUp(t);
      const bad = await t.http().get('/api/security/api-keys?limit=500&page=0&secret=1').set(owner.auth);
      expectError(bad, 400, 'VALIDATION_FAILED');
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['limit', 'page', 'secret']),
      );
      expectError(
        await t.http().get('/api/security/api-keys').set('X-Forwarded-For', randomIp()),
        401,
        'AUTH_REQUIRED',
      );
      const viewer = await addMember(owner, 'viewer');
      expectError(await t.http().get('/api/security/api-keys').set(viewer.auth), 403, 'MISSING_PERMISSION');
    });
  });

  describe('DELETE /api/security/api-keys/:id', () => {
    it('revokes the key (204, no body): it answers 401 from then on, and the revocation is audited', async () => {
      const owner = await signUp(t);
      const key = await createKey(owner, { name: 'to revoke', scopes: ['users:read'] });
      expect((await t.http().get('/api/users').set(withKey(key.key))).status).toBe(200);
      const res = await t.http().delete(`/api/security/api-keys/${key.id}`).set(owner.auth);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectError(await t.http().get('/api/users').set(withKey(key.key)), 401, 'API_KEY_REVOKED');
      expectError(await t.http().delete(`/api/security/api-keys/${key.id}`).set(owner.auth), 404, 'API_KEY_NOT_FOUND');
      const logs = await t.db.query(`SELECT action FROM audit_logs WHERE workspace_id = $1 AND type = 'admin'`, [
        owner.workspaceId,
      ]);
      expect(logs.map((l: { action: string }) => l.action)).toContain('api_key_revoked');
    });

    it('answers 400 for an invalid id, 404 for a key of another workspace, 401 and 403', async () => {
      const owner = await signUp(t);
      const other = await signUp(t);
      const foreign = await createKey(other, { name: 'theirs', scopes: ['leads:read'] });
      const bad = await t.http().delete('/api/security/api-keys/not-a-uuid').set(owner.auth);
      expectError(bad, 400, 'VALIDATION_FAILED');
      expect(bad.body.details).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
      expectError(
        await t.http().delete(`/api/security/api-keys/${foreign.id}`).set(owner.auth),
        404,
        'API_KEY_NOT_FOUND',
      );
      expect((await t.http().get('/api/users').set(withKey(foreign.key))).status).toBe(403);
      expectError(
        await t.http().delete(`/api/security/api-keys/${foreign.id}`).set('X-Forwarded-For', randomIp()),
        401,
        'AUTH_REQUIRED',
      );
      const viewer = await addMember(owner, 'viewer');
      expectError(
        await t.http().delete(`/api/security/api-keys/${foreign.id}`).set(viewer.auth),
        403,
        'MISSING_PERMISSION',
      );
      const [row] = await t.db.query('SELECT revoked_at FROM api_keys WHERE id = $1', [foreign.id]);
      expect(row.revoked_at).toBeNull();
    });
  });

  describe('authenticating with a key', () => {
    it('works with X-API-Key and with Authorization: Bearer crk_…, in the key workspace only', async () => {
      const owner = await signUp(t);
      const key = await createKey(owner, { name: 'reader', scopes: ['users:read'] });
      const byHeader = await t.http().get('/api/users').set(withKey(key.key));
      expect(byHeader.status).toBe(200);
      expect(byHeader.body.data.map((u: { id: string }) => u.id)).toEqual([owner.id]);
      const byBearer = await t
        .http()
        .get('/api/users')
        .set('Authorization', `Bearer ${key.key}`)
        .set('X-Forwarded-For', randomIp());
      expect(byBearer.status).toBe(200);
      expect(byBearer.body.data.map((u: { id: string }) => u.id)).toEqual([owner.id]);
      const me = await t.http().get('/api/auth/me').set(withKey(key.key));
      expect(me.body).toMatchObject({ authenticatedBy: 'api_key', permissions: ['users:read'] });
    });

    it('acts only within its scopes (403 outside them)', async () => {
      const owner = await signUp(t);
      const key = await createKey(owner, { name: 'reader', scopes: ['users:read'] });
      const res = await t
        .http()
        .post('/api/users')
        .set(withKey(key.key))
        .send({ email: uniqueEmail(), name: 'Nope', role: 'viewer', password: 'password 123' });
      expectError(res, 403, 'MISSING_PERMISSION');
      expectError(await t.http().get('/api/security/api-keys').set(withKey(key.key)), 403, 'MISSING_PERMISSION');
    });

    it('answers 401 for an expired key, an unknown key or a tampered one, and sets lastUsedAt', async () => {
      const owner = await signUp(t);
      const key = await createKey(owner, { name: 'short-lived', scopes: ['users:read'] });
      expect((await t.http().get('/api/users').set(withKey(key.key))).status).toBe(200);
      const [used] = await t.db.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id]);
      expect(used.last_used_at).toBeInstanceOf(Date);
      await t.db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [key.id]);
      expectError(await t.http().get('/api/users').set(withKey(key.key)), 401, 'API_KEY_EXPIRED');
      expectError(
        await t
          .http()
          .get('/api/users')
          .set(withKey(`${key.key.slice(0, -2)}xx`)),
        401,
        'INVALID_API_KEY',
      );
      expectError(await t.http().get('/api/users').set(withKey('crk_000000000000_unknown')), 401, 'INVALID_API_KEY');
    });
  });
});
