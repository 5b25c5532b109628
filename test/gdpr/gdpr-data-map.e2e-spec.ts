import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PersonalDataRegistry } from '@crescendo/platform';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { addMember, createTestApp, signUp, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * Tables no personal-data provider covers, each with the reason. A new table must be added to a provider's
 * `tables` or here, so no feature can forget its part of the data map.
 */
const NOT_PERSONAL: Record<string, string> = {
  typeorm_migrations: 'schema bookkeeping',
  typeorm_metadata: 'schema bookkeeping',
  agents: 'workspace configuration; deleted with the workspace (ON DELETE CASCADE)',
  agent_runs: 'workspace activity without a person id; deleted with the workspace (cascade)',
  agent_logs: 'workspace activity without a person id; deleted with the workspace (cascade)',
  ai_quota_reservations: 'workspace counters',
  ai_quota_usage: 'workspace counters',
  webhook_endpoints: 'workspace configuration; deleted with the workspace (cascade)',
  webhook_deliveries: 'delivery log of a workspace; purged after WEBHOOK_DELIVERY_RETENTION_DAYS, cascade',
  webhook_deliveries_inbound: 'delivery log of a workspace; purged after WEBHOOK_DELIVERY_RETENTION_DAYS, cascade',
  lead_import_failures: 'rows of an import job: deleted with the job (jobs provider, ON DELETE CASCADE)',
  analytics_lead_days: 'workspace counters per day; deleted with the workspace (cascade)',
  analytics_rollup_state: 'workspace rollup watermarks',
  analytics_event_days: 'workspace counters per day; deleted with the workspace (cascade)',
  analytics_earning_days: 'workspace sums per day; deleted with the workspace (cascade)',
  analytics_campaign_days: 'workspace counters per day and campaign; deleted with the workspace (cascade)',
  analytics_lead_months: 'workspace counters per month; deleted with the workspace (cascade)',
  analytics_event_months: 'workspace counters per month; deleted with the workspace (cascade)',
  analytics_earning_months: 'workspace sums per month; deleted with the workspace (cascade)',
  analytics_campaign_months: 'workspace counters per month and campaign; deleted with the workspace (cascade)',
  // Billing rows are the workspace's accounting records, kept while the workspace exists (legal retention) and
  // deleted with it; they carry Stripe ids, not a person's id or contact details.
  billing_accounts: 'workspace billing account (Stripe customer id); deleted with the workspace (cascade)',
  billing_invoices: 'workspace invoices, kept for accounting; deleted with the workspace (cascade)',
  credit_ledger: 'workspace credit movements; deleted with the workspace (cascade)',
  stripe_events: 'idempotency log of Stripe webhook event ids',
};

/** Columns that name or identify a person: any table holding one must be covered by a provider. */
const PERSONAL_COLUMN =
  /(^|_)(user_id|owner_id|created_by_id|invited_by_id|email|to|ip|user_agent|phone|fan_name|display_name|handle)$/;

describe('GDPR data map', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // Before the tests that sign in: a worker context opened and closed in this process leaves the API's authentication working.
  it('the worker knows the same providers as the API (the export job misses no feature)', async () => {
    const worker: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    try {
      const features = (app: INestApplicationContext) =>
        app
          .get(PersonalDataRegistry)
          .list()
          .map((p) => p.feature)
          .sort();
      expect(features(worker)).toEqual(features(t.app));
    } finally {
      await worker.close();
    }
  }, 60_000);

  it('every table is covered by a personal-data provider or declared impersonal with a reason', async () => {
    const providers = t.app.get(PersonalDataRegistry).list();
    const covered = new Map<string, string>();
    for (const provider of providers) for (const table of provider.tables) covered.set(table, provider.feature);
    const columns: Array<{ table_name: string; column_name: string }> = await t.db.query(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const tables = [...new Set(columns.map((c) => c.table_name))].sort();
    expect(tables.filter((table) => !covered.has(table) && !NOT_PERSONAL[table])).toEqual([]);
    // A table that can hold a person's id or contact details cannot be waved through.
    const personalUncovered = columns
      .filter((c) => PERSONAL_COLUMN.test(c.column_name) && !covered.has(c.table_name))
      .map((c) => `${c.table_name}.${c.column_name}`);
    expect(personalUncovered).toEqual([]);
    // Every table a provider names exists.
    expect([...covered.keys()].filter((table) => !tables.includes(table))).toEqual([]);
  });

  it('after an erasure no table holds the erased user’s id or e-mail, and the shared workspace still works', async () => {
    const owner = await signUp(t);
    const member = await addMember(t, owner, 'admin', { name: 'Scanned Member' });
    const lead = await t
      .http()
      .post('/api/leads')
      .set(member.auth)
      .send({ name: 'Scan lead', email: 'scan-lead@example.invalid', ownerId: member.id })
      .expect(201);
    await t.http().put(`/api/leads/${lead.body.id}`).set(member.auth).send({ status: 'contacted' }).expect(200);
    await t
      .http()
      .post('/api/segments')
      .set(member.auth)
      .send({ name: 'Scan segment', rules: { all: [] } });
    await t
      .http()
      .post('/api/security/api-keys')
      .set(member.auth)
      .send({ name: 'scan key', scopes: ['leads:read'] });
    await t.http().post('/api/gdpr/consent').set(member.auth).send({ marketing: true }).expect(200);
    await t
      .http()
      .post('/api/forum/topics')
      .set(member.auth)
      .send({ title: 'Scan topic', content: 'hello', category: 'general' })
      .expect(201);

    await t.http().post('/api/gdpr/delete').set(member.auth).send({ confirmation: 'DELETE_MY_DATA' }).expect(200);

    expect(await tracesOf(member)).toEqual([]);
    const read = await t.http().get(`/api/leads/${lead.body.id}`).set(owner.auth).expect(200);
    expect(read.body.ownerId).toBeNull();
  });

  it('an erasure racing the user’s own activity leaves no trace once both have settled', async () => {
    const owner = await signUp(t);
    const member = await addMember(t, owner, 'admin', { name: 'Racing Member' });
    const topic = (
      await t
        .http()
        .post('/api/forum/topics')
        .set(owner.auth)
        .send({ title: 'Race topic', content: 'hello', category: 'general' })
        .expect(201)
    ).body as { topicId: string };
    const lead = (
      await t.http().post('/api/leads').set(member.auth).send({ name: 'Race lead', ownerId: member.id }).expect(201)
    ).body as { id: string };

    // The member keeps writing, wave after wave, until the erasure has answered; each wave touches several features.
    let erased = false;
    const activity: Promise<unknown>[] = [];
    const wave = (i: number) => [
      t
        .http()
        .post('/api/leads')
        .set(member.auth)
        .send({ name: `Race ${i}`, email: `race-${i}@example.invalid`, ownerId: member.id }),
      t
        .http()
        .put(`/api/leads/${lead.id}`)
        .set(member.auth)
        .send({ score: i % 100 }),
      t
        .http()
        .post(`/api/forum/topics/${topic.topicId}/comments`)
        .set(member.auth)
        .send({ content: `comment ${i}` }),
      t
        .http()
        .post('/api/gdpr/consent')
        .set(member.auth)
        .send({ analytics: i % 2 === 0 }),
      t
        .http()
        .post('/api/segments')
        .set(member.auth)
        .send({ name: `Race segment ${i}`, rules: { all: [] } }),
    ];
    const writer = (async () => {
      for (let i = 0; !erased && i < 200; i++) {
        const batch = wave(i).map((r) => r.then((res) => res.status));
        activity.push(...batch);
        await Promise.race(batch);
      }
    })();
    // Let some writes land first, so the erasure starts with writes in flight.
    await waitForRows(`SELECT count(*)::int AS n FROM leads WHERE owner_id = $1`, [member.id], 3);
    await waitForRows(`SELECT count(*)::int AS n FROM forum_comments WHERE user_id = $1`, [member.id], 1);
    const res = await t.http().post('/api/gdpr/delete').set(member.auth).send({ confirmation: 'DELETE_MY_DATA' });
    erased = true;
    expect(res.status).toBe(200);
    await writer;
    const statuses = (await Promise.allSettled(activity)).map((r) => (r.status === 'fulfilled' ? r.value : 'error'));
    // Writes before the erasure succeeded, after it they are refused; none was a server error.
    expect(statuses.filter((s) => typeof s === 'number' && s >= 500)).toEqual([]);
    expect(statuses.some((s) => s === 201 || s === 200)).toBe(true);

    expect(await tracesOf(member)).toEqual([]);
    // The shared workspace and the forum still work.
    await t.http().get(`/api/leads/${lead.id}`).set(owner.auth).expect(200);
    await t.http().get(`/api/forum/topics/${topic.topicId}`).set(owner.auth).expect(200);
  });

  /** Every table row that still holds the person's id or e-mail, as `table: count`. */
  async function tracesOf(person: { id: string; email: string }): Promise<string[]> {
    const tables: Array<{ table_name: string }> = await t.db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const found: string[] = [];
    for (const { table_name } of tables) {
      const [row] = await t.db.query(
        `SELECT count(*)::int AS n FROM "${table_name}" x WHERE x::text ILIKE '%' || $1 || '%' OR x::text ILIKE '%' || $2 || '%'`,
        [person.id, person.email],
      );
      if (row.n > 0) found.push(`${table_name}: ${row.n}`);
    }
    return found;
  }

  async function waitForRows(sql: string, params: unknown[], atLeast: number): Promise<void> {
    await waitFor(`${atLeast} rows`, async () => ((await t.db.query(sql, params))[0].n >= atLeast ? true : undefined));
  }
});
