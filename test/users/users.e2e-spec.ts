import { randomUUID } from 'node:crypto';
import {
  addMember as addMemberTo,
  createTestApp,
  MEMBER_PASSWORD,
  expectError,
  randomIp,
  signIn,
  signUp,
  TestApp,
  TestUser,
  uniqueEmail,
} from '../helpers/test-app';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const PASSWORD = MEMBER_PASSWORD;

describe('users (workspace members)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const addMember = (by: TestUser, role: string, extra: { name?: string; email?: string } = {}) =>
    addMemberTo(t, by, role, extra);
  const adminLogs = async (workspaceId: string): Promise<string[]> =>
    (
      await t.db.query(`SELECT action FROM audit_logs WHERE workspace_id = $1 AND type = 'admin' ORDER BY created_at`, [
        workspaceId,
      ])
    ).map((l: { action: string }) => l.action);
  describe('POST /api/users', () => {
    it('creates no account and no membership: an admin cannot set a password for someone (400)', async () => {
      const owner = await signUp(t);
      const email = uniqueEmail('ada');
      const res = await t
        .http()
        .post('/api/users')
        .set(owner.auth)
        .send({ email, name: 'Ada', role: 'member', password: PASSWORD });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['password']);
      expect(await t.db.query('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);
    });

    it('invites an existing account of another workspace without making it a member or showing its profile', async () => {
      const owner = await signUp(t);
      const elsewhere = await signUp(t, { name: 'Elsewhere' });
      const res = await t
        .http()
        .post('/api/users')
        .set(owner.auth)
        .send({ email: elsewhere.email, name: 'Ignored', role: 'viewer' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: elsewhere.email,
        role: 'viewer',
        status: 'pending',
        expiresAt: iso,
        invitedById: owner.id,
        createdAt: iso,
        respondedAt: null,
      });
      expect(res.body.id).not.toBe(elsewhere.id);
      const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM memberships WHERE user_id = $1', [
        elsewhere.id,
      ]);
      expect(count).toBe(1);
      expectError(await t.http().get(`/api/users/${elsewhere.id}`).set(owner.auth), 404, 'USER_NOT_FOUND');
      const [row] = await t.db.query('SELECT name FROM users WHERE id = $1', [elsewhere.id]);
      expect(row.name).toBe('Elsewhere');
      expect(await adminLogs(owner.workspaceId)).toContain('user_invited');
    });

    it('answers 409 USER_ALREADY_MEMBER for a duplicate member (case-insensitive)', async () => {
      const owner = await signUp(t);
      const member = await addMember(owner, 'member');
      const res = await t
        .http()
        .post('/api/users')
        .set(owner.auth)
        .send({ email: member.email.toUpperCase(), name: 'Dup', role: 'viewer' });
      expectError(res, 409, 'USER_ALREADY_MEMBER');
      expectError(
        await t.http().post('/api/users').set(owner.auth).send({ email: owner.email, name: 'Me', role: 'admin' }),
        409,
        'USER_ALREADY_MEMBER',
      );
    });

    it('answers 400 with the fields at fault, and refuses fields a client must not set', async () => {
      const owner = await signUp(t);
      const res = await t.http().post('/api/users').set(owner.auth).send({
        email: 'not-an-email',
        name: '',
        role: 'superuser',
        password: 'short',
        id: randomUUID(),
        workspaceId: owner.workspaceId,
        createdAt: '2020-01-01T00:00:00Z',
        status: 'active',
        passwordHash: 'x',
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'email',
          'name',
          'role',
          'password',
          'id',
          'workspaceId',
          'createdAt',
          'status',
          'passwordHash',
        ]),
      );
      const [{ count }] = await t.db.query('SELECT count(*)::int AS count FROM memberships WHERE workspace_id = $1', [
        owner.workspaceId,
      ]);
      expect(count).toBe(1);
    });

    it('answers 401 without a token, 403 without admin:users, 403 for a role beyond the caller', async () => {
      const owner = await signUp(t);
      const body = { email: uniqueEmail(), name: 'X', role: 'viewer' };
      expectError(
        await t.http().post('/api/users').set('X-Forwarded-For', randomIp()).send(body),
        401,
        'AUTH_REQUIRED',
      );
      const viewer = await addMember(owner, 'viewer');
      const denied = await t.http().post('/api/users').set(viewer.auth).send(body);
      expectError(denied, 403, 'MISSING_PERMISSION');
      expect(denied.body.details).toEqual([{ message: 'missing admin:users', permission: 'admin:users' }]);
      const member = await addMember(owner, 'member');
      expectError(await t.http().post('/api/users').set(member.auth).send(body), 403, 'MISSING_PERMISSION');
      const owners = await t
        .http()
        .post('/api/users')
        .set(owner.auth)
        .send({ ...body, role: 'owner' });
      expectError(owners, 403, 'ROLE_NOT_ASSIGNABLE');
      expect(owners.body.details).toEqual([{ field: 'role', message: 'not assignable by the caller: owner' }]);
      // An admin may add admins, but never an owner.
      const admin = await addMember(owner, 'admin');
      const made = await t
        .http()
        .post('/api/users')
        .set(admin.auth)
        .send({ ...body, role: 'admin' });
      expect(made.status).toBe(201);
      expectError(
        await t
          .http()
          .post('/api/users')
          .set(admin.auth)
          .send({ ...body, email: uniqueEmail(), role: 'owner' }),
        403,
        'ROLE_NOT_ASSIGNABLE',
      );
    });

    it('an API key with admin:users may only hand out roles within its scopes', async () => {
      const owner = await signUp(t);
      const created = await t
        .http()
        .post('/api/security/api-keys')
        .set(owner.auth)
        .send({ name: 'provisioning', scopes: ['admin:users', 'users:read'] });
      const key = { 'X-API-Key': created.body.key, 'X-Forwarded-For': randomIp() };
      expectError(
        await t.http().post('/api/users').set(key).send({ email: uniqueEmail(), name: 'V', role: 'viewer' }),
        403,
        'ROLE_NOT_ASSIGNABLE',
      );
      const wide = await t
        .http()
        .post('/api/security/api-keys')
        .set(owner.auth)
        .send({
          name: 'wide',
          scopes: [
            'admin:users',
            'users:read',
            'leads:read',
            'campaigns:read',
            'agents:read',
            'content:read',
            'analytics:read',
            'settings:read',
          ],
        });
      const ok = await t
        .http()
        .post('/api/users')
        .set({ 'X-API-Key': wide.body.key, 'X-Forwarded-For': randomIp() })
        .send({ email: uniqueEmail(), name: 'V', role: 'viewer' });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ role: 'viewer', status: 'pending', invitedById: owner.id });
    });
  });

  describe('GET /api/users', () => {
    it('lists only this workspace members (not pending invitees), paginated, with filters, search and sorting', async () => {
      const owner = await signUp(t, { name: 'Zed Owner' });
      await addMember(owner, 'admin', { name: 'Alice Admin' });
      const viewer = await addMember(owner, 'viewer', { name: 'Victor 100%_Viewer' });
      await t
        .http()
        .post('/api/users')
        .set(owner.auth)
        .send({ email: uniqueEmail('inv'), name: 'Ivy', role: 'member' });
      await signUp(t, { name: 'Stranger' });

      const all = await t.http().get('/api/users').set(owner.auth);
      expect(all.status).toBe(200);
      expect(all.body.pagination).toMatchObject({ page: 1, limit: 20, total: 3, pages: 1, totalIsEstimate: false });
      expect(all.body.data.map((u: { name: string }) => u.name)).toEqual([
        'Zed Owner',
        'Alice Admin',
        'Victor 100%_Viewer',
      ]);
      expect(all.body.data[0]).toEqual({
        id: owner.id,
        email: owner.email,
        name: 'Zed Owner',
        role: 'owner',
        status: 'active',
        avatarUrl: null,
        createdAt: iso,
        joinedAt: iso,
        lastLoginAt: iso,
        invitedById: null,
      });
      expect(JSON.stringify(all.body)).not.toMatch(/password|argon2/i);

      const q = async (query: string) =>
        (await t.http().get(`/api/users?${query}`).set(viewer.auth)).body.data.map((u: { name: string }) => u.name);
      expect(await q('role=admin')).toEqual(['Alice Admin']);
      expect(await q('status=active')).toEqual(['Zed Owner', 'Alice Admin', 'Victor 100%_Viewer']);
      expectError(await t.http().get('/api/users?status=invited').set(viewer.auth), 400, 'VALIDATION_FAILED');
      expect(await q('search=ALICE')).toEqual(['Alice Admin']);
      expect(await q(`search=${encodeURIComponent(owner.email.slice(0, 12))}`)).toEqual(['Zed Owner']);
      expect(await q(`search=${encodeURIComponent('100%_')}`)).toEqual(['Victor 100%_Viewer']);
      expect(await q(`search=${encodeURIComponent('%')}`)).toEqual(['Victor 100%_Viewer']);
      expect(await q('sortBy=name&order=asc')).toEqual(['Alice Admin', 'Victor 100%_Viewer', 'Zed Owner']);
      expect(await q('sortBy=name&order=desc&limit=2&page=2')).toEqual(['Alice Admin']);
      const page = await t.http().get('/api/users?limit=2&page=2').set(viewer.auth);
      expect(page.body.pagination).toMatchObject({ page: 2, limit: 2, total: 3, pages: 2, nextCursor: null });
    });

    it('answers 400 for a bad query, 401 without a token, 403 for a key without users:read', async () => {
      const owner = await signUp(t);
      const bad = await t
        .http()
        .get(`/api/users?role=boss&status=gone&limit=101&sortBy=passwordHash&foo=1&search=${'a'.repeat(201)}`)
        .set(owner.auth);
      expectError(bad, 400, 'VALIDATION_FAILED');
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['role', 'status', 'limit', 'sortBy', 'foo', 'search']),
      );
      // a search of blanks only is no search: refused rather than read as every member (the SPA omits it)
      expectError(await t.http().get('/api/users?search=%20%20').set(owner.auth), 400, 'VALIDATION_FAILED');
      expectError(await t.http().get('/api/users').set('X-Forwarded-For', randomIp()), 401, 'AUTH_REQUIRED');
      const created = await t
        .http()
        .post('/api/security/api-keys')
        .set(owner.auth)
        .send({ name: 'leads only', scopes: ['leads:read'] });
      const denied = await t
        .http()
        .get('/api/users')
        .set({ 'X-API-Key': created.body.key, 'X-Forwarded-For': randomIp() });
      expectError(denied, 403, 'MISSING_PERMISSION');
    });
  });

  describe('GET /api/users/:id', () => {
    it('answers a member; 400 for an invalid id; 404 for a user of another workspace; 401', async () => {
      const owner = await signUp(t);
      const viewer = await addMember(owner, 'viewer');
      const other = await signUp(t);
      const res = await t.http().get(`/api/users/${owner.id}`).set(viewer.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: owner.id,
        email: owner.email,
        name: owner.name,
        role: 'owner',
        status: 'active',
        avatarUrl: null,
        createdAt: iso,
        joinedAt: iso,
        lastLoginAt: iso,
        invitedById: null,
      });
      const bad = await t.http().get('/api/users/123').set(owner.auth);
      expectError(bad, 400, 'VALIDATION_FAILED');
      expect(bad.body.details).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
      expectError(await t.http().get(`/api/users/${other.id}`).set(owner.auth), 404, 'USER_NOT_FOUND');
      expectError(await t.http().get(`/api/users/${randomUUID()}`).set(owner.auth), 404, 'USER_NOT_FOUND');
      expectError(
        await t.http().get(`/api/users/${owner.id}`).set('X-Forwarded-For', randomIp()),
        401,
        'AUTH_REQUIRED',
      );
    });
  });

  describe('PUT /api/users/:id', () => {
    it('changes the role; the new role applies at once; audited', async () => {
      const owner = await signUp(t);
      const member = await addMember(owner, 'member');
      expectError(await t.http().get('/api/security/api-keys').set(member.auth), 403, 'MISSING_PERMISSION');
      const res = await t.http().put(`/api/users/${member.id}`).set(owner.auth).send({ role: 'admin' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: member.id,
        email: member.email,
        name: 'A member',
        role: 'admin',
        status: 'active',
        avatarUrl: null,
        createdAt: iso,
        joinedAt: iso,
        lastLoginAt: iso,
        invitedById: owner.id,
      });
      expect((await t.http().get('/api/security/api-keys').set(member.auth)).status).toBe(200);
      const [log] = await t.db.query(
        `SELECT metadata FROM audit_logs WHERE workspace_id = $1 AND action = 'user_updated'`,
        [owner.workspaceId],
      );
      expect(log.metadata).toEqual({ targetUserId: member.id, role: { from: 'member', to: 'admin' } });
    });

    it('never changes a person’s global profile: name, avatar or e-mail are refused (400), nothing stored', async () => {
      const owner = await signUp(t);
      const member = await addMember(owner, 'member', { name: 'Own Name' });
      const res = await t
        .http()
        .put(`/api/users/${member.id}`)
        .set(owner.auth)
        .send({ name: 'Renamed by admin', avatarUrl: 'https://example.invalid/a.png', email: 'x@crescendo.test' });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['avatarUrl', 'email', 'name']);
      // Not even alongside a valid role change.
      expectError(
        await t.http().put(`/api/users/${member.id}`).set(owner.auth).send({ role: 'viewer', name: 'Renamed' }),
        400,
        'VALIDATION_FAILED',
      );
      const [row] = await t.db.query('SELECT name, email, avatar_url FROM users WHERE id = $1', [member.id]);
      expect(row).toEqual({ name: 'Own Name', email: member.email, avatar_url: null });
      const [membership] = await t.db.query('SELECT role FROM memberships WHERE user_id = $1', [member.id]);
      expect(membership.role).toBe('member');
    });

    it('protects the owner: an admin cannot change them, the owner cannot demote themselves', async () => {
      const owner = await signUp(t);
      const admin = await addMember(owner, 'admin');
      expectError(
        await t.http().put(`/api/users/${owner.id}`).set(admin.auth).send({ role: 'viewer' }),
        403,
        'OWNER_PROTECTED',
      );
      expectError(
        await t.http().put(`/api/users/${owner.id}`).set(admin.auth).send({ role: 'admin' }),
        403,
        'OWNER_PROTECTED',
      );
      expectError(
        await t.http().put(`/api/users/${owner.id}`).set(owner.auth).send({ role: 'admin' }),
        403,
        'OWNER_PROTECTED',
      );
      const own = await t.http().put(`/api/users/${owner.id}`).set(owner.auth).send({ role: 'owner' });
      expect(own.body).toMatchObject({ name: owner.name, role: 'owner' });
      expectError(
        await t.http().put(`/api/users/${admin.id}`).set(admin.auth).send({ role: 'viewer' }),
        403,
        'CANNOT_MODIFY_SELF',
      );
      const viewer = await addMember(owner, 'viewer');
      expectError(
        await t.http().put(`/api/users/${viewer.id}`).set(admin.auth).send({ role: 'owner' }),
        403,
        'ROLE_NOT_ASSIGNABLE',
      );
    });

    it('answers 400, 401, 403 for a viewer, and 404 for a user of another workspace', async () => {
      const owner = await signUp(t);
      const viewer = await addMember(owner, 'viewer');
      const other = await signUp(t);
      const bad = await t.http().put(`/api/users/${viewer.id}`).set(owner.auth).send({
        role: 'god',
        name: '',
        email: 'x@y.z',
        id: randomUUID(),
        workspaceId: other.workspaceId,
        createdAt: 'now',
      });
      expectError(bad, 400, 'VALIDATION_FAILED');
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['role', 'name', 'email', 'id', 'workspaceId', 'createdAt']),
      );
      expectError(await t.http().put('/api/users/nope').set(owner.auth).send({ name: 'X' }), 400, 'VALIDATION_FAILED');
      expectError(
        await t.http().put(`/api/users/${viewer.id}`).set('X-Forwarded-For', randomIp()).send({ name: 'X' }),
        401,
        'AUTH_REQUIRED',
      );
      expectError(
        await t.http().put(`/api/users/${viewer.id}`).set(viewer.auth).send({ role: 'admin' }),
        403,
        'MISSING_PERMISSION',
      );
      expectError(
        await t.http().put(`/api/users/${other.id}`).set(owner.auth).send({ role: 'viewer' }),
        404,
        'USER_NOT_FOUND',
      );
      const [row] = await t.db.query('SELECT name FROM users WHERE id = $1', [other.id]);
      expect(row.name).toBe(other.name);
    });
  });

  describe('PUT /api/users/:id/status', () => {
    it('deactivation locks the member out at once; reactivation lets them sign in again', async () => {
      const owner = await signUp(t);
      const member = await addMember(owner, 'member');
      expect((await t.http().get('/api/auth/me').set(member.auth)).status).toBe(200);

      const off = await t.http().put(`/api/users/${member.id}/status`).set(owner.auth).send({ status: 'inactive' });
      expect(off.status).toBe(200);
      expect(off.body).toEqual({
        id: member.id,
        email: member.email,
        name: member.name,
        role: 'member',
        status: 'inactive',
        avatarUrl: null,
        createdAt: iso,
        joinedAt: iso,
        lastLoginAt: iso,
        invitedById: owner.id,
      });
      expectError(await t.http().get('/api/auth/me').set(member.auth), 401, 'ACCOUNT_DISABLED');
      expectError(
        await t
          .http()
          .post('/api/auth/refresh')
          .set('X-Forwarded-For', randomIp())
          .send({ refreshToken: member.refreshToken }),
        401,
      );
      const [{ live }] = await t.db.query(
        'SELECT count(*)::int AS live FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
        [member.id],
      );
      expect(live).toBe(0);
      const login = await t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', randomIp())
        .send({ email: member.email, password: PASSWORD });
      expectError(login, 401, 'ACCOUNT_DISABLED');
      expect((await t.http().get(`/api/users?status=inactive`).set(owner.auth)).body.data).toHaveLength(1);

      const on = await t.http().put(`/api/users/${member.id}/status`).set(owner.auth).send({ status: 'active' });
      expect(on.body.status).toBe('active');
      const back = await signIn(t, member.email, PASSWORD);
      expect((await t.http().get('/api/auth/me').set(back.auth)).status).toBe(200);
      const logs = await adminLogs(owner.workspaceId);
      expect(logs).toEqual(expect.arrayContaining(['user_deactivated', 'user_activated']));
    });

    it('refuses to deactivate yourself or the owner', async () => {
      const owner = await signUp(t);
      const admin = await addMember(owner, 'admin');
      expectError(
        await t.http().put(`/api/users/${owner.id}/status`).set(owner.auth).send({ status: 'inactive' }),
        403,
        'CANNOT_MODIFY_SELF',
      );
      expectError(
        await t.http().put(`/api/users/${owner.id}/status`).set(admin.auth).send({ status: 'inactive' }),
        403,
        'OWNER_PROTECTED',
      );
      expectError(
        await t.http().put(`/api/users/${admin.id}/status`).set(admin.auth).send({ status: 'inactive' }),
        403,
        'CANNOT_MODIFY_SELF',
      );
    });

    it('answers 400, 401, 403 for a viewer, and 404 for a user of another workspace', async () => {
      const owner = await signUp(t);
      const viewer = await addMember(owner, 'viewer');
      const other = await signUp(t);
      const bad = await t
        .http()
        .put(`/api/users/${viewer.id}/status`)
        .set(owner.auth)
        .send({ status: 'invited', role: 'admin' });
      expectError(bad, 400, 'VALIDATION_FAILED');
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['status', 'role']),
      );
      expectError(await t.http().put(`/api/users/${viewer.id}/status`).set(owner.auth).send({}), 400);
      expectError(
        await t.http().put('/api/users/x/status').set(owner.auth).send({ status: 'inactive' }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t
          .http()
          .put(`/api/users/${viewer.id}/status`)
          .set('X-Forwarded-For', randomIp())
          .send({ status: 'inactive' }),
        401,
        'AUTH_REQUIRED',
      );
      expectError(
        await t.http().put(`/api/users/${owner.id}/status`).set(viewer.auth).send({ status: 'inactive' }),
        403,
        'MISSING_PERMISSION',
      );
      expectError(
        await t.http().put(`/api/users/${other.id}/status`).set(owner.auth).send({ status: 'inactive' }),
        404,
        'USER_NOT_FOUND',
      );
      expect((await t.http().get('/api/auth/me').set(other.auth)).status).toBe(200);
    });
  });

  describe('DELETE /api/users/:id', () => {
    it('removes the membership and deletes an account left with no workspace (204, no body)', async () => {
      const owner = await signUp(t);
      const member = await addMember(owner, 'member');
      const res = await t.http().delete(`/api/users/${member.id}`).set(owner.auth);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(await t.db.query('SELECT id FROM users WHERE id = $1', [member.id])).toEqual([]);
      expectError(await t.http().get('/api/auth/me').set(member.auth), 401);
      expectError(await t.http().get(`/api/users/${member.id}`).set(owner.auth), 404, 'USER_NOT_FOUND');
      expect(await adminLogs(owner.workspaceId)).toContain('user_removed');
    });

    it('keeps an account that still belongs to another workspace, and ends its sessions here only', async () => {
      const owner = await signUp(t);
      const guest = await signUp(t);
      const invited = await t.http().post('/api/users').set(owner.auth).send({ email: guest.email, role: 'viewer' });
      expect((await t.http().post(`/api/invitations/${invited.body.id}/accept`).set(guest.auth)).status).toBe(200);
      const res = await t.http().delete(`/api/users/${guest.id}`).set(owner.auth);
      expect(res.status).toBe(204);
      expect(await t.db.query('SELECT id FROM users WHERE id = $1', [guest.id])).toEqual([{ id: guest.id }]);
      expect((await t.http().get('/api/auth/me').set(guest.auth)).status).toBe(200);
    });

    it('refuses to remove yourself or the owner; 400, 401, 403 and 404', async () => {
      const owner = await signUp(t);
      const admin = await addMember(owner, 'admin');
      const viewer = await addMember(owner, 'viewer');
      const other = await signUp(t);
      expectError(await t.http().delete(`/api/users/${owner.id}`).set(owner.auth), 403, 'CANNOT_MODIFY_SELF');
      expectError(await t.http().delete(`/api/users/${owner.id}`).set(admin.auth), 403, 'OWNER_PROTECTED');
      expectError(await t.http().delete(`/api/users/${admin.id}`).set(admin.auth), 403, 'CANNOT_MODIFY_SELF');
      expectError(await t.http().delete('/api/users/zzz').set(owner.auth), 400, 'VALIDATION_FAILED');
      expectError(
        await t.http().delete(`/api/users/${viewer.id}`).set('X-Forwarded-For', randomIp()),
        401,
        'AUTH_REQUIRED',
      );
      expectError(await t.http().delete(`/api/users/${admin.id}`).set(viewer.auth), 403, 'MISSING_PERMISSION');
      expectError(await t.http().delete(`/api/users/${other.id}`).set(owner.auth), 404, 'USER_NOT_FOUND');
      expect(await t.db.query('SELECT id FROM users WHERE id = $1', [other.id])).toHaveLength(1);
      // An admin may remove another member.
      expect((await t.http().delete(`/api/users/${viewer.id}`).set(admin.auth)).status).toBe(204);
    });
  });
});
