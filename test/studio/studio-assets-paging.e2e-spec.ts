import { signUp, TestUser } from '../helpers/test-app';
import {
  expectCompleteWalk,
  expectForeignCursorRefused,
  expectIndexedPlans,
  expectSearchIndexed,
  houseShape,
  pageSizes,
  seedRows,
  usePagingApp,
} from '../helpers/paged-walk';

const { small, all } = pageSizes;

describe('studio asset library: cursors, filters before the seek, bounded totals and plans', () => {
  const { t, list, idsOf } = usePagingApp();
  const assets = list('/api/studio/assets');

  /** Assets created in four instants (ties), of three kinds, in two folders, every third tagged. */
  const seedAssets = (user: TestUser, count: number) =>
    seedRows(
      t.db,
      'studio_assets',
      count,
      {
        workspace_id: '$1',
        title: "'Asset ' || lpad(i::text, 6, '0')",
        original_name: "'file-' || i || '.png'",
        folder: "CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd' END",
        tags: "CASE WHEN i % 3 = 0 THEN ARRAY['third'] ELSE '{}'::text[] END",
        kind: "(ARRAY['image','video','audio'])[1 + i % 3]",
        mime_type: "'image/png'",
        size: '100',
        storage_key: "'seed/' || i",
        created_at: "timestamptz '2026-01-01' + (i % 4) * interval '1 hour'",
      },
      [user.workspaceId],
    );

  it('GET /api/studio/assets visits every asset once by cursor; kind, folder, tag and q apply before the seek', async () => {
    const user = await signUp(t);
    await seedAssets(user, 40);
    const base = 'SELECT id FROM studio_assets WHERE workspace_id = $1';
    await expectCompleteWalk(assets, user, houseShape, await idsOf(base, [user.workspaceId]), {}, { small, all });
    const filters: [Record<string, unknown>, string][] = [
      [{ kind: 'video' }, "kind = 'video'"],
      [{ folder: 'even' }, "folder = 'even'"],
      [{ tag: 'third' }, "'third' = ANY(tags)"],
      [{ q: 'asset 00001' }, "title LIKE 'Asset 00001%'"],
      [{ q: 'FILE-2' }, "original_name LIKE 'file-2%'"],
      [{ kind: 'image', folder: 'odd' }, "kind = 'image' AND folder = 'odd'"],
    ];
    for (const [query, where] of filters) {
      const ids = await idsOf(`${base} AND ${where}`, [user.workspaceId]);
      expect({ query, some: ids.length > 0 }).toEqual({ query, some: true });
      await expectCompleteWalk(assets, user, houseShape, ids, query, { small: { limit: 3 }, all });
    }
  });

  it('refuses another workspace’s cursor and a tampered one with 400 INVALID_CURSOR', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    await seedAssets(owner, 20);
    await expectForeignCursorRefused(assets, owner, stranger, houseShape, small);
  });

  it('reads an index for every shape of the library; its search reads the trigram indexes', async () => {
    const user = await signUp(t);
    // Enough assets that reading the table whole costs more than the search's trigram indexes.
    await seedAssets(user, 100_000);
    await t.db.query('ANALYZE studio_assets');
    const first = await assets(user, { limit: 20 });
    expect(first.body.pagination).toMatchObject({ totalIsEstimate: true });
    await expectIndexedPlans(
      t.db,
      assets,
      user,
      [
        {},
        { kind: 'video' },
        { folder: 'even' },
        { tag: 'third' },
        { q: 'asset 012345' },
        { cursor: first.body.pagination.nextCursor },
        { page: 40 },
      ],
      ['studio_assets'],
    );
    await expectSearchIndexed(t.db, assets, user, { q: 'asset 012345' }, [
      'IDX_studio_assets_title_trgm',
      'IDX_studio_assets_original_name_trgm',
    ]);
  }, 120_000);
});
