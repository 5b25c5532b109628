import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PersonalDataRegistry } from '@crescendo/platform';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { addMember, createTestApp, signUp, TestApp } from '../helpers/test-app';

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
  notifications: 'the workspace’s event feed (no person id); deleted with the workspace (cascade)',
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

    const tables: Array<{ table_name: string }> = await t.db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const found: string[] = [];
    for (const { table_name } of tables) {
      const [row] = await t.db.query(
        `SELECT count(*)::int AS n FROM "${table_name}" x WHERE x::text ILIKE '%' || $1 || '%' OR x::text ILIKE '%' || $2 || '%'`,
        [member.id, member.email],
      );
      if (row.n > 0) found.push(`${table_name}: ${row.n}`);
    }
    expect(found).toEqual([]);
    const read = await t.http().get(`/api/leads/${lead.body.id}`).set(owner.auth).expect(200);
    expect(read.body.ownerId).toBeNull();
  });
});
