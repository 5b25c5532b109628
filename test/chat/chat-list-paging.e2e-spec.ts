import fc from 'fast-check';
import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { outputsBelowLimit, planProblems, recordSelects } from '../helpers/query-plans';
import { expectOutputsAfterLimit, getAs, PageShape, walkIds } from '../helpers/paged-walk';

/** The chat routes' snake_case envelopes. */
const conversationsShape: PageShape = { rows: (b) => b.conversations, next: (b) => b.pagination.next_cursor };
const hitId = (h: { conversation_id: string; message_id: string | null }) => h.message_id ?? h.conversation_id;
const searchShape: PageShape = {
  rows: (b) => b.results.map((h: { conversation_id: string; message_id: string | null }) => ({ id: hitId(h) })),
  next: (b) => b.pagination.next_cursor,
};

/** A third of the rows share one timestamp, so the id must break the ties. */
const TIES = `CASE WHEN i % 3 = 0 THEN timestamptz '2026-01-01 00:00:00.123456+00'
                   ELSE timestamptz '2026-01-01' + make_interval(secs => i / 7) END`;

describe('chat lists: cursors in snake_case, bounded totals and plans', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (user: TestUser, path: string) => getAs(t)(user, path);

  /** Chat conversations with tied activity times, in two folders, every fifth a favourite. */
  const seedConversations = async (user: TestUser, count: number): Promise<string[]> =>
    (
      await t.db.query(
        `INSERT INTO conversations (workspace_id, user_id, kind, title, folder, is_favorite, tags, last_message_at)
         SELECT $1, $2, 'chat', CASE WHEN i % 4 = 0 THEN 'Plan stratégie ' || i ELSE 'Sujet ' || i END,
                (ARRAY['Général','Travail'])[1 + i % 2], i % 5 = 0, ARRAY['t' || (i % 3)], ${TIES}
           FROM generate_series(1, $3) i RETURNING id`,
        [user.workspaceId, user.id, count],
      )
    ).map((r: { id: string }) => r.id);

  /** Messages of one conversation, a third saying "stratégie", with tied times (so tied ranks and dates). */
  const seedMessages = (user: TestUser, conversationId: string, count: number) =>
    t.db.query(
      `INSERT INTO chat_messages (conversation_id, workspace_id, user_id, conversation_kind, role, content, created_at)
       SELECT $1, $2, $3, 'chat', 'user', CASE WHEN i % 3 = 0 THEN 'une stratégie de contenu' ELSE 'bonjour ' || i END,
              ${TIES}
         FROM generate_series(1, $4) i`,
      [conversationId, user.workspaceId, user.id, count],
    );

  it('walks conversations and search hits exactly once by cursor, in the page order', async () => {
    const user = await signUp(t);
    const [conversation] = await seedConversations(user, 45);
    await seedMessages(user, conversation, 60);
    const cases: [string, Record<string, unknown>, PageShape, () => Promise<string[]>][] = [
      [
        '/api/chat/conversations',
        {},
        conversationsShape,
        async () =>
          (await t.db.query(`SELECT id FROM conversations WHERE user_id = $1`, [user.id])).map((r: any) => r.id),
      ],
      [
        '/api/chat/conversations',
        { folder: 'Travail', favorite: 'true' },
        conversationsShape,
        async () =>
          (
            await t.db.query(`SELECT id FROM conversations WHERE user_id = $1 AND folder = 'Travail' AND is_favorite`, [
              user.id,
            ])
          ).map((r: any) => r.id),
      ],
      [
        '/api/chat/search',
        { q: 'stratégie' },
        searchShape,
        async () =>
          [
            ...(await t.db.query(`SELECT id FROM conversations WHERE user_id = $1 AND title LIKE 'Plan%'`, [user.id])),
            ...(await t.db.query(`SELECT id FROM chat_messages WHERE conversation_id = $1 AND content LIKE 'une%'`, [
              conversation,
            ])),
          ].map((r: any) => r.id),
      ],
    ];
    for (const [path, filter, shape, expected] of cases) {
      const seen = await walkIds(get(user, path), { limit: 7, ...filter }, shape);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual((await expected()).sort());
      const byPage = await get(user, path)({ limit: 100, ...filter });
      expect(seen).toEqual(shape.rows(byPage.body).map((r) => r.id));
    }
    // Backwards: prev_cursor of the second page leads to the first.
    const p1 = await get(user, '/api/chat/conversations')({ limit: 10 });
    const p2 = await get(user, '/api/chat/conversations')({ limit: 10, cursor: p1.body.pagination.next_cursor });
    expect(p2.body.pagination).toMatchObject({ page: null, total: 45, total_is_estimate: false });
    const back = await get(user, '/api/chat/conversations')({ limit: 10, cursor: p2.body.pagination.prev_cursor });
    expect(back.body.conversations).toEqual(p1.body.conversations);
  });

  it('never repeats or skips a conversation that stays while others are started and deleted during the walk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 12 }),
        fc.array(fc.tuple(fc.nat(40), fc.nat(4)), { minLength: 1, maxLength: 6 }),
        async (limit, changes) => {
          const user = await signUp(t);
          const before = await seedConversations(user, 40);
          const deleted = new Set<string>();
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let step = 0; step < 200; step++) {
            const res = await get(user, '/api/chat/conversations')({ limit, ...(cursor ? { cursor } : {}) });
            expect(res.status).toBe(200);
            seen.push(...res.body.conversations.map((c: { id: string }) => c.id));
            const [victimIndex, inserts] = changes[step % changes.length];
            const victim = before[victimIndex % before.length];
            if (!deleted.has(victim)) {
              deleted.add(victim);
              await t.http().delete(`/api/chat/conversations/${victim}`).set(user.auth).expect(200);
            }
            await seedConversations(user, inserts);
            cursor = res.body.pagination.next_cursor ?? undefined;
            if (!cursor) break;
          }
          expect(new Set(seen).size).toBe(seen.length);
          const seenSet = new Set(seen);
          expect(before.filter((id) => !deleted.has(id) && !seenSet.has(id))).toEqual([]);
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);

  it('refuses another member’s or workspace’s cursor, and another query’s, with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const colleague = await addMember(t, owner, 'member');
    const stranger = await signUp(t);
    for (const user of [owner, colleague, stranger]) {
      const [c] = await seedConversations(user, 12);
      await seedMessages(user, c, 30);
    }
    const cursor = (await get(owner, '/api/chat/conversations')({ limit: 3 })).body.pagination.next_cursor;
    expect(cursor).toEqual(expect.any(String));
    expectError(await get(colleague, '/api/chat/conversations')({ cursor }), 400, 'INVALID_CURSOR');
    expectError(await get(stranger, '/api/chat/conversations')({ cursor }), 400, 'INVALID_CURSOR');
    const hits = (await get(owner, '/api/chat/search')({ q: 'stratégie', limit: 3 })).body.pagination.next_cursor;
    expect(hits).toEqual(expect.any(String));
    expectError(await get(stranger, '/api/chat/search')({ q: 'stratégie', cursor: hits }), 400, 'INVALID_CURSOR');
    expectError(await get(owner, '/api/chat/search')({ q: 'contenu', cursor: hits }), 400, 'INVALID_CURSOR');
  });

  it('ranks search hits on keys only: cursor keys and snippets are computed for the page, after its Limit', async () => {
    const user = await signUp(t);
    const [conversation] = await seedConversations(user, 30);
    await seedMessages(user, conversation, 300);
    const first = await get(user, '/api/chat/search')({ q: 'stratégie', limit: 5 });
    const shapes = [{}, { page: 3 }, { cursor: first.body.pagination.next_cursor }];
    for (const shape of shapes) {
      const statements = await recordSelects(() =>
        get(user, '/api/chat/search')({ q: 'stratégie', limit: 5, ...shape }).expect(200),
      );
      const page = statements.filter((s) => s.text.includes('ts_headline'));
      expect(page).toHaveLength(1);
      expect(await outputsBelowLimit(t.db, page[0], /json_build_array|ts_headline/)).toEqual([]);
    }
  });

  it('reads the last messages and cursor keys of the conversations page only, after its Limit (and its OFFSET)', async () => {
    const user = await signUp(t);
    const [conversation] = await seedConversations(user, 3000);
    await seedMessages(user, conversation, 20);
    await t.db.query('ANALYZE conversations');
    const get = (q: Record<string, unknown>) => getAs(t)(user, '/api/chat/conversations')({ limit: 20, ...q });
    const first = await get({});
    const shapes = [
      {},
      { folder: 'Travail', favorite: 'true' },
      { tag: 't1' },
      { page: 30 },
      { cursor: first.body.pagination.next_cursor },
    ];
    await expectOutputsAfterLimit(t.db, get, shapes, /json_build_array|SubPlan/);
  });

  it('reads an index for every shape of the conversation list', async () => {
    const user = await signUp(t);
    const [conversation] = await seedConversations(user, 25_000);
    await seedMessages(user, conversation, 50);
    await t.db.query('ANALYZE conversations');
    await t.db.query('ANALYZE chat_messages');
    const first = await get(user, '/api/chat/conversations')({ limit: 20 });
    expect(first.body.pagination).toMatchObject({ total_is_estimate: true });
    const shapes: Record<string, unknown>[] = [
      {},
      { folder: 'Travail' },
      { favorite: 'true' },
      { tag: 't1', folder: 'Général' },
      { cursor: first.body.pagination.next_cursor },
      { page: 40 },
    ];
    for (const shape of shapes) {
      const statements = await recordSelects(() =>
        get(user, '/api/chat/conversations')({ limit: 20, ...shape }).expect(200),
      );
      expect(statements.length).toBeGreaterThan(0);
      expect(await planProblems(t.db, statements, { largeTables: ['conversations', 'chat_messages'] })).toEqual([]);
    }
  });
});
