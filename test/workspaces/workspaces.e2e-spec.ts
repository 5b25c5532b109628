import {
  addMember,
  createTestApp,
  expectError,
  mailedInvitationToken,
  signUp,
  TestApp,
  TestUser,
} from '../helpers/test-app';

describe('workspaces a person can have several of', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const bearer = (user: TestUser, token: string) => ({ Authorization: `Bearer ${token}`, 'X-Forwarded-For': user.ip });
  const leadNames = async (auth: Record<string, string>) => {
    const res = await t.http().get('/api/leads').set(auth);
    expect(res.status).toBe(200);
    return res.body.data.map((l: { name: string }) => l.name).sort();
  };
  const switchTo = (auth: Record<string, string>, workspaceId: string) =>
    t.http().post(`/api/workspaces/${workspaceId}/switch`).set(auth).send({ tokenDelivery: 'body' });
  const auditActions = async (workspaceId: string, action: string) =>
    t.db.query('SELECT user_id, metadata FROM audit_logs WHERE workspace_id = $1 AND action = $2', [
      workspaceId,
      action,
    ]);

  it('creates a workspace I own, lists mine with my role, and a switched token reads only its workspace', async () => {
    const me = await signUp(t);
    await t.http().post('/api/leads').set(me.auth).send({ name: 'Lead of A' }).expect(201);

    const created = await t.http().post('/api/workspaces').set(me.auth).send({ name: '  Second studio ' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'Second studio',
      role: 'owner',
      owner: true,
      current: false,
      plan: 'free',
      joinedAt: expect.any(String),
    });
    const b = created.body.id as string;
    expect(await auditActions(b, 'workspace_created')).toEqual([expect.objectContaining({ user_id: me.id })]);

    const list = await t.http().get('/api/workspaces').set(me.auth);
    expect(list.status).toBe(200);
    expect(list.body.map((w: { id: string; role: string; current: boolean }) => [w.id, w.role, w.current])).toEqual([
      [me.workspaceId, 'owner', true],
      [b, 'owner', false],
    ]);

    // The token of A still reads A; B has no leads yet.
    expect(await leadNames(me.auth)).toEqual(['Lead of A']);
    const switched = await switchTo(me.auth, b);
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String), user: { id: me.id } });
    expect(switched.body.refreshToken).toEqual(expect.any(String));
    expect(String(switched.headers['set-cookie'])).toMatch(/refreshToken=.*HttpOnly/i);
    const inB = bearer(me, switched.body.accessToken);
    const meInB = await t.http().get('/api/auth/me').set(inB);
    expect(meInB.body.workspace).toEqual({ id: b, name: 'Second studio', role: 'owner' });
    expect(await leadNames(inB)).toEqual([]);
    await t.http().post('/api/leads').set(inB).send({ name: 'Lead of B' }).expect(201);

    // Each token reads its own workspace, never the other, both ways.
    expect(await leadNames(inB)).toEqual(['Lead of B']);
    expect(await leadNames(me.auth)).toEqual(['Lead of A']);
    const [leadOfA] = await t.db.query(`SELECT id FROM leads WHERE workspace_id = $1`, [me.workspaceId]);
    const [leadOfB] = await t.db.query(`SELECT id FROM leads WHERE workspace_id = $1`, [b]);
    expectError(await t.http().get(`/api/leads/${leadOfA.id}`).set(inB), 404);
    expectError(await t.http().get(`/api/leads/${leadOfB.id}`).set(me.auth), 404);

    // The refresh token of the new session stays in B.
    const refreshed = await t
      .http()
      .post('/api/auth/refresh')
      .set('X-Forwarded-For', me.ip)
      .send({ refreshToken: switched.body.refreshToken, tokenDelivery: 'body' });
    expect(refreshed.status).toBe(200);
    expect(await leadNames(bearer(me, refreshed.body.accessToken))).toEqual(['Lead of B']);
    expect(await auditActions(b, 'workspace_switched')).toHaveLength(1);
  });

  it('answers 400 for a bad name or id, 401 without a token or with an API key, 404 for a workspace not mine', async () => {
    const me = await signUp(t);
    const stranger = await signUp(t);
    expectError(await t.http().post('/api/workspaces').set(me.auth).send({ name: '   ' }), 400, 'VALIDATION_FAILED');
    expectError(await t.http().post('/api/workspaces').set(me.auth).send({ name: 'x', plan: 'pro' }), 400);
    expectError(await t.http().post('/api/workspaces').send({ name: 'x' }), 401);
    expectError(await t.http().get('/api/workspaces'), 401);
    expectError(await switchTo(me.auth, 'not-a-uuid'), 400);
    expectError(await switchTo(me.auth, stranger.workspaceId), 404, 'WORKSPACE_NOT_FOUND');

    const key = await t
      .http()
      .post('/api/security/api-keys')
      .set(me.auth)
      .send({ name: 'machine', scopes: ['leads:read'] });
    expect(key.status).toBe(201);
    const keyAuth = { 'X-API-Key': key.body.key as string, 'X-Forwarded-For': me.ip };
    expectError(await t.http().get('/api/workspaces').set(keyAuth), 401, 'USER_TOKEN_REQUIRED');
  });

  it('invites an existing user into another workspace: after accepting they list two and can switch', async () => {
    const owner = await signUp(t);
    const guest = await signUp(t);
    await t.http().post('/api/leads').set(owner.auth).send({ name: 'Owner lead' }).expect(201);
    expect(
      (await t.http().post('/api/users').set(owner.auth).send({ email: guest.email, role: 'member' })).status,
    ).toBe(201);
    // Not a member before acceptance: no switch.
    expectError(await switchTo(guest.auth, owner.workspaceId), 404, 'WORKSPACE_NOT_FOUND');
    const [pending] = (await t.http().get('/api/invitations').set(guest.auth)).body;
    expect((await t.http().post(`/api/invitations/${pending.id}/accept`).set(guest.auth)).status).toBe(200);

    const list = await t.http().get('/api/workspaces').set(guest.auth);
    expect(list.body.map((w: { id: string; role: string; owner: boolean }) => [w.id, w.role, w.owner])).toEqual([
      [guest.workspaceId, 'owner', true],
      [owner.workspaceId, 'member', false],
    ]);
    const switched = await switchTo(guest.auth, owner.workspaceId);
    expect(switched.status).toBe(200);
    expect(await leadNames(bearer(guest, switched.body.accessToken))).toEqual(['Owner lead']);
    expect(await leadNames(guest.auth)).toEqual([]);
  });

  it('leaves a workspace: membership and sessions there end; owners and last workspaces get 409', async () => {
    const owner = await signUp(t);
    const guest = await signUp(t);
    await t.http().post('/api/users').set(owner.auth).send({ email: guest.email, role: 'admin' }).expect(201);
    const [pending] = (await t.http().get('/api/invitations').set(guest.auth)).body;
    await t.http().post(`/api/invitations/${pending.id}/accept`).set(guest.auth).expect(200);
    const inOwners = bearer(guest, (await switchTo(guest.auth, owner.workspaceId)).body.accessToken);
    expect((await t.http().get('/api/leads').set(inOwners)).status).toBe(200);

    // The owner cannot leave their workspace, whatever else they belong to.
    expectError(
      await t.http().post(`/api/workspaces/${owner.workspaceId}/leave`).set(owner.auth),
      409,
      'OWNER_MUST_TRANSFER',
    );
    expectError(await t.http().post(`/api/workspaces/${owner.workspaceId}/leave`).set(owner.auth), 409);

    const left = await t.http().post(`/api/workspaces/${owner.workspaceId}/leave`).set(guest.auth);
    expect(left.status).toBe(200);
    expect(left.body).toEqual({ success: true, message: expect.any(String) });
    expectError(await t.http().get('/api/leads').set(inOwners), 401);
    expect((await t.http().get('/api/leads').set(guest.auth)).status).toBe(200);
    expect((await t.http().get('/api/workspaces').set(guest.auth)).body.map((w: { id: string }) => w.id)).toEqual([
      guest.workspaceId,
    ]);
    const members = await t.http().get('/api/users').set(owner.auth);
    expect(members.body.data.map((u: { id: string }) => u.id)).toEqual([owner.id]);
    expect(await auditActions(owner.workspaceId, 'workspace_left')).toEqual([
      expect.objectContaining({ user_id: guest.id }),
    ]);
    expectError(
      await t.http().post(`/api/workspaces/${owner.workspaceId}/leave`).set(guest.auth),
      404,
      'WORKSPACE_NOT_FOUND',
    );

    // A member whose only workspace it is cannot leave it (the account would be locked out).
    const onlyHere = await addMember(t, owner, 'member');
    expectError(
      await t.http().post(`/api/workspaces/${owner.workspaceId}/leave`).set(onlyHere.auth),
      409,
      'LAST_WORKSPACE',
    );
    // Left workspaces can be joined again by invitation.
    await t.http().post('/api/users').set(owner.auth).send({ email: guest.email, role: 'viewer' }).expect(201);
    expect(await mailedInvitationToken(t, guest.email)).toEqual(expect.any(String));
  });

  it('transfers ownership to an active member (old owner becomes admin); 403 and 404/409 cases', async () => {
    const owner = await signUp(t);
    const admin = await addMember(t, owner, 'admin');
    const viewer = await addMember(t, owner, 'viewer');
    const transfer = (by: Record<string, string>, workspaceId: string, userId: string) =>
      t.http().post(`/api/workspaces/${workspaceId}/transfer`).set(by).send({ userId });

    expectError(await transfer(admin.auth, owner.workspaceId, viewer.id), 403, 'OWNER_ONLY');
    expectError(await transfer(owner.auth, owner.workspaceId, 'nope'), 400, 'VALIDATION_FAILED');
    expectError(await transfer(owner.auth, owner.workspaceId, owner.id), 400, 'ALREADY_OWNER');
    const stranger = await signUp(t);
    expectError(await transfer(owner.auth, owner.workspaceId, stranger.id), 404, 'MEMBER_NOT_FOUND');
    // Someone else's workspace reads as unknown, like any foreign id.
    expectError(await transfer(owner.auth, stranger.workspaceId, stranger.id), 404, 'WORKSPACE_NOT_FOUND');
    await t.http().put(`/api/users/${viewer.id}/status`).set(owner.auth).send({ status: 'inactive' }).expect(200);
    expectError(await transfer(owner.auth, owner.workspaceId, viewer.id), 409, 'MEMBER_NOT_ACTIVE');

    const done = await transfer(owner.auth, owner.workspaceId, admin.id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: owner.workspaceId, role: 'admin', owner: false, current: true });
    const roles = await t.db.query('SELECT user_id, role FROM memberships WHERE workspace_id = $1', [
      owner.workspaceId,
    ]);
    expect(Object.fromEntries(roles.map((r: { user_id: string; role: string }) => [r.user_id, r.role]))).toEqual({
      [owner.id]: 'admin',
      [admin.id]: 'owner',
      [viewer.id]: 'viewer',
    });
    const [{ owner_id }] = await t.db.query('SELECT owner_id FROM workspaces WHERE id = $1', [owner.workspaceId]);
    expect(owner_id).toBe(admin.id);
    // The running tokens see the new roles at once.
    expect((await t.http().get('/api/auth/me').set(owner.auth)).body.workspace.role).toBe('admin');
    expect((await t.http().get('/api/auth/me').set(admin.auth)).body.workspace.role).toBe('owner');
    expectError(await transfer(owner.auth, owner.workspaceId, admin.id), 403, 'OWNER_ONLY');
    expect(await auditActions(owner.workspaceId, 'workspace_ownership_transferred')).toEqual([
      expect.objectContaining({ user_id: owner.id, metadata: expect.objectContaining({ toUserId: admin.id }) }),
    ]);
    // No longer the owner, the former owner is refused only because it is their only workspace.
    expectError(
      await t.http().post(`/api/workspaces/${owner.workspaceId}/leave`).set(owner.auth),
      409,
      'LAST_WORKSPACE',
    );
  });
});
