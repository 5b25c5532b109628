import { createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';
import {
  expectCompleteWalk,
  expectForeignCursorRefused,
  expectIndexedPlans,
  expectOutputsAfterLimit,
  expectSearchIndexed,
  idsOf as idsIn,
  seedRows,
  ListCall,
  PageShape,
  seedShape,
} from '../helpers/paged-walk';

const sorts = ['subscribedSince', 'lifetimeSpend', 'monthlyPrice'] as const;
const earningsShape: PageShape = { rows: (b) => b.data.entries, next: (b) => b.metadata.nextCursor };
const small = { pageSize: 7 };
const all = { pageSize: 100 };

describe('subscriber lists: cursors in the seed envelope, bounded totals and plans', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const subscribers: ListCall = (user, query) => t.http().get('/api/onlyfans/subscribers').set(user.auth).query(query);
  const earnings: ListCall = (user, query) => t.http().get('/api/onlyfans/earnings').set(user.auth).query(query);

  /** Subscribers with many ties on every sort key (two instants, three prices, four spends). */
  const seedSubscribers = (user: TestUser, count: number, first = 1) =>
    seedRows(
      t.db,
      'subscribers',
      count,
      {
        workspace_id: '$1',
        platform: "'onlyfans'",
        handle: "'fan' || ($2::int + i - 1)",
        display_name: "'Fan ' || ($2::int + i - 1)",
        email: "'fan' || ($2::int + i - 1) || '@example.com'",
        currency: "'USD'",
        subscribed_since: `CASE WHEN i % 2 = 0 THEN timestamptz '2026-01-01 00:00:00.123456+00'
                                ELSE timestamptz '2026-02-01' END`,
        monthly_price: '(i % 3) * 500',
        lifetime_spend: '(i % 4) * 1000',
        status: "CASE WHEN i % 3 = 0 THEN 'expired' ELSE 'active' END",
        tier: "CASE WHEN i % 5 = 0 THEN 'VIP' END",
      },
      [user.workspaceId, first],
    );

  /** Earnings over the last days at three instants (ties); every third one is the first subscriber's. */
  const seedEarnings = async (user: TestUser, count: number) => {
    const [{ id }] = await t.db.query(`SELECT id FROM subscribers WHERE workspace_id = $1 ORDER BY handle LIMIT 1`, [
      user.workspaceId,
    ]);
    await t.db.query(
      `INSERT INTO earnings (workspace_id, subscriber_id, type, amount, currency, occurred_at)
       SELECT $1, CASE WHEN i % 3 = 0 THEN $3::uuid END, 'tip', 100, 'USD',
              date_trunc('hour', now()) - (i % 3) * interval '1 day'
         FROM generate_series(1, $2) i`,
      [user.workspaceId, count, id],
    );
    return id as string;
  };

  const idsOf = (sql: string, params: unknown[]) => idsIn(t.db, sql, params);

  it('GET /api/onlyfans/subscribers visits every subscriber once by cursor in every sort, page/pageSize unchanged', async () => {
    const user = await signUp(t);
    await seedSubscribers(user, 40);
    const ids = await idsOf('SELECT id FROM subscribers WHERE workspace_id = $1', [user.workspaceId]);
    for (const sortBy of sorts) {
      for (const order of ['asc', 'desc']) {
        await expectCompleteWalk(subscribers, user, seedShape, ids, { sortBy, order }, { small, all });
      }
    }
    const vip = await idsOf("SELECT id FROM subscribers WHERE workspace_id = $1 AND tier = 'VIP'", [user.workspaceId]);
    await expectCompleteWalk(subscribers, user, seedShape, vip, { tier: 'vip' }, { small: { pageSize: 3 }, all });
    const page2 = await subscribers(user, { page: 2, pageSize: 7 });
    expect(page2.body.metadata).toEqual({
      page: 2,
      pageSize: 7,
      total: 40,
      totalPages: 6,
      totalIsEstimate: false,
      nextCursor: expect.any(String),
      prevCursor: expect.any(String),
    });
    // The page before page 2, by its prevCursor, is page 1.
    const back = await subscribers(user, { pageSize: 7, cursor: page2.body.metadata.prevCursor });
    expect(back.body.data).toEqual((await subscribers(user, { page: 1, pageSize: 7 })).body.data);
  });

  it('GET /api/onlyfans/earnings pages its entries by cursor, for the workspace and for one subscriber', async () => {
    const user = await signUp(t);
    await seedSubscribers(user, 3);
    const subscriberId = await seedEarnings(user, 30);
    const ids = await idsOf('SELECT id FROM earnings WHERE workspace_id = $1', [user.workspaceId]);
    await expectCompleteWalk(earnings, user, earningsShape, ids, {}, { small, all });
    const theirs = await idsOf('SELECT id FROM earnings WHERE subscriber_id = $1', [subscriberId]);
    await expectCompleteWalk(earnings, user, earningsShape, theirs, { subscriberId }, { small: { pageSize: 4 }, all });
    // The totals still cover the whole range, whatever the page.
    const page = await earnings(user, { pageSize: 5 });
    expect(page.body.data.totals).toMatchObject({ count: 30, net: 3000 });
    // Pages by number (an OFFSET): the same rows, in the same order, as one page of all of them.
    const whole = earningsShape.rows((await earnings(user, all)).body).map((r) => r.id);
    for (let n = 1; n <= 5; n++) {
      const numbered = earningsShape.rows((await earnings(user, { pageSize: 7, page: n })).body).map((r) => r.id);
      expect(numbered).toEqual(whole.slice((n - 1) * 7, n * 7));
    }
    // The page's cursor keys are built for its rows only, not for every row the OFFSET skips.
    await expectOutputsAfterLimit(
      t.db,
      (q) => earnings(user, q),
      [
        { pageSize: 5, page: 3 },
        { pageSize: 4, page: 2, subscriberId },
      ],
      /json_build_array/,
    );
  });

  it('refuses another workspace’s cursor on both lists with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    await seedSubscribers(owner, 20);
    await seedEarnings(owner, 20);
    await seedSubscribers(stranger, 20);
    await seedEarnings(stranger, 20);
    await expectForeignCursorRefused(subscribers, owner, stranger, seedShape, small);
    await expectForeignCursorRefused(earnings, owner, stranger, earningsShape, small);
  });

  it('reads an index for every shape of the lists (no sequential scan, no sort of the filtered set)', async () => {
    const user = await signUp(t);
    await seedSubscribers(user, 25_000);
    const subscriberId = await seedEarnings(user, 25_000);
    await t.db.query('ANALYZE subscribers; ANALYZE earnings');
    const first = await subscribers(user, { pageSize: 20 });
    expect(first.body.metadata).toMatchObject({ page: 1, pageSize: 20, totalIsEstimate: true });
    await expectIndexedPlans(
      t.db,
      subscribers,
      user,
      [
        {},
        ...sorts.flatMap((sortBy) => [{ sortBy }, { sortBy, order: 'asc' }]),
        { status: 'active' },
        { platform: 'onlyfans', tier: 'vip' },
        { cursor: first.body.metadata.nextCursor },
        { page: 40 },
      ],
      ['subscribers'],
    );
    // The search (display name, handle, e-mail) reads the trigram indexes, in the page and in the bounded count,
    // once the workspace is large enough that reading all of its rows costs more.
    await seedSubscribers(user, 100_000, 25_001);
    await t.db.query('ANALYZE subscribers');
    // A rare term: a frequent one ("12345") may rightly be answered by walking the sort index until 20 match.
    for (const search of ['fan124999']) {
      await expectIndexedPlans(t.db, subscribers, user, [{ search }], ['subscribers']);
      await expectSearchIndexed(t.db, subscribers, user, { search }, [
        'IDX_subscribers_display_name_trgm',
        'IDX_subscribers_handle_trgm',
        'IDX_subscribers_email_trgm',
      ]);
    }
    const entries = await earnings(user, { pageSize: 20 });
    // The entries page; the report's totals aggregate the whole range by design.
    await expectIndexedPlans(
      t.db,
      earnings,
      user,
      [{}, { subscriberId }, { currency: 'USD' }, { cursor: entries.body.metadata.nextCursor }, { page: 40 }],
      ['earnings'],
      (text) => text.includes('__cursor_key'),
    );
  }, 120_000);
});
