import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { expectCompleteWalk, expectIndexedPlans, houseShape, idsOf, ListCall, seedRows } from '../helpers/paged-walk';

const small = { limit: 7 };
const all = { limit: 100 };

describe('a data subject’s consent history: cursors and a matching index', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const history: ListCall = (user, query) =>
    t.http().get('/api/gdpr/subjects/consent/history').set(user.auth).query(query);

  /** Changes of `email`'s consent to both purposes, three to an instant (ties), and as many of another person's. */
  const seedRecords = (user: TestUser, email: string, count: number) =>
    seedRows(
      t.db,
      'subject_consent_records',
      count,
      {
        workspace_id: '$1',
        email: "CASE WHEN i % 2 = 0 THEN $2 ELSE 'someone-else@example.com' END",
        purpose: "(ARRAY['marketing_email','ai_processing'])[1 + (i / 2) % 2]",
        granted: 'i % 3 = 0',
        source: "'import'",
        created_at: "timestamptz '2026-01-01' + (i / 6) * interval '1 minute'",
      },
      [user.workspaceId, email],
    );

  it('visits every change of the person once by cursor, newest first, and none of anyone else’s', async () => {
    const owner = await signUp(t);
    const stranger = await signUp(t);
    await seedRecords(owner, 'fan@example.com', 60);
    const ids = await idsOf(
      t.db,
      "SELECT id FROM subject_consent_records WHERE workspace_id = $1 AND email = 'fan@example.com'",
      [owner.workspaceId],
    );
    expect(ids.length).toBe(30);
    await expectCompleteWalk(history, owner, houseShape, ids, { email: 'FAN@example.com' }, { small, all });
    const first = await history(owner, { ...small, email: 'fan@example.com' });
    const cursor = first.body.pagination.nextCursor;
    // Another person's history, or another workspace's, refuses the cursor.
    expectError(await history(owner, { ...small, email: 'someone-else@example.com', cursor }), 400, 'INVALID_CURSOR');
    expectError(await history(stranger, { ...small, email: 'fan@example.com', cursor }), 400, 'INVALID_CURSOR');
  });

  it('reads IDX_subject_consent_records_history (no sort of the person’s records)', async () => {
    const owner = await signUp(t);
    await seedRecords(owner, 'fan@example.com', 40_000);
    await t.db.query('ANALYZE subject_consent_records');
    const first = await history(owner, { limit: 20, email: 'fan@example.com' });
    expect(first.body.pagination).toMatchObject({ totalIsEstimate: true });
    await expectIndexedPlans(
      t.db,
      history,
      owner,
      [
        { email: 'fan@example.com' },
        { email: 'fan@example.com', cursor: first.body.pagination.nextCursor },
        { email: 'fan@example.com', page: 40 },
      ],
      ['subject_consent_records'],
    );
  }, 120_000);
});
