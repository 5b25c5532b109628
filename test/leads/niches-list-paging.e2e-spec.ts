import { createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';
import {
  expectCompleteWalk,
  expectForeignCursorRefused,
  expectIndexedPlans,
  expectSearchIndexed,
  houseShape,
  ListCall,
} from '../helpers/paged-walk';

const sorts = ['name', 'createdAt', 'updatedAt'] as const;
const small = { limit: 7 };
const all = { limit: 100 };

describe('niches list: cursors, bounded totals and plans', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const niches: ListCall = (user, query) => t.http().get('/api/niches').set(user.auth).query(query);

  /** Niches with ties on both instants. */
  const seedNiches = (user: TestUser, count: number) =>
    t.db.query(
      `INSERT INTO niches (workspace_id, name, description, created_at, updated_at)
       SELECT $1, 'Niche ' || lpad(i::text, 6, '0'), CASE WHEN i % 2 = 0 THEN 'even' END,
              timestamptz '2026-01-01' + (i % 3) * interval '1 hour',
              timestamptz '2026-02-01' + (i % 2) * interval '1 hour'
         FROM generate_series(1, $2) i`,
      [user.workspaceId, count],
    );

  it('GET /api/niches visits every niche once by cursor in every sort and direction, ties included', async () => {
    const user = await signUp(t);
    await seedNiches(user, 30);
    const ids = (
      (await t.db.query('SELECT id FROM niches WHERE workspace_id = $1', [user.workspaceId])) as {
        id: string;
      }[]
    ).map((r) => r.id);
    for (const sortBy of sorts) {
      for (const order of ['asc', 'desc']) {
        await expectCompleteWalk(niches, user, houseShape, ids, { sortBy, order }, { small, all });
      }
    }
    const even = (
      (await t.db.query("SELECT id FROM niches WHERE workspace_id = $1 AND description = 'even'", [
        user.workspaceId,
      ])) as { id: string }[]
    ).map((r) => r.id);
    await expectCompleteWalk(niches, user, houseShape, even, { q: 'even' }, { small, all });
  });

  it('refuses another workspace’s cursor with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    await seedNiches(owner, 20);
    await seedNiches(stranger, 20);
    await expectForeignCursorRefused(niches, owner, stranger, houseShape, small);
  });

  it('reads an index for every shape of the list (no sequential scan, no sort of the filtered set)', async () => {
    const user = await signUp(t);
    // Enough niches that reading the table whole costs more than the search's trigram indexes.
    await seedNiches(user, 100_000);
    await t.db.query('ANALYZE niches');
    const first = await niches(user, { limit: 20 });
    expect(first.body.pagination).toMatchObject({ totalIsEstimate: true });
    await expectIndexedPlans(
      t.db,
      niches,
      user,
      [
        {},
        ...sorts.flatMap((sortBy) => [{ sortBy }, { sortBy, order: 'desc' }]),
        { q: 'niche 0001' },
        { q: '12345' },
        { q: 'even' },
        { cursor: first.body.pagination.nextCursor },
        { page: 40 },
      ],
      ['niches'],
    );
    // A rare term (one niche by name, none by description) reads the trigram indexes, the page and the count alike.
    await expectSearchIndexed(t.db, niches, user, { q: 'niche 012345' }, [
      'IDX_niches_name_trgm',
      'IDX_niches_description_trgm',
    ]);
  }, 120_000);
});
