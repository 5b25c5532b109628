import {
  addMember as addMemberTo,
  createTestApp,
  expectError,
  randomIp,
  signUp,
  TestApp,
  TestUser,
} from '../helpers/test-app';

const readOnly = [
  'leads:read',
  'campaigns:read',
  'agents:read',
  'content:read',
  'analytics:read',
  'settings:read',
  'users:read',
];
const all = [
  'leads:read',
  'leads:write',
  'campaigns:read',
  'campaigns:write',
  'agents:read',
  'agents:write',
  'chat:use',
  'content:read',
  'content:write',
  'analytics:read',
  'billing:manage',
  'settings:read',
  'settings:write',
  'logs:read',
  'api-keys:manage',
  'users:read',
  'admin:users',
];

describe('roles and permissions', () => {
  let t: TestApp;
  let owner: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t);
  });
  afterAll(() => t.close());

  const addMember = (role: string) => addMemberTo(t, owner, role);

  describe('GET /api/roles', () => {
    it('lists every role with its description, permissions and whether the caller may assign it', async () => {
      const res = await t.http().get('/api/roles').set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        {
          name: 'owner',
          description: 'Owns the workspace: every permission; cannot be removed or demoted',
          permissions: all,
          assignable: false,
        },
        {
          name: 'admin',
          description: 'Every permission, including members, billing and settings',
          permissions: all,
          assignable: true,
        },
        {
          name: 'member',
          description: 'Works on leads, campaigns, agents, chat and content; reads the rest',
          permissions: [...readOnly, 'leads:write', 'campaigns:write', 'agents:write', 'chat:use', 'content:write'],
          assignable: true,
        },
        {
          name: 'viewer',
          description: 'Reads leads, campaigns, agents, content, analytics and settings',
          permissions: readOnly,
          assignable: true,
        },
      ]);
    });

    it('a viewer may assign no role', async () => {
      const viewer = await addMember('viewer');
      const res = await t.http().get('/api/roles').set(viewer.auth);
      expect(res.status).toBe(200);
      expect(res.body.map((r: { assignable: boolean }) => r.assignable)).toEqual([false, false, false, false]);
    });

    it('works with an API key, which may assign only roles within its scopes', async () => {
      const created = await t
        .http()
        .post('/api/security/api-keys')
        .set(owner.auth)
        .send({ name: 'roles reader', scopes: readOnly });
      expect(created.status).toBe(201);
      const res = await t
        .http()
        .get('/api/roles')
        .set('X-API-Key', created.body.key)
        .set('X-Forwarded-For', randomIp());
      expect(res.status).toBe(200);
      expect(res.body.map((r: { name: string; assignable: boolean }) => [r.name, r.assignable])).toEqual([
        ['owner', false],
        ['admin', false],
        ['member', false],
        ['viewer', true],
      ]);
    });

    it('answers 401 without a token or with a bad one', async () => {
      expectError(await t.http().get('/api/roles').set('X-Forwarded-For', randomIp()), 401, 'AUTH_REQUIRED');
      expectError(
        await t.http().get('/api/roles').set('Authorization', 'Bearer nope').set('X-Forwarded-For', randomIp()),
        401,
      );
    });
  });

  describe('GET /api/permissions', () => {
    it('lists every permission with its description and the roles that carry it', async () => {
      const res = await t.http().get('/api/permissions').set(owner.auth);
      expect(res.status).toBe(200);
      expect(res.body.map((p: { name: string }) => p.name)).toEqual(all);
      expect(res.body[0]).toEqual({
        name: 'leads:read',
        description: 'Read leads, niches, segments and subscribers',
        roles: ['owner', 'admin', 'member', 'viewer'],
      });
      expect(res.body.find((p: { name: string }) => p.name === 'admin:users')).toEqual({
        name: 'admin:users',
        description: 'Invite, change, deactivate and remove members',
        roles: ['owner', 'admin'],
      });
      for (const p of res.body) {
        expect(Object.keys(p).sort()).toEqual(['description', 'name', 'roles']);
        expect(p.description.length).toBeGreaterThan(5);
      }
    });

    it('is readable by any signed-in member, and answers 401 without a token', async () => {
      const viewer = await addMember('viewer');
      expect((await t.http().get('/api/permissions').set(viewer.auth)).status).toBe(200);
      expectError(await t.http().get('/api/permissions').set('X-Forwarded-For', randomIp()), 401, 'AUTH_REQUIRED');
    });
  });
});
