import fc from 'fast-check';
import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { planProblems, recordSelects } from '../helpers/query-plans';
import { expectOutputsAfterLimit, houseShape, seedRows, walkIds } from '../helpers/paged-walk';

type Lead = { id: string; name: string; score: number; createdAt: string; updatedAt: string };
type Page = { data: Lead[]; pagination: { nextCursor: string | null; prevCursor: string | null; total: number } };

const sorts = ['createdAt', 'updatedAt', 'score', 'name'] as const;

describe('leads list: cursors, bounded totals and plans', () => {
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t);
    other = await signUp(t);
  });
  afterAll(() => t.close());

  const list = (user: TestUser, query: Record<string, unknown>) =>
    t.http().get('/api/leads').set(user.auth).query(query);

  /** Rows with many ties on every sort key: 4 names, 3 scores, one shared timestamp for half of them. */
  const seed = (user: TestUser, count: number) =>
    seedRows(
      t.db,
      'leads',
      count,
      {
        workspace_id: '$1',
        name: "'Lead ' || (i % 4)",
        score: 'i % 3',
        status: "'new'",
        tags: "ARRAY['t' || (i % 2)]",
        created_at: `CASE WHEN i % 2 = 0 THEN timestamptz '2026-01-01 00:00:00.123456+00'
                          ELSE timestamptz '2026-01-01' + make_interval(secs => i / 1000.0) END`,
        updated_at: "timestamptz '2026-02-01' + make_interval(secs => (i % 5))",
      },
      [user.workspaceId],
    );

  const walk = (user: TestUser, query: Record<string, unknown>, between?: () => Promise<void>) =>
    walkIds((q) => list(user, q), query, houseShape, between);

  it('visits every row exactly once in every sort and direction, ties included, and pages back', async () => {
    const user = await signUp(t);
    await seed(user, 95);
    const all = await t.db.query('SELECT id FROM leads WHERE workspace_id = $1', [user.workspaceId]);
    const ids = all.map((r: { id: string }) => r.id).sort();
    for (const sortBy of sorts) {
      for (const order of ['asc', 'desc']) {
        const seen = await walk(user, { sortBy, order, limit: 10 });
        expect([...seen].sort()).toEqual(ids);
        // The same order as page numbers give, page for page.
        const byPage = (await list(user, { sortBy, order, limit: 100 })).body as Page;
        expect(seen).toEqual(byPage.data.map((l) => l.id));
      }
    }
    // Backwards: from the third page, prevCursor gives the second page, then the first.
    const p1 = (await list(user, { limit: 10, sortBy: 'name' })).body as Page;
    const p2 = (await list(user, { limit: 10, sortBy: 'name', cursor: p1.pagination.nextCursor })).body as Page;
    const p3 = (await list(user, { limit: 10, sortBy: 'name', cursor: p2.pagination.nextCursor })).body as Page;
    const back2 = (await list(user, { limit: 10, sortBy: 'name', cursor: p3.pagination.prevCursor })).body as Page;
    expect(back2.data.map((l) => l.id)).toEqual(p2.data.map((l) => l.id));
    const back1 = (await list(user, { limit: 10, sortBy: 'name', cursor: back2.pagination.prevCursor })).body as Page;
    expect(back1.data.map((l) => l.id)).toEqual(p1.data.map((l) => l.id));
    expect(back1.pagination.prevCursor).toBeNull();
  });

  it('sorts accented names next to their base letter (ICU root order, as Intl.Collator), by page and by cursor', async () => {
    const user = await signUp(t);
    const names = ['Zoé', 'Émile', 'Eva', 'Ana', 'émile'];
    const idOf = new Map<string, string>();
    for (const name of names) {
      const res = await t.http().post('/api/leads').set(user.auth).send({ name }).expect(201);
      idOf.set(res.body.id as string, name);
    }
    // The byte order of C.UTF-8 would give Ana, Eva, Zoé, Émile, émile; lower case comes first on a tie of letters.
    const expected = ['Ana', 'émile', 'Émile', 'Eva', 'Zoé'];
    expect([...names].sort(new Intl.Collator('und').compare)).toEqual(expected);
    const asc = (await list(user, { sortBy: 'name', order: 'asc', limit: 100 }).expect(200)).body as Page;
    expect(asc.data.map((l) => l.name)).toEqual(expected);
    const desc = (await list(user, { sortBy: 'name', order: 'desc', limit: 100 }).expect(200)).body as Page;
    expect(desc.data.map((l) => l.name)).toEqual([...expected].reverse());
    for (const order of ['asc', 'desc']) {
      const seen = await walk(user, { sortBy: 'name', order, limit: 2 });
      const visited = seen.map((id) => idOf.get(id));
      expect(visited).toEqual(order === 'asc' ? expected : [...expected].reverse());
    }
  });

  it('never repeats or skips a row that stays, while rows are inserted and deleted during the walk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sorts),
        fc.constantFrom('asc', 'desc'),
        fc.integer({ min: 4, max: 15 }),
        fc.array(fc.tuple(fc.nat(30), fc.nat(4)), { minLength: 1, maxLength: 6 }),
        async (sortBy, order, limit, changes) => {
          const user = await signUp(t);
          await seed(user, 40);
          const before: string[] = (
            await t.db.query('SELECT id FROM leads WHERE workspace_id = $1', [user.workspaceId])
          ).map((r: { id: string }) => r.id);
          const deleted = new Set<string>();
          let step = 0;
          const seen = await walk(user, { sortBy, order, limit }, async () => {
            const change = changes[step++ % changes.length];
            // Delete one of the original rows and insert a few new ones with colliding sort keys.
            const victim = before[change[0] % before.length];
            if (!deleted.has(victim)) {
              deleted.add(victim);
              await t.http().delete(`/api/leads/${victim}`).set(user.auth).expect(204);
            }
            await seed(user, change[1]);
          });
          expect(new Set(seen).size).toBe(seen.length);
          const stayed = before.filter((id) => !deleted.has(id));
          const seenSet = new Set(seen);
          expect(stayed.filter((id) => !seenSet.has(id))).toEqual([]);
        },
      ),
      { numRuns: 8 },
    );
  }, 180_000);

  it('refuses a tampered cursor, another workspace’s cursor and another sort’s cursor with 400, never other rows', async () => {
    await seed(owner, 30);
    await seed(other, 30);
    const first = (await list(owner, { limit: 5 })).body as Page;
    const cursor = first.pagination.nextCursor!;
    expect(cursor).toEqual(expect.any(String));

    expectError(await list(other, { limit: 5, cursor }), 400, 'INVALID_CURSOR');
    expectError(await list(owner, { limit: 5, cursor, sortBy: 'name' }), 400, 'INVALID_CURSOR');
    expectError(await list(owner, { limit: 5, cursor, order: 'asc' }), 400, 'INVALID_CURSOR');
    const [body, signature] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify(['n', '2999-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000']));
    expectError(await list(owner, { cursor: `${forged.toString('base64url')}.${signature}` }), 400, 'INVALID_CURSOR');
    // The signature's first character changed: its 6 bits all count (a last base64 character's low bits may not).
    const tampered = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expectError(await list(owner, { cursor: `${body}.${tampered}` }), 400, 'INVALID_CURSOR');
    expectError(await list(owner, { cursor: 'not a cursor' }), 400);
    expectError(await list(owner, { cursor: 'x'.repeat(2000) }), 400);
  });

  it('keeps the page/limit answer for page clients, with an exact total up to the cap and a flagged estimate beyond', async () => {
    const user = await signUp(t);
    await seed(user, 45);
    const res = await list(user, { page: 2, limit: 20 });
    expect(res.body.pagination).toMatchObject({ page: 2, limit: 20, total: 45, pages: 3, totalIsEstimate: false });
    expect(res.body.data).toHaveLength(20);
    // Page 2 by number offers both ways out; its prevCursor leads to page 1.
    const back = await list(user, { limit: 20, cursor: res.body.pagination.prevCursor });
    const page1 = await list(user, { page: 1, limit: 20 });
    expect(back.body.data.map((l: Lead) => l.id)).toEqual(page1.body.data.map((l: Lead) => l.id));

    const big = await signUp(t);
    await seed(big, 25_000);
    await t.db.query('ANALYZE leads');
    const large = await list(big, { limit: 20 });
    expect(large.body.pagination.totalIsEstimate).toBe(true);
    expect(large.body.pagination.total).toBeGreaterThan(10_000);
    const filtered = await list(big, { limit: 20, tag: 't1', scoreMin: 2 });
    expect(filtered.body.pagination).toMatchObject({ totalIsEstimate: false, total: 4166 });
  });

  it('asks the planner once per workspace and filter for a few seconds, and keeps a total under the cap exact', async () => {
    const counting = /^\s*(EXPLAIN|SELECT count\()/i;
    const sent = async (user: TestUser, query: Record<string, unknown>) => {
      let body: Page | undefined;
      const statements = await recordSelects(async () => {
        body = (await list(user, query).expect(200)).body as Page;
      }, counting);
      return { body: body!, kinds: statements.map((s) => (s.text.trim().startsWith('EXPLAIN') ? 'explain' : 'count')) };
    };
    const big = await signUp(t);
    await seed(big, 25_000);
    await t.db.query('ANALYZE leads');
    const first = await sent(big, { limit: 20 });
    expect(first.kinds).toEqual(['explain']);
    // The large verdict is remembered: the next pages send the page statement alone.
    const second = await sent(big, { limit: 20, cursor: first.body.pagination.nextCursor });
    expect(second.kinds).toEqual([]);
    expect(second.body.pagination).toMatchObject({ total: first.body.pagination.total, totalIsEstimate: true });
    // Another filter is another entry (none of these leads is contacted: the planner, then the exact count).
    expect((await sent(big, { limit: 20, status: 'contacted' })).kinds).toEqual(['explain', 'count']);

    const user = await signUp(t);
    await seed(user, 45);
    expect(await sent(user, { limit: 20 })).toMatchObject({
      kinds: ['explain', 'count'],
      body: { pagination: { total: 45 } },
    });
    await t.http().post('/api/leads').set(user.auth).send({ name: 'One more' }).expect(201);
    // A small verdict skips the EXPLAIN but never the count: the total is the current one.
    expect(await sent(user, { limit: 20 })).toMatchObject({
      kinds: ['count'],
      body: { pagination: { total: 46, totalIsEstimate: false } },
    });
  });

  it('reads an index for every shape of the list (no sequential scan of leads, no sort of the filtered set)', async () => {
    const user = await signUp(t);
    await seed(user, 30_000);
    await t.db.query('ANALYZE leads');
    const first = (await list(user, { limit: 20 })).body as Page;
    const shapes: Record<string, unknown>[] = [
      {},
      ...sorts.flatMap((sortBy) => [{ sortBy }, { sortBy, order: 'asc' }]),
      { status: 'new' },
      { status: 'new', tag: 't1' },
      { q: 'Lead 3' },
      { cursor: first.pagination.nextCursor },
      { page: 40 },
    ];
    for (const shape of shapes) {
      const statements = await recordSelects(() => list(user, { limit: 20, ...shape }).expect(200));
      expect(statements.length).toBeGreaterThan(0);
      expect(await planProblems(t.db, statements, { largeTables: ['leads'] })).toEqual([]);
    }
  });

  it('formats the leads and their cursor keys for the page only, after its Limit (and its OFFSET)', async () => {
    const user = await signUp(t);
    await seed(user, 3000);
    await t.db.query(`UPDATE leads SET name = 'Zorro' WHERE workspace_id = $1 AND name = 'Lead 1' AND score = 0`, [
      user.workspaceId,
    ]);
    await t.db.query('ANALYZE leads');
    const first = (await list(user, { limit: 20 })).body as Page;
    // A search sorts its matches (a trigram bitmap, then a top-N): the outputs must not run on all of them.
    const shapes: Record<string, unknown>[] = [
      {},
      { q: 'zorro', sortBy: 'score' },
      { q: 'zorro', sortBy: 'name', order: 'asc' },
      { tag: 't1', sortBy: 'updatedAt' },
      { page: 30 },
      { cursor: first.pagination.nextCursor },
    ];
    await expectOutputsAfterLimit(t.db, (q) => list(user, { limit: 20, ...q }), shapes, /json_build_array|to_char/);
  });
});
