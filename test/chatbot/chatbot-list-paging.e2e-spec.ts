import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { planProblems, recordSelects } from '../helpers/query-plans';
import {
  expectIndexedPlans,
  expectSearchIndexed,
  getAs,
  ListCall,
  seedRows,
  PageShape,
  seedShape,
  walkIds,
} from '../helpers/paged-walk';

/** The documented `{success, data, metadata}` envelope (seedShape), with the cursor added to metadata. */
const messagesShape: PageShape = { rows: (b) => b.data.messages, next: (b) => b.metadata.nextCursor };

/** A third of the rows share one timestamp, so the id must break the ties. */
const TIES = `CASE WHEN i % 3 = 0 THEN timestamptz '2026-01-01 00:00:00.123456+00'
                   ELSE timestamptz '2026-01-01' + make_interval(secs => i / 7) END`;

describe('chatbot lists: cursors in the documented envelope, bounded totals and plans', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (user: TestUser, path: string) => getAs(t)(user, path);

  /** Conversations with tied last-message times, a few without any message (sorted last). */
  const seedConversations = async (user: TestUser, count: number): Promise<string[]> =>
    (
      await t.db.query(
        `INSERT INTO chatbot_conversations (workspace_id, platform, fan_handle, fan_name, status, last_message_at)
         SELECT $1, (ARRAY['onlyfans','fansly'])[1 + i % 2], 'fan_' || i, 'Fan ' || (i % 50),
                (ARRAY['open','closed'])[1 + i % 2], CASE WHEN i % 11 = 0 THEN NULL ELSE ${TIES} END
           FROM generate_series(1, $2) i RETURNING id`,
        [user.workspaceId, count],
      )
    ).map((r: { id: string }) => r.id);

  const seedMessages = (user: TestUser, conversationId: string, count: number) =>
    t.db.query(
      `INSERT INTO chatbot_messages (workspace_id, conversation_id, direction, body, sent_at, author_type, created_at)
       SELECT $1, $2, 'inbound', 'message ' || i, ${TIES}, 'fan', timestamptz '2026-02-01 00:00:00+00'
         FROM generate_series(1, $3) i`,
      [user.workspaceId, conversationId, count],
    );

  const seedRules = (user: TestUser, count: number) =>
    t.db.query(
      `INSERT INTO chatbot_auto_reply_rules (workspace_id, name, match_type, keywords, priority, reply_type, template,
                                             active, created_at)
       SELECT $1, 'rule ' || i, 'keyword', '["hi"]'::jsonb, i % 3, 'template', 'Hello', i % 2 = 0, ${TIES}
         FROM generate_series(1, $2) i`,
      [user.workspaceId, count],
    );

  const seedCanned = (user: TestUser, count: number) =>
    t.db.query(
      `INSERT INTO chatbot_canned_responses (workspace_id, name, body)
       SELECT $1, 'reply ' || lpad(i::text, 3, '0'), 'Thanks {{name}} ' || i FROM generate_series(1, $2) i`,
      [user.workspaceId, count],
    );

  const ids = async (sql: string, params: unknown[]) =>
    (await t.db.query(sql, params)).map((r: { id: string }) => r.id).sort();

  it('walks conversations, messages, rules and canned responses exactly once, in the page order', async () => {
    const user = await signUp(t);
    const [conversation] = await seedConversations(user, 40);
    await seedMessages(user, conversation, 30);
    await seedRules(user, 25);
    await seedCanned(user, 25);
    const ws = user.workspaceId;
    const lists: [string, Record<string, unknown>, PageShape, string, unknown[]][] = [
      [
        '/api/chatbot/conversations',
        {},
        seedShape,
        'SELECT id FROM chatbot_conversations WHERE workspace_id = $1',
        [ws],
      ],
      [
        '/api/chatbot/conversations',
        { status: 'open', platform: 'fansly' },
        seedShape,
        `SELECT id FROM chatbot_conversations WHERE workspace_id = $1 AND status = 'open' AND platform = 'fansly'`,
        [ws],
      ],
      [
        `/api/chatbot/conversations/${conversation}`,
        {},
        messagesShape,
        'SELECT id FROM chatbot_messages WHERE conversation_id = $1',
        [conversation],
      ],
      [
        '/api/chatbot/auto-reply',
        {},
        seedShape,
        'SELECT id FROM chatbot_auto_reply_rules WHERE workspace_id = $1',
        [ws],
      ],
      [
        '/api/chatbot/auto-reply',
        { active: true },
        seedShape,
        'SELECT id FROM chatbot_auto_reply_rules WHERE workspace_id = $1 AND active',
        [ws],
      ],
      [
        '/api/chatbot/canned-responses',
        {},
        seedShape,
        'SELECT id FROM chatbot_canned_responses WHERE workspace_id = $1',
        [ws],
      ],
    ];
    for (const [path, filter, shape, sql, params] of lists) {
      const seen = await walkIds(get(user, path), { pageSize: 6, ...filter }, shape);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual(await ids(sql, params));
      const byPage = await get(user, path)({ pageSize: 100, ...filter });
      expect(seen).toEqual(shape.rows(byPage.body).map((r) => r.id));
    }
    // The documented page/pageSize answer keeps its fields; the cursor fields come beside them.
    const page2 = await get(user, '/api/chatbot/conversations')({ page: 2, pageSize: 15 });
    expect(page2.body.metadata).toEqual({
      page: 2,
      pageSize: 15,
      total: 40,
      totalPages: 3,
      totalIsEstimate: false,
      nextCursor: expect.any(String),
      prevCursor: expect.any(String),
    });
    // Conversations without a message come last.
    const all = await get(user, '/api/chatbot/conversations')({ pageSize: 100 });
    const stamps = all.body.data.map((c: { lastMessageAt: string | null }) => c.lastMessageAt);
    expect(stamps.slice(-3)).toEqual([null, null, null]);
  });

  it('refuses another workspace’s (or another conversation’s) cursor with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const [mine, second] = await seedConversations(owner, 10);
    const [theirs] = await seedConversations(other, 10);
    await seedMessages(owner, mine, 10);
    await seedMessages(other, theirs, 10);
    await seedRules(owner, 10);
    await seedRules(other, 10);
    await seedCanned(owner, 10);
    await seedCanned(other, 10);
    for (const path of ['/api/chatbot/conversations', '/api/chatbot/auto-reply', '/api/chatbot/canned-responses']) {
      const cursor = (await get(owner, path)({ pageSize: 3 })).body.metadata.nextCursor;
      expect(cursor).toEqual(expect.any(String));
      expectError(await get(other, path)({ pageSize: 3, cursor }), 400, 'INVALID_CURSOR');
    }
    const cursor = (await get(owner, `/api/chatbot/conversations/${mine}`)({ pageSize: 3 })).body.metadata.nextCursor;
    expectError(await get(other, `/api/chatbot/conversations/${theirs}`)({ cursor }), 400, 'INVALID_CURSOR');
    expectError(await get(owner, `/api/chatbot/conversations/${second}`)({ cursor }), 400, 'INVALID_CURSOR');
  });

  it('reads an index for every shape of the inbox and of a conversation’s messages', async () => {
    const user = await signUp(t);
    // Enough conversations that reading the table whole costs more than the fan search's trigram indexes.
    const [conversation] = await seedConversations(user, 100_000);
    await seedMessages(user, conversation, 25_000);
    await t.db.query('ANALYZE chatbot_conversations');
    await t.db.query('ANALYZE chatbot_messages');
    const inbox = '/api/chatbot/conversations';
    const first = await get(user, inbox)({ pageSize: 20 });
    expect(first.body.metadata.totalIsEstimate).toBe(true);
    const messages = `${inbox}/${conversation}`;
    const firstMessages = await get(user, messages)({ pageSize: 20 });
    const shapes: [string, Record<string, unknown>][] = [
      [inbox, {}],
      [inbox, { status: 'open' }],
      [inbox, { platform: 'onlyfans', status: 'closed' }],
      [inbox, { search: 'fan_1234' }],
      [inbox, { cursor: first.body.metadata.nextCursor }],
      [inbox, { page: 40 }],
      [messages, {}],
      [messages, { cursor: firstMessages.body.metadata.nextCursor }],
      [messages, { page: 40 }],
    ];
    for (const [path, shape] of shapes) {
      const statements = await recordSelects(() => get(user, path)({ pageSize: 20, ...shape }).expect(200));
      expect(statements.length).toBeGreaterThan(0);
      const problems = await planProblems(t.db, statements, {
        largeTables: ['chatbot_conversations', 'chatbot_messages'],
      });
      expect({ path, shape, problems }).toEqual({ path, shape, problems: [] });
    }
  }, 120_000);
  it('reads an index for the canned responses list and its search (name or body, trigram indexes)', async () => {
    const user = await signUp(t);
    await seedRows(
      t.db,
      'chatbot_canned_responses',
      100_000,
      { workspace_id: '$1', name: "'reply ' || lpad(i::text, 6, '0')", body: "'Thanks {{name}} ' || i" },
      [user.workspaceId],
    );
    await t.db.query('ANALYZE chatbot_canned_responses');
    const canned: ListCall = (u, query) => get(u, '/api/chatbot/canned-responses')(query);
    const first = await canned(user, { pageSize: 20 });
    expect(first.body.metadata.totalIsEstimate).toBe(true);
    await expectIndexedPlans(
      t.db,
      canned,
      user,
      [{}, { search: 'reply 012345' }, { search: 'thanks' }, { cursor: first.body.metadata.nextCursor }, { page: 40 }],
      ['chatbot_canned_responses'],
    );
    await expectSearchIndexed(t.db, canned, user, { search: 'reply 012345' }, [
      'IDX_chatbot_canned_responses_name_trgm',
      'IDX_chatbot_canned_responses_body_trgm',
    ]);
  }, 120_000);
});
