import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { ChatFakes, startChatFakes } from './chat-fakes';

/** GET /api/chat/search: Postgres full-text search (unaccent + simple), ranked, with highlighted snippets. */
describe('Chat search', () => {
  let t: TestApp;
  let fakes: ChatFakes;
  let owner: TestUser;
  let stranger: TestUser;
  const ids: Record<string, string> = {};
  const previous = process.env.AI_PROVIDERS;

  /** A conversation with a fixed title and one user message and answer, written straight to the tables. */
  const seed = async (user: TestUser, title: string, user_text: string, answer: string) => {
    const [c] = await t.db.query(
      `INSERT INTO conversations (workspace_id, user_id, title) VALUES ($1, $2, $3) RETURNING id`,
      [user.workspaceId, user.id, title],
    );
    await t.db.query(
      `INSERT INTO chat_messages (conversation_id, workspace_id, user_id, conversation_kind, role, content, provider)
       VALUES ($1, $2, $3, 'chat', 'user', $4, NULL), ($1, $2, $3, 'chat', 'assistant', $5, 'Fast')`,
      [c.id, user.workspaceId, user.id, user_text, answer],
    );
    return c.id as string;
  };

  beforeAll(async () => {
    fakes = await startChatFakes();
    t = await createTestApp();
    owner = await signUp(t);
    stranger = await signUp(t);
    ids.dense = await seed(
      owner,
      'Stratégie de contenu',
      'Quelle stratégie pour une stratégie marketing à long terme ?',
      'Une bonne stratégie marketing repose sur une stratégie de contenu claire.',
    );
    ids.once = await seed(owner, 'Vacances', 'Idées pour l’été', 'Pensez à une stratégie de réservation tôt.');
    ids.none = await seed(owner, 'Recettes', 'Une crème brûlée ?', 'Il faut du sucre et de la crème.');
    ids.foreign = await seed(stranger, 'Stratégie', 'stratégie stratégie stratégie', 'stratégie');
  });
  afterAll(async () => {
    await t.close();
    await fakes.close();
    process.env.AI_PROVIDERS = previous;
  });

  const search = (q: string, extra: Record<string, unknown> = {}, user = owner) =>
    t
      .http()
      .get('/api/chat/search')
      .query({ q, ...extra })
      .set(user.auth);

  it('ranks denser matches first, title hits included, and marks the words in snippets', async () => {
    const res = await search('stratégie');
    expect(res.status).toBe(200);
    const results = res.body.results;
    expect(results.every((r: any) => r.conversation_id !== ids.foreign)).toBe(true);
    expect(results.map((r: any) => r.conversation_id)).not.toContain(ids.none);
    // Ranks never increase down the list; the message saying it twice beats the one saying it once.
    const ranks = results.map((r: any) => r.rank);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    const onceIndex = results.findIndex((r: any) => r.conversation_id === ids.once);
    const denseIndexes = results
      .map((r: any, i: number) => (r.conversation_id === ids.dense ? i : -1))
      .filter((i: number) => i >= 0);
    expect(denseIndexes.length).toBe(3); // its title, its question, its answer
    expect(Math.max(...denseIndexes)).toBeLessThan(onceIndex);
    const titleHit = results.find((r: any) => r.conversation_id === ids.dense && r.message_id === null);
    expect(titleHit.snippet).toBe('<mark>Stratégie</mark> de contenu');
    expect(results[onceIndex]).toMatchObject({
      title: 'Vacances',
      message_id: expect.any(String),
      snippet: 'Pensez à une <mark>stratégie</mark> de réservation tôt.',
      date: expect.any(String),
    });
    expect(res.body.pagination).toEqual({
      page: 1,
      limit: 20,
      total: results.length,
      pages: 1,
      total_is_estimate: false,
      next_cursor: null,
      prev_cursor: null,
    });
  });

  it('ignores accents and case both ways', async () => {
    const plain = await search('STRATEGIE');
    const accented = await search('stratégie');
    expect(plain.body.results.map((r: any) => r.message_id)).toEqual(
      accented.body.results.map((r: any) => r.message_id),
    );
    const ete = await search('ete');
    expect(ete.body.results.map((r: any) => r.conversation_id)).toEqual([ids.once]);
    expect(ete.body.results[0].snippet).toContain('<mark>été</mark>');
    const creme = await search('creme brulee');
    expect(creme.body.results).toHaveLength(1);
    expect(creme.body.results[0].snippet).toBe('Une <mark>crème</mark> <mark>brûlée</mark> ?');
  });

  it('speaks web-search syntax: phrases and exclusions', async () => {
    const phrase = await search('"stratégie marketing"');
    expect(new Set(phrase.body.results.map((r: any) => r.conversation_id))).toEqual(new Set([ids.dense]));
    const excluded = await search('stratégie -marketing');
    expect(excluded.body.results.map((r: any) => r.conversation_id)).toContain(ids.once);
    expect(excluded.body.results.some((r: any) => /marketing/.test(r.snippet))).toBe(false);
    const nothing = await search('licorne');
    expect(nothing.body).toEqual({
      results: [],
      pagination: {
        page: 1,
        limit: 20,
        total: 0,
        pages: 0,
        total_is_estimate: false,
        next_cursor: null,
        prev_cursor: null,
      },
    });
  });

  it('pages results', async () => {
    const first = await search('stratégie', { limit: 2 });
    const second = await search('stratégie', { limit: 2, page: 2 });
    expect(first.body.pagination).toEqual({
      page: 1,
      limit: 2,
      total: 4,
      pages: 2,
      total_is_estimate: false,
      next_cursor: expect.any(String),
      prev_cursor: null,
    });
    expect(second.body.results).toHaveLength(2);
    const beyond = await search('stratégie', { limit: 2, page: 5 });
    expect(beyond.body).toEqual({
      results: [],
      pagination: {
        page: 5,
        limit: 2,
        total: 4,
        pages: 2,
        total_is_estimate: false,
        next_cursor: null,
        prev_cursor: null,
      },
    });
    const seen = [...first.body.results, ...second.body.results].map((r: any) => `${r.conversation_id}${r.message_id}`);
    expect(new Set(seen).size).toBe(4);
  });

  it('finds messages stored through the API (owner and kind copied on each), never an assistant session’s', async () => {
    const user = await signUp(t);
    const sent = await t
      .http()
      .post('/api/chat/send')
      .set(user.auth)
      .send({ message: 'Parlons du zeppelin', selected_providers: ['Fast'] });
    expect(sent.status).toBe(200);
    const session = (await t.http().post('/api/chat/create-session').set(user.auth)).body.sessionId;
    const asked = await t
      .http()
      .post('/api/chat/message')
      .set(user.auth)
      .send({ sessionId: session, message: 'Et le zeppelin ?' });
    expect(asked.status).toBe(200);
    const stored = await t.db.query(
      `SELECT m.conversation_id, m.user_id, m.conversation_kind, c.kind FROM chat_messages m
         JOIN conversations c ON c.id = m.conversation_id WHERE m.workspace_id = $1`,
      [user.workspaceId],
    );
    expect(stored.length).toBeGreaterThanOrEqual(4); // question and answer of each, the session's greeting
    expect(stored.every((m: any) => m.user_id === user.id && m.conversation_kind === m.kind)).toBe(true);
    const found = await search('zeppelin', {}, user);
    const messageHits = found.body.results.filter((r: any) => r.message_id !== null);
    expect(messageHits.length).toBeGreaterThanOrEqual(1);
    expect(new Set(found.body.results.map((r: any) => r.conversation_id))).toEqual(
      new Set([sent.body.conversation_id]),
    );
    expect(messageHits[0].snippet).toContain('<mark>zeppelin</mark>');
    expect((await search('zeppelin')).body.results).toEqual([]);
  });

  it('answers 400 without a query and 401 without credentials; another user finds only their own', async () => {
    expectError(await t.http().get('/api/chat/search').set(owner.auth), 400);
    expectError(await search('   '), 400);
    expectError(await t.http().get('/api/chat/search?q=x'), 401);
    const theirs = await search('stratégie', {}, stranger);
    expect(new Set(theirs.body.results.map((r: any) => r.conversation_id))).toEqual(new Set([ids.foreign]));
  });
});
