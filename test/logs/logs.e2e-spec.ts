import { AuditService, LogLevel, LogsService, LogType } from '@crescendo/audit';
import { createTestApp, expectError, signIn, signUp, TestApp, TestUser } from '../helpers/test-app';

/** A user whose only membership is demoted to viewer (no logs:read), signed in again. */
async function viewer(t: TestApp): Promise<TestUser> {
  const user = await signUp(t);
  await t.db.query(`UPDATE memberships SET role = 'viewer' WHERE user_id = $1`, [user.id]);
  return signIn(t, user.email, user.password);
}

/** The cursor fields of a list's only page. */
const lastPage = { totalIsEstimate: false, nextCursor: null, prevCursor: null };

const entry = (overrides: Record<string, unknown> = {}) => ({
  id: expect.any(String),
  type: expect.any(String),
  level: expect.any(String),
  action: expect.any(String),
  message: expect.any(String),
  userId: expect.anything(),
  apiKeyId: null,
  metadata: expect.any(Object),
  requestId: expect.any(String),
  ip: expect.any(String),
  createdAt: expect.any(String),
  ...overrides,
});

describe('logs', () => {
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t); // register + login_success, in the owner's workspace
    other = await signUp(t);
    // A failed password change: an auth warning recorded in the owner's workspace.
    const wrong = await t
      .http()
      .put('/api/auth/password/update')
      .set(owner.auth)
      .send({ currentPassword: 'not my password', newPassword: 'new password 1' });
    expectError(wrong, 400, 'CURRENT_PASSWORD_INCORRECT');
    // An admin event: a settings change.
    const put = await t.http().put('/api/settings/general').set(owner.auth).send({ currency: 'EUR' });
    expect(put.status).toBe(200);
    // No route produces agent or error entries yet in this run: write them through the real audit service.
    const audit = t.app.get(AuditService);
    await audit.record({
      type: LogType.Agent,
      level: LogLevel.Info,
      action: 'agent_run_completed',
      message: 'Agent finished',
      workspaceId: owner.workspaceId,
      metadata: { agentId: 'a1' },
    });
    await audit.record({
      type: LogType.Error,
      level: LogLevel.Error,
      action: 'server_error',
      message: 'boom',
      workspaceId: owner.workspaceId,
    });
    await audit.record({
      type: LogType.Error,
      level: LogLevel.Error,
      action: 'server_error',
      message: 'theirs',
      workspaceId: other.workspaceId,
    });
  });
  afterAll(() => t.close());

  it('lists every type of the workspace, newest first, in the paginated shape', async () => {
    const res = await t.http().get('/api/logs').set(owner.auth);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['data', 'pagination']);
    expect(res.body.pagination).toEqual({
      page: 1,
      limit: 20,
      total: res.body.data.length,
      pages: 1,
      ...lastPage,
    });
    const actions = res.body.data.map((l: { action: string }) => l.action);
    expect(actions).toEqual([
      'server_error',
      'agent_run_completed',
      'settings_updated',
      'password_update_failed',
      'login_success',
      'register',
    ]);
    const dates = res.body.data.map((l: { createdAt: string }) => l.createdAt);
    expect([...dates].sort().reverse()).toEqual(dates);
    const settings = res.body.data.find((l: { action: string }) => l.action === 'settings_updated');
    expect(settings).toEqual({
      id: expect.any(String),
      type: 'admin',
      level: 'info',
      action: 'settings_updated',
      message: 'Workspace settings "general" updated',
      userId: owner.id,
      apiKeyId: null,
      metadata: { section: 'general', fields: ['currency'] },
      requestId: expect.any(String),
      ip: owner.ip,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
    const login = res.body.data.find((l: { action: string }) => l.action === 'login_success');
    expect(login).toEqual(entry({ type: 'auth', level: 'info', userId: owner.id }));
  });

  it('filters by type, level, action and user', async () => {
    const admin = await t.http().get('/api/logs').query({ type: 'admin' }).set(owner.auth);
    expect(admin.body.data.map((l: { action: string }) => l.action)).toEqual(['settings_updated']);

    const warn = await t.http().get('/api/logs').query({ level: 'warn' }).set(owner.auth);
    expect(warn.body.data.map((l: { action: string }) => l.action)).toEqual(['password_update_failed']);

    const action = await t.http().get('/api/logs').query({ action: 'login_success' }).set(owner.auth);
    expect(action.body.pagination.total).toBe(1);
    expect(action.body.data[0]).toMatchObject({ action: 'login_success', userId: owner.id });

    const byUser = await t.http().get('/api/logs').query({ userId: owner.id }).set(owner.auth);
    expect(byUser.body.data.every((l: { userId: string }) => l.userId === owner.id)).toBe(true);
    expect(byUser.body.data.map((l: { action: string }) => l.action)).toEqual([
      'settings_updated',
      'password_update_failed',
      'login_success',
      'register',
    ]);
  });

  it('serves auth, agent and error logs on their own routes', async () => {
    const auth = await t.http().get('/api/logs/auth').set(owner.auth);
    expect(auth.status).toBe(200);
    expect(auth.body.data.map((l: { action: string }) => l.action)).toEqual([
      'password_update_failed',
      'login_success',
      'register',
    ]);
    const authWarn = await t.http().get('/api/logs/auth').query({ level: 'warn' }).set(owner.auth);
    expect(authWarn.body.data).toHaveLength(1);

    const agents = await t.http().get('/api/logs/agents').set(owner.auth);
    expect(agents.body).toEqual({
      data: [
        {
          id: expect.any(String),
          type: 'agent',
          level: 'info',
          action: 'agent_run_completed',
          message: 'Agent finished',
          userId: null,
          apiKeyId: null,
          metadata: { agentId: 'a1' },
          requestId: null,
          ip: null,
          createdAt: expect.any(String),
        },
      ],
      pagination: { page: 1, limit: 20, total: 1, pages: 1, ...lastPage },
    });

    const errors = await t.http().get('/api/logs/errors').set(owner.auth);
    expect(errors.body.data.map((l: { message: string }) => l.message)).toEqual(['boom']);

    // type is fixed by the route: asking for another one is an unknown field there.
    const typed = await t.http().get('/api/logs/auth').query({ type: 'admin' }).set(owner.auth);
    expectError(typed, 400, 'VALIDATION_FAILED');
    expect(typed.body.details).toContainEqual(expect.objectContaining({ field: 'type' }));
  });

  it('filters by time window and answers 400 when from is after to', async () => {
    const all = await t.http().get('/api/logs').set(owner.auth);
    const newest = all.body.data[0].createdAt;
    const future = await t.http().get('/api/logs').query({ from: '2999-01-01T00:00:00Z' }).set(owner.auth);
    expect(future.body).toEqual({ data: [], pagination: { page: 1, limit: 20, total: 0, pages: 0, ...lastPage } });
    const past = await t.http().get('/api/logs').query({ to: '2000-01-01T00:00:00Z' }).set(owner.auth);
    expect(past.body.pagination.total).toBe(0);
    const exact = await t.http().get('/api/logs').query({ from: newest, to: newest }).set(owner.auth);
    expect(exact.body.data.map((l: { createdAt: string }) => l.createdAt)).toContain(newest);
    expect(exact.body.data.every((l: { createdAt: string }) => l.createdAt === newest)).toBe(true);

    const reversed = await t
      .http()
      .get('/api/logs')
      .query({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })
      .set(owner.auth);
    expectError(reversed, 400, 'INVALID_DATE_RANGE');
    expect(reversed.body.details).toEqual([{ field: 'from', message: 'from must not be after to' }]);

    const bad = await t.http().get('/api/logs').query({ from: 'yesterday', level: 'loud' }).set(owner.auth);
    expectError(bad, 400, 'VALIDATION_FAILED');
    const fields = bad.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['from', 'level']));
  });

  it('paginates with page and limit (max 100) and refuses unknown fields', async () => {
    const page2 = await t.http().get('/api/logs').query({ page: 2, limit: 2 }).set(owner.auth);
    expect(page2.status).toBe(200);
    expect(page2.body.pagination).toEqual({
      page: 2,
      limit: 2,
      total: 6,
      pages: 3,
      totalIsEstimate: false,
      nextCursor: expect.any(String),
      prevCursor: expect.any(String),
    });
    expect(page2.body.data.map((l: { action: string }) => l.action)).toEqual([
      'settings_updated',
      'password_update_failed',
    ]);
    const tooMany = await t.http().get('/api/logs').query({ limit: 101 }).set(owner.auth);
    expectError(tooMany, 400, 'VALIDATION_FAILED');
    expect(tooMany.body.details).toContainEqual(expect.objectContaining({ field: 'limit' }));
    const unknown = await t.http().get('/api/logs').query({ workspaceId: other.workspaceId }).set(owner.auth);
    expectError(unknown, 400, 'VALIDATION_FAILED');
    expect(unknown.body.details).toContainEqual(expect.objectContaining({ field: 'workspaceId' }));
  });

  it("never shows another workspace's entries", async () => {
    const mine = await t.http().get('/api/logs').query({ limit: 100 }).set(owner.auth);
    expect(mine.body.data.some((l: { userId: string | null }) => l.userId === other.id)).toBe(false);
    expect(mine.body.data.some((l: { message: string }) => l.message === 'theirs')).toBe(false);
    const byOtherUser = await t.http().get('/api/logs').query({ userId: other.id }).set(owner.auth);
    expect(byOtherUser.body.pagination.total).toBe(0);
    const theirs = await t.http().get('/api/logs/errors').set(other.auth);
    expect(theirs.body.data.map((l: { message: string }) => l.message)).toEqual(['theirs']);
  });

  it('answers 401 without a token and 403 without logs:read', async () => {
    for (const path of ['/api/logs', '/api/logs/auth', '/api/logs/agents', '/api/logs/errors']) {
      expectError(await t.http().get(path), 401);
    }
    const v = await viewer(t);
    for (const path of ['/api/logs', '/api/logs/auth', '/api/logs/agents', '/api/logs/errors']) {
      expectError(await t.http().get(path).set(v.auth), 403);
    }
  });

  it('purges entries older than the retention period and answers how many went', async () => {
    const user = await signUp(t);
    const [old] = await t.db.query(
      `UPDATE audit_logs SET created_at = now() - interval '100 days'
        WHERE user_id = $1 AND action = 'register' RETURNING id`,
      [user.id],
    );
    const removed = await t.app.get(LogsService).purgeOlderThan(90);
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await t.db.query('SELECT id FROM audit_logs WHERE id = $1', [old.id])).toEqual([]);
    const kept = await t.http().get('/api/logs/auth').set(user.auth);
    expect(kept.body.data.map((l: { action: string }) => l.action)).toEqual(['login_success']);
  });
});
