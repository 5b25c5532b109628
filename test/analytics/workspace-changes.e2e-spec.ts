import { LISTENER_NAME, WorkspaceChanges } from '@crescendo/platform';
import { createTestApp, signUp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/** Every stats answer AnalyticsAnswers keeps for replay (the routes that pass `replayAs`). */
const KEPT_ROUTES = [
  '/api/stats/overview',
  '/api/stats/campaigns',
  '/api/stats/leads',
  '/api/stats/niches',
  '/api/stats/conversion',
  '/api/stats/period/month',
  '/api/analytics/overview',
  '/api/analytics/revenue',
  '/api/analytics/engagement',
  '/api/analytics/performance',
];

describe('kept stats answers and the workspace changes Postgres notifies', () => {
  let t: TestApp;
  let changes: WorkspaceChanges;

  beforeAll(async () => {
    t = await createTestApp();
    changes = t.app.get(WorkspaceChanges);
  });
  afterAll(() => t.close());

  /** A workspace with a subscriber and its rollups built (an answer is kept once its held figures are). */
  async function workspace() {
    const owner = await signUp(t);
    await t.http().put('/api/settings/general').set(owner.auth).send({ currency: 'EUR' }).expect(200);
    const subscriber = await t
      .http()
      .post('/api/onlyfans/subscribers')
      .set(owner.auth)
      .send({ platform: 'onlyfans', handle: 'fan', currency: 'EUR' })
      .expect(201);
    await t.http().post('/api/analytics/rollups/rebuild').set(owner.auth).expect(200);
    const subscriberId = subscriber.body.data.id as string;
    const earningSql = `INSERT INTO earnings (workspace_id, subscriber_id, type, amount, currency, occurred_at)
                        VALUES ($1, $2, 'tip', $3, 'EUR', now())`;
    const revenue = async () =>
      (await t.http().get('/api/analytics/revenue').query({ period: '7d' }).set(owner.auth).expect(200)).body
        .totalRevenue as number;
    // The first request reads the held figures; the next one (the test's first) keeps the answer.
    await revenue();
    await changes.settled();
    return {
      owner,
      subscriberId,
      revenue,
      notifiedEarning: (amount: number) => t.db.query(earningSql, [owner.workspaceId, subscriberId, amount]),
      /** An earning written beside the API with triggers off (session_replication_role): nothing is notified. */
      unnotifiedEarning: (amount: number) =>
        t.db.transaction(async (manager) => {
          await manager.query('SET LOCAL session_replication_role = replica');
          await manager.query(earningSql, [owner.workspaceId, subscriberId, amount]);
        }),
    };
  }

  it('every kept answer reads only tables whose changes are notified', async () => {
    const { owner } = await workspace();
    for (const route of KEPT_ROUTES) {
      // The first request reads the held figures; the second keeps the answer, its tables read from its plan.
      for (let i = 0; i < 3; i++) await t.http().get(route).set(owner.auth).expect(200);
    }
    const seen = changes.coverageSeen();
    expect(seen.unwatchedTables).toEqual([]);
    expect(seen.statements).toBeGreaterThanOrEqual(KEPT_ROUTES.length);
  });

  it('replays without asking Postgres until a change is heard; a write request is read back at once', async () => {
    const ws = await workspace();
    const before = await ws.revenue();
    // Not notified, so not seen: the replay did not run the statement again.
    await ws.unnotifiedEarning(100);
    expect(await ws.revenue()).toBe(before);
    // Notified: heard before the next read (settled), which then reads both.
    await ws.notifiedEarning(1_000);
    await changes.settled();
    expect(await ws.revenue()).toBe(before + 1_100);
    // Through the API: the write request marks the workspace changed before it answers.
    await ws.unnotifiedEarning(10);
    await t
      .http()
      .post('/api/onlyfans/earnings')
      .set(ws.owner.auth)
      .send({ subscriberId: ws.subscriberId, type: 'tip', amount: 5, occurredAt: new Date().toISOString() })
      .expect(201);
    expect(await ws.revenue()).toBe(before + 1_115);
  });

  it('another workspace’s changes do not stop the replays', async () => {
    const ws = await workspace();
    const other = await workspace();
    const before = await ws.revenue();
    const otherBefore = await other.revenue();
    await other.notifiedEarning(50);
    await t.http().post('/api/leads').set(other.owner.auth).send({ name: 'elsewhere' }).expect(201);
    await changes.settled();
    await ws.unnotifiedEarning(7);
    expect(await ws.revenue()).toBe(before);
    expect(await other.revenue()).toBe(otherBefore + 50);
  });

  it('without the listener every replay asks Postgres, and listening resumes', async () => {
    const ws = await workspace();
    const before = await ws.revenue();
    await t.db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [
      LISTENER_NAME,
    ]);
    await waitFor('the listener to be lost', async () => (changes.listening ? undefined : true));
    await ws.unnotifiedEarning(20);
    expect(await ws.revenue()).toBe(before + 20);
    // Listening again (on the next use once the retry delay has passed, or when asked to settle): the first
    // replay asks Postgres, the next ones need not.
    await changes.settled();
    expect(changes.listening).toBe(true);
    expect(await ws.revenue()).toBe(before + 20);
    await ws.unnotifiedEarning(30);
    expect(await ws.revenue()).toBe(before + 20);
  });

  it('past 10 000 workspaces changed since, a workspace’s unchanged state is forgotten: checked again', async () => {
    const ws = await workspace();
    const before = await ws.revenue();
    await ws.unnotifiedEarning(60);
    expect(await ws.revenue()).toBe(before);
    // Other workspaces' changes, as heard: ws's own last change is among the forgotten ones.
    for (let i = 0; i < 10_001; i++) changes.changed(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect(await ws.revenue()).toBe(before + 60);
  });

  it('a truncated table counts as a change of every workspace', async () => {
    const ws = await workspace();
    const before = await ws.revenue();
    await ws.unnotifiedEarning(40);
    expect(await ws.revenue()).toBe(before);
    await t.db.query('TRUNCATE analytics_earning_months');
    await changes.settled();
    expect(await ws.revenue()).toBe(before + 40);
  });
});
