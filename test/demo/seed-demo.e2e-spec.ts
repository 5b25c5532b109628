import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { DemoSeeder, DemoSeedModule, DemoWorkspaceNotEmptyError } from '@crescendo/demo';
import { AuthService } from '@crescendo/identity';
import { NichesService } from '@crescendo/leads';
import { ListSegmentsQueryDto, SegmentsService } from '@crescendo/segments';
import { uniqueEmail } from '../helpers/test-app';

// Two full seeds on a shared, busy machine: generous.
jest.setTimeout(240_000);

describe('demo seed (real Postgres and Redis, through the domain services)', () => {
  let app: INestApplicationContext;
  let db: DataSource;
  let seeder: DemoSeeder;
  const email = uniqueEmail('demo');
  let workspaceId: string;
  let firstRun: { counts: Record<string, number>; leads: unknown[]; revenue: string; spend: string };

  const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> =>
    db.query(sql, params);
  const snapshot = async () => ({
    counts: await seeder.counts(workspaceId),
    leads: await q('SELECT email, status, score, tags, source FROM leads WHERE workspace_id = $1 ORDER BY email', [
      workspaceId,
    ]),
    revenue: (
      await q<{ s: string }>('SELECT sum(revenue)::text AS s FROM campaign_leads WHERE workspace_id = $1', [
        workspaceId,
      ])
    )[0].s,
    spend: (
      await q<{ s: string }>('SELECT sum(lifetime_spend)::text AS s FROM subscribers WHERE workspace_id = $1', [
        workspaceId,
      ])
    )[0].s,
  });

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(DemoSeedModule, { logger: false });
    db = app.get(DataSource);
    seeder = app.get(DemoSeeder);
    const result = await seeder.run({ email, password: 'demo-password-1' });
    workspaceId = result.workspaceId;
    expect(result.password).toBe('demo-password-1');
    firstRun = await snapshot();
  });
  afterAll(() => app?.close());

  it('creates the user as owner of its workspace and fills it with the documented volumes', async () => {
    const [membership] = await q<{ role: string }>(
      'SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1',
      [email],
    );
    expect(membership.role).toBe('owner');
    expect(firstRun.counts).toEqual({
      ai_usage: 240,
      chatbot_messages: expect.any(Number),
      chatbot_conversations: 12,
      chatbot_auto_reply_rules: 3,
      chatbot_canned_responses: 4,
      segments: 3,
      earnings: 500,
      subscribers: 60,
      campaign_leads: expect.any(Number),
      campaigns: 8,
      lead_events: expect.any(Number),
      leads: 300,
      niches: 5,
      automation_rules: 3,
    });
    expect(firstRun.counts.campaign_leads).toBeGreaterThan(150);
    // Inbound fan messages got auto-replies from the seeded rules.
    const [{ auto }] = await q<{ auto: number }>(
      `SELECT count(*)::int AS auto FROM chatbot_messages WHERE workspace_id = $1 AND author_type = 'auto_reply'`,
      [workspaceId],
    );
    expect(auto).toBeGreaterThan(0);
  });

  it('varies lead statuses, sources and creation dates over 90 days, and campaign statuses', async () => {
    const [leads] = await q<{ statuses: number; sources: number; minAge: number; maxAge: number; custom: number }>(
      `SELECT count(DISTINCT status)::int AS statuses, count(DISTINCT source)::int AS sources,
              min(extract(epoch FROM now() - created_at) / 86400)::float8 AS "minAge",
              max(extract(epoch FROM now() - created_at) / 86400)::float8 AS "maxAge",
              count(*) FILTER (WHERE custom_fields ? 'country')::int AS custom
         FROM leads WHERE workspace_id = $1`,
      [workspaceId],
    );
    expect(leads.statuses).toBe(5);
    expect(leads.sources).toBeGreaterThanOrEqual(5);
    expect(leads.maxAge).toBeGreaterThan(60);
    expect(leads.maxAge).toBeLessThanOrEqual(91);
    expect(leads.custom).toBe(300);
    const campaigns = await q<{ status: string }>(
      'SELECT DISTINCT status FROM campaigns WHERE workspace_id = $1 ORDER BY status',
      [workspaceId],
    );
    expect(campaigns.map((c) => c.status)).toEqual(['active', 'archived', 'completed', 'draft', 'paused', 'scheduled']);
    expect(Number(firstRun.revenue)).toBeGreaterThan(0);
  });

  it('keeps the invariants the services maintain', async () => {
    // Every enrolled lead is a lead of the same workspace.
    const [{ foreign }] = await q<{ foreign: number }>(
      `SELECT count(*)::int AS foreign FROM campaign_leads cl LEFT JOIN leads l ON l.id = cl.lead_id
        WHERE cl.workspace_id = $1 AND (l.id IS NULL OR l.workspace_id <> cl.workspace_id)`,
      [workspaceId],
    );
    expect(foreign).toBe(0);
    // Lifetime spend is the sum of the subscriber's earnings; renewals count its subscription entries.
    const [{ off }] = await q<{ off: number }>(
      `SELECT count(*)::int AS off FROM subscribers s
        WHERE s.workspace_id = $1
          AND (s.lifetime_spend <> (SELECT coalesce(sum(e.amount), 0) FROM earnings e WHERE e.subscriber_id = s.id)
           OR s.renewals <> (SELECT count(*) FROM earnings e WHERE e.subscriber_id = s.id AND e.type = 'subscription'))`,
      [workspaceId],
    );
    expect(off).toBe(0);
    const [earnings] = await q<{ types: number; currencies: number; spanDays: number }>(
      `SELECT count(DISTINCT type)::int AS types, count(DISTINCT currency)::int AS currencies,
              (extract(epoch FROM max(occurred_at) - min(occurred_at)) / 86400)::float8 AS "spanDays"
         FROM earnings WHERE workspace_id = $1`,
      [workspaceId],
    );
    expect(earnings.types).toBeGreaterThanOrEqual(4);
    expect(earnings.currencies).toBe(1);
    expect(earnings.spanDays).toBeGreaterThan(150);
    // Every lead has a timeline starting with its creation; converted leads have their status change.
    const [timeline] = await q<{ without: number; convertedWithout: number; enrolledWithout: number }>(
      `SELECT
         count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM lead_events e WHERE e.lead_id = l.id AND e.type = 'created'))::int AS without,
         count(*) FILTER (WHERE l.status = 'converted' AND NOT EXISTS (
           SELECT 1 FROM lead_events e WHERE e.lead_id = l.id AND e.type = 'status_changed' AND e.data->>'to' = 'converted'))::int AS "convertedWithout",
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM campaign_leads cl WHERE cl.lead_id = l.id) AND NOT EXISTS (
           SELECT 1 FROM lead_events e WHERE e.lead_id = l.id AND e.type = 'enrolled'))::int AS "enrolledWithout"
         FROM leads l WHERE l.workspace_id = $1`,
      [workspaceId],
    );
    expect(timeline).toEqual({ without: 0, convertedWithout: 0, enrolledWithout: 0 });
    // Backdated events stay inside the lead's life: none before its creation.
    const [{ early }] = await q<{ early: number }>(
      `SELECT count(*)::int AS early FROM lead_events e JOIN leads l ON l.id = e.lead_id
        WHERE l.workspace_id = $1 AND e.created_at < l.created_at`,
      [workspaceId],
    );
    expect(early).toBe(0);
    // Converted enrollments carry the revenue; only they do.
    const [{ badRevenue }] = await q<{ badRevenue: number }>(
      `SELECT count(*)::int AS "badRevenue" FROM campaign_leads
        WHERE workspace_id = $1 AND ((stage = 'converted') <> (revenue > 0))`,
      [workspaceId],
    );
    expect(badRevenue).toBe(0);
  });

  it('gives each segment live members', async () => {
    const list = await app.get(SegmentsService).list(workspaceId, new ListSegmentsQueryDto());
    expect(list.data).toHaveLength(3);
    for (const segment of list.data) expect(segment.leadCount).toBeGreaterThan(0);
  });

  it('refuses a second run on the same workspace without --reset, writing nothing', async () => {
    await expect(seeder.run({ email })).rejects.toBeInstanceOf(DemoWorkspaceNotEmptyError);
    expect(await seeder.counts(workspaceId)).toEqual(firstRun.counts);
  });

  it('with reset, wipes only this workspace and seeds the same data again', async () => {
    // Another workspace's data must survive the reset.
    const other = uniqueEmail('other');
    await app.get(AuthService).register({ email: other, password: 'other-password', name: 'Other' });
    const [membership] = await q<{ workspaceId: string }>(
      'SELECT m.workspace_id AS "workspaceId" FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1',
      [other],
    );
    const otherNiche = await app.get(NichesService).create(membership.workspaceId, { name: 'Untouched niche' });

    const again = await seeder.run({ email, reset: true });
    expect(again.reset).toBe(true);
    expect(again.password).toBeNull();
    expect(await snapshot()).toEqual(firstRun);
    const [{ kept }] = await q<{ kept: number }>('SELECT count(*)::int AS kept FROM niches WHERE id = $1', [
      otherNiche.id,
    ]);
    expect(kept).toBe(1);
  });
});
