import { randomUUID } from 'node:crypto';
import { signUp, TestUser } from '../helpers/test-app';
import {
  expectCompleteWalk,
  expectForeignCursorRefused,
  expectIndexedPlans,
  houseShape,
  pageSizes,
  seedRows,
  usePagingApp,
} from '../helpers/paged-walk';

const { small, all } = pageSizes;

describe('members, API keys and invitations lists: cursors, bounded totals and plans', () => {
  const { t, list, idsOf } = usePagingApp();
  const members = list('/api/users');
  const apiKeys = list('/api/security/api-keys');
  const invitations = list('/api/users/invitations');

  /**
   * Members with ties on every sort key: five names, joining instants three apart, a last sign-in missing for one in
   * four; every other one a viewer, every fifth inactive, one in seven still invited (never listed).
   */
  const seedMembers = async (user: TestUser, count: number) => {
    const tag = randomUUID().slice(0, 8);
    await seedRows(
      t.db,
      'users',
      count,
      {
        email: `'member' || i || '-' || $1 || '@example.com'`,
        name: "'Member ' || (i % 5)",
        last_login_at: "CASE WHEN i % 4 = 0 THEN NULL ELSE timestamptz '2026-03-01' + (i % 2) * interval '1 day' END",
      },
      [tag],
    );
    await t.db.query(
      `INSERT INTO memberships (workspace_id, user_id, role, status, created_at)
       SELECT $1, u.id,
              CASE WHEN n % 2 = 0 THEN 'viewer' ELSE 'member' END,
              CASE WHEN n % 7 = 0 THEN 'invited' WHEN n % 5 = 0 THEN 'inactive' ELSE 'active' END,
              timestamptz '2026-01-01' + (n % 3) * interval '1 hour'
         FROM (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE email LIKE '%-' || $2 || '@example.com') u`,
      [user.workspaceId, tag],
    );
  };

  /** API keys created in three instants, one in four revoked. */
  const seedKeys = (user: TestUser, count: number) =>
    seedRows(
      t.db,
      'api_keys',
      count,
      {
        workspace_id: '$1',
        name: "'key ' || i",
        prefix: "'crk_' || $2 || lpad(i::text, 7, '0')",
        key_hash: 'md5($2 || i) || md5(i || $2)',
        scopes: "'{leads:read}'",
        created_at: "timestamptz '2026-01-01' + (i % 3) * interval '1 hour'",
        revoked_at: 'CASE WHEN i % 4 = 0 THEN now() END',
      },
      [user.workspaceId, randomUUID().slice(0, 8)],
    );

  /** Invitations created in three instants: one in four revoked, the others pending, one in three of those expired. */
  const seedInvitations = (user: TestUser, count: number) =>
    seedRows(
      t.db,
      'invitations',
      count,
      {
        workspace_id: '$1',
        email: "'invitee' || i || '-' || $2 || '@example.com'",
        role: "'member'",
        status: "CASE WHEN i % 4 = 0 THEN 'revoked' ELSE 'pending' END",
        token_hash: 'md5($2 || i) || md5(i || $2)',
        expires_at: "CASE WHEN i % 3 = 0 THEN now() - interval '1 day' ELSE now() + interval '7 days' END",
        created_at: "timestamptz '2026-01-01' + (i % 3) * interval '1 hour'",
      },
      [user.workspaceId, randomUUID().slice(0, 8)],
    );

  it('GET /api/users visits every member once by cursor in every sort and direction, ties included; filters apply before the seek', async () => {
    const owner = await signUp(t);
    await seedMembers(owner, 40);
    const listed = `SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id
                     WHERE m.workspace_id = $1 AND m.status <> 'invited'`;
    const ids = await idsOf(listed, [owner.workspaceId]);
    expect(ids.length).toBe(36); // 35 seeded (every seventh is invited) and the owner
    for (const sortBy of ['createdAt', 'name', 'email', 'lastLoginAt']) {
      for (const order of ['asc', 'desc']) {
        await expectCompleteWalk(members, owner, houseShape, ids, { sortBy, order }, { small, all });
      }
    }
    const viewers = await idsOf(`${listed} AND m.role = 'viewer'`, [owner.workspaceId]);
    await expectCompleteWalk(members, owner, houseShape, viewers, { role: 'viewer' }, { small, all });
    const inactive = await idsOf(`${listed} AND m.status = 'inactive'`, [owner.workspaceId]);
    expect(inactive.length).toBeGreaterThan(0);
    await expectCompleteWalk(
      members,
      owner,
      houseShape,
      inactive,
      { status: 'inactive' },
      { small: { limit: 2 }, all },
    );
    const named = await idsOf(`${listed} AND u.name = 'Member 3'`, [owner.workspaceId]);
    await expectCompleteWalk(
      members,
      owner,
      houseShape,
      named,
      { search: 'member 3', sortBy: 'lastLoginAt' },
      { small: { limit: 3 }, all },
    );
    // A cursor of one sort is refused by another.
    const first = await members(owner, { ...small, sortBy: 'name' });
    const res = await members(owner, { ...small, sortBy: 'email', cursor: first.body.pagination.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
  });

  it('GET /api/security/api-keys visits every key once by cursor, revoked ones only on request', async () => {
    const owner = await signUp(t);
    await seedKeys(owner, 40);
    const everyKey = await idsOf('SELECT id FROM api_keys WHERE workspace_id = $1', [owner.workspaceId]);
    const live = await idsOf('SELECT id FROM api_keys WHERE workspace_id = $1 AND revoked_at IS NULL', [
      owner.workspaceId,
    ]);
    expect(live.length).toBe(30);
    await expectCompleteWalk(apiKeys, owner, houseShape, live, {}, { small, all });
    await expectCompleteWalk(apiKeys, owner, houseShape, everyKey, { includeRevoked: true }, { small, all });
    const first = await apiKeys(owner, { ...small, includeRevoked: true });
    const res = await apiKeys(owner, { ...small, cursor: first.body.pagination.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
  });

  it('GET /api/users/invitations visits every invitation once by cursor, in every state filter', async () => {
    const owner = await signUp(t);
    await seedInvitations(owner, 40);
    const base = 'SELECT id FROM invitations WHERE workspace_id = $1';
    await expectCompleteWalk(
      invitations,
      owner,
      houseShape,
      await idsOf(base, [owner.workspaceId]),
      {},
      { small, all },
    );
    const pending = await idsOf(`${base} AND status = 'pending' AND expires_at > now()`, [owner.workspaceId]);
    expect(pending.length).toBe(20);
    await expectCompleteWalk(invitations, owner, houseShape, pending, { status: 'pending' }, { small, all });
    const expired = await idsOf(`${base} AND status = 'pending' AND expires_at <= now()`, [owner.workspaceId]);
    expect(expired.length).toBe(10);
    await expectCompleteWalk(
      invitations,
      owner,
      houseShape,
      expired,
      { status: 'expired' },
      { small: { limit: 3 }, all },
    );
    const revoked = await idsOf(`${base} AND status = 'revoked'`, [owner.workspaceId]);
    await expectCompleteWalk(invitations, owner, houseShape, revoked, { status: 'revoked' }, { small, all });
    const first = await invitations(owner, { ...small, status: 'pending' });
    const res = await invitations(owner, { ...small, status: 'revoked', cursor: first.body.pagination.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
  });

  it('refuses another workspace’s cursor (and a tampered one) on the three lists with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    await seedMembers(owner, 20);
    await seedKeys(owner, 20);
    await seedInvitations(owner, 20);
    await expectForeignCursorRefused(members, owner, stranger, houseShape, small);
    await expectForeignCursorRefused(apiKeys, owner, stranger, houseShape, small);
    await expectForeignCursorRefused(invitations, owner, stranger, houseShape, small);
  });

  it('reads an index for every shape of the three lists (no sequential scan, no sort of the filtered set)', async () => {
    const owner = await signUp(t);
    await seedMembers(owner, 5_000);
    await seedKeys(owner, 20_000);
    await seedInvitations(owner, 20_000);
    await t.db.query('ANALYZE users; ANALYZE memberships; ANALYZE api_keys; ANALYZE invitations');
    const firstKeys = await apiKeys(owner, { limit: 20 });
    expect(firstKeys.body.pagination).toMatchObject({ totalIsEstimate: true });
    await expectIndexedPlans(
      t.db,
      apiKeys,
      owner,
      [{}, { includeRevoked: true }, { cursor: firstKeys.body.pagination.nextCursor }, { page: 40 }],
      ['api_keys'],
    );
    const firstInvitations = await invitations(owner, { limit: 20 });
    expect(firstInvitations.body.pagination).toMatchObject({ totalIsEstimate: true });
    await expectIndexedPlans(
      t.db,
      invitations,
      owner,
      [
        {},
        { status: 'pending' },
        { status: 'revoked' },
        { status: 'expired' },
        { cursor: firstInvitations.body.pagination.nextCursor },
        { page: 40 },
      ],
      ['invitations'],
    );
    // By joining date (the default), the members list reads IDX_memberships_list; the name, e-mail and last sign-in
    // sorts order the workspace's members across the users table, a set the plan's seats bound.
    const firstMembers = await members(owner, { limit: 20 });
    await expectIndexedPlans(
      t.db,
      members,
      owner,
      [{}, { order: 'desc' }, { role: 'viewer' }, { cursor: firstMembers.body.pagination.nextCursor }, { page: 40 }],
      ['memberships', 'users'],
    );
  }, 120_000);
});
