import { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueueName, QueueRegistry } from '@crescendo/platform';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { readSse } from '../chat/sse';
import { addMember, createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';
import { Seeded, seedWorkspace } from './analytics-fixture';

const range = { startDate: '2026-11-01', endDate: '2026-11-07' };
const period = {
  from: '2026-11-01',
  to: '2026-11-07',
  timeZone: 'Europe/Paris',
  previousFrom: '2026-10-25',
  previousTo: '2026-10-31',
};
const m = (current: number | null, previous: number | null, changePercent: number | null = null) => ({
  current,
  previous,
  change: current === null || previous === null ? null : expect.closeTo(current - previous, 6),
  changePercent,
  unavailableReason: null,
});

describe('analytics (/api/analytics/*) and dashboard (/api/dashboard/*)', () => {
  let t: TestApp;
  let owner: TestUser;
  let seeded: Seeded;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await signUp(t);
    seeded = await seedWorkspace(t, owner);
    await seedWorkspace(t, await signUp(t));
  }, 120_000);
  afterAll(() => t.close());

  const get = (path: string, query: Record<string, string> = {}, user = owner) =>
    t.http().get(path).query(query).set(user.auth);

  it('GET /analytics/revenue: total, per day, per source and type, growth; other currencies apart', async () => {
    const res = await get('/api/analytics/revenue', range);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      totalRevenue: 2700,
      revenueByDay: [
        { date: '2026-11-01', revenue: 2000 },
        { date: '2026-11-02', revenue: 1000 },
        { date: '2026-11-03', revenue: 0 },
        { date: '2026-11-04', revenue: -300 },
        { date: '2026-11-05', revenue: 0 },
        { date: '2026-11-06', revenue: 0 },
        { date: '2026-11-07', revenue: 0 },
      ],
      revenueBySource: { onlyfans: 700, patreon: 2000 },
      revenueBySourceByDay: {
        onlyfans: [0, 1000, 0, -300, 0, 0, 0],
        patreon: [2000, 0, 0, 0, 0, 0, 0],
      },
      growth: { percentage: 80, trend: 'up' },
      currency: 'EUR',
      period,
      previousTotalRevenue: 1500,
      revenueByType: { subscription: 3000, refund: -300 },
      otherCurrencies: [{ currency: 'USD', amount: 700 }],
      unavailableSources: [{ source: 'stripe', reason: expect.stringContaining('Billing') }],
    });
    // The period before: nothing before it, so no percentage.
    const before = await get('/api/analytics/revenue', { startDate: '2026-10-25', endDate: '2026-10-31' });
    expect(before.body).toMatchObject({
      totalRevenue: 1500,
      previousTotalRevenue: 0,
      growth: { percentage: null, trend: 'up' },
    });
    expectError(await get('/api/analytics/revenue', { period: '14d' }), 400, 'UNKNOWN_PERIOD');
  });

  it('GET /analytics/engagement: subscribers, lead activity, campaign replies', async () => {
    const res = await get('/api/analytics/engagement', range);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      period,
      subscribers: { new: m(2, 1, 100), active: 3 },
      campaignReplies: m(2, 1, 100),
      replyRate: m(0.6667, 1, -33.3),
      aiRequests: m(0, 0),
    });
    // Every timeline entry was moved to its lead's creation time: 5 leads of the period, 4 of them enrolled.
    expect(res.body.leadActivityByType).toMatchObject({ created: 5, enrolled: 4 });
    const total = Object.values(res.body.leadActivityByType as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(res.body.leadActivity.current).toBe(total);
  });

  it('GET /analytics/performance: conversion rates, top campaigns, AI', async () => {
    const res = await get('/api/analytics/performance', range);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      period,
      leadConversionRate: m(0.2, 0.5, -60),
      campaignConversionRate: m(0.25, 1, -75),
      ai: { requests: m(0, 0), costUsd: m(0, 0), errorRate: m(null, null) },
    });
    expect(res.body.topCampaigns.map((c: { id: string; converted: number }) => [c.id, c.converted])).toEqual([
      [seeded.campaigns.summer, 1],
      [seeded.campaigns.spring, 0],
    ]);
  });

  it('GET /analytics/overview: the overview in the success/data envelope, with leads and revenue per day', async () => {
    const res = await get('/api/analytics/overview', range);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data).toMatchObject({
      period,
      currency: 'EUR',
      leads: { total: 8, new: m(5, 2, 150) },
      revenue: m(2700, 1500, 80),
    });
    expect(res.body.data.byDay[0]).toEqual({ date: '2026-11-01', leads: 2, revenue: 2000 });
    expect(res.body.data.byDay).toHaveLength(7);
  });

  it('GET /dashboard/stats: snake_case counters; keys without counterpart are null', async () => {
    const res = await get('/api/dashboard/stats');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      websites: null,
      funnels: 2,
      conversations: 0,
      generations: 0,
      storage_used: null,
      storage_total: null,
      leads: 8,
      subscribers: 3,
      active_campaigns: 1,
    });
  });

  it('GET /dashboard/recent-projects and /recent-activity: humanised in the workspace language', async () => {
    const projects = await get('/api/dashboard/recent-projects');
    expect(projects.status).toBe(200);
    expect(projects.body.projects).toHaveLength(2);
    expect(projects.body.projects.map((p: { name: string }) => p.name).sort()).toEqual(['Spring', 'Summer']);
    for (const p of projects.body.projects) {
      expect(p).toEqual({
        id: expect.any(String),
        type: 'campaign',
        icon: expect.any(String),
        name: expect.any(String),
        status: expect.any(String),
        // defaultLanguage fr, a few seconds ago.
        updated: expect.stringMatching(/^(Maintenant|Il y a \d+ (secondes?|minutes?))$/),
        updated_at: expect.any(String),
        url: `/campaigns/${p.id}`,
      });
    }
    const activity = await get('/api/dashboard/recent-activity');
    expect(activity.status).toBe(200);
    expect(activity.body.activities.length).toBeGreaterThan(0);
    expect(activity.body.activities.length).toBeLessThanOrEqual(10);
    for (const a of activity.body.activities) {
      expect(a).toEqual({
        icon: expect.any(String),
        title: expect.any(String),
        description: expect.any(String),
        time: expect.stringMatching(/^(Maintenant|Il y a )/),
        timestamp: expect.any(String),
      });
    }
    // Newest first.
    const times = activity.body.activities.map((a: { timestamp: string }) => a.timestamp);
    expect([...times].sort().reverse()).toEqual(times);
    // A viewer reads the figures but not the audit log.
    const viewer = await addMember(t, owner, 'viewer');
    expect((await get('/api/dashboard/stats', {}, viewer)).status).toBe(200);
    expectError(await get('/api/dashboard/recent-activity', {}, viewer), 403);
    // Another workspace's dashboard counts only its own.
    const empty = await signUp(t);
    expect((await get('/api/dashboard/stats', {}, empty)).body).toMatchObject({ funnels: 0, leads: 0, subscribers: 0 });
    expect((await get('/api/dashboard/recent-projects', {}, empty)).body).toEqual({ projects: [] });
  });
});

describe('notifications: fed by domain events in the worker, live on another API process', () => {
  let a: TestApp;
  let b: TestApp;
  let worker: INestApplicationContext;
  let baseB: string;
  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp();
    await b.app.listen(0, '127.0.0.1');
    baseB = `http://127.0.0.1:${(b.app.getHttpServer().address() as AddressInfo).port}`;
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await b?.close();
    await a?.close();
  });

  /** Waits until every domain event published so far has been handled by the worker. */
  const eventsDrained = () =>
    waitFor('the events queue to drain', async () => {
      const counts = await worker.get(QueueRegistry).get(QueueName.Events).getJobCounts('waiting', 'active', 'delayed');
      return counts.waiting + counts.active + counts.delayed === 0 ? true : undefined;
    });

  const convertLead = async (owner: TestUser) => {
    const lead = await a.http().post('/api/leads').set(owner.auth).send({ name: 'Zoé' }).expect(201);
    const campaign = await a
      .http()
      .post('/api/campaigns')
      .set(owner.auth)
      .send({ name: `C ${lead.body.id}`, type: 'email' })
      .expect(201);
    await a
      .http()
      .post(`/api/campaigns/${campaign.body.id}/leads`)
      .set(owner.auth)
      .send({ leadIds: [lead.body.id] })
      .expect(200);
    await a
      .http()
      .put(`/api/campaigns/${campaign.body.id}/leads/${lead.body.id}`)
      .set(owner.auth)
      .send({ stage: 'converted' })
      .expect(200);
  };

  it('a conversion made on one API process arrives on the stream of another; read, read-all, tenancy', async () => {
    const owner = await signUp(a);
    const stranger = await signUp(a);
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const stream = readSse(
      `${baseB}/api/notifications/stream`,
      { headers: owner.auth },
      (events) => events.some((e) => e.event === 'notification'),
      (event) => event.event === 'ready' && listening(),
    );
    await ready;
    await convertLead(owner);
    const result = await stream;
    expect(result.status).toBe(200);
    expect(result.events[0]).toMatchObject({ event: 'ready', data: { unread_count: 0 } });
    const live = result.events.find((e) => e.event === 'notification')!;
    expect(live.data).toEqual({
      id: expect.any(String),
      type: 'success',
      icon: '✅',
      message: 'Lead Zoé converted',
      time: expect.any(String),
      read: false,
      kind: 'lead.status_changed',
      data: { leadId: expect.any(String) },
      created_at: expect.any(String),
    });

    const list = await a.http().get('/api/dashboard/notifications').set(owner.auth).expect(200);
    expect(list.body.unread_count).toBe(1);
    expect(list.body.notifications).toEqual([{ ...live.data, time: expect.any(String) }]);
    // Another workspace sees none of it and cannot mark it.
    expect((await a.http().get('/api/dashboard/notifications').set(stranger.auth)).body).toEqual({
      notifications: [],
      unread_count: 0,
    });
    expectError(
      await a.http().post(`/api/notifications/${live.data.id}/read`).set(stranger.auth),
      404,
      'NOTIFICATION_NOT_FOUND',
    );

    await a.http().post(`/api/notifications/${live.data.id}/read`).set(owner.auth).expect(204);
    const after = await a.http().get('/api/dashboard/notifications').set(owner.auth).expect(200);
    expect(after.body.unread_count).toBe(0);
    expect(after.body.notifications[0].read).toBe(true);
    expect((await a.http().post('/api/notifications/read-all').set(owner.auth).expect(200)).body).toEqual({
      updated: 0,
    });
    expectError(await a.http().get('/api/dashboard/notifications'), 401);
  });

  it('honours the in-app switches of the notification settings', async () => {
    const owner = await signUp(a);
    await a
      .http()
      .put('/api/settings/notifications')
      .set(owner.auth)
      .send({ inApp: { leadStatusChanged: false } })
      .expect(200);
    await convertLead(owner);
    await eventsDrained();
    expect((await a.http().get('/api/dashboard/notifications').set(owner.auth)).body).toEqual({
      notifications: [],
      unread_count: 0,
    });

    await a
      .http()
      .put('/api/settings/notifications')
      .set(owner.auth)
      .send({ inApp: { leadStatusChanged: true } })
      .expect(200);
    await convertLead(owner);
    const list = await waitFor('the notification', async () => {
      const res = await a.http().get('/api/dashboard/notifications').set(owner.auth);
      return res.body.unread_count === 1 ? res.body : undefined;
    });
    expect(list.notifications[0].message).toBe('Lead Zoé converted');
    expect((await a.http().post('/api/notifications/read-all').set(owner.auth).expect(200)).body).toEqual({
      updated: 1,
    });
  });
});

describe('revenue attribution (/api/analytics/attribution)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('shares each lead’s revenue among the campaigns it was enrolled in, by model', async () => {
    const owner = await signUp(t);
    await t
      .http()
      .put('/api/settings/general')
      .set(owner.auth)
      .send({ timezone: 'Europe/Paris', currency: 'EUR' })
      .expect(200);
    const lead = async (email: string) =>
      (await t.http().post('/api/leads').set(owner.auth).send({ name: email, email }).expect(201)).body.id as string;
    const a = await lead('a@example.invalid');
    const b = await lead('b@example.invalid');
    const campaign = async (name: string) =>
      (await t.http().post('/api/campaigns').set(owner.auth).send({ name, type: 'email' }).expect(201)).body
        .id as string;
    const c1 = await campaign('First');
    const c2 = await campaign('Second');
    await t
      .http()
      .post(`/api/campaigns/${c1}/leads`)
      .set(owner.auth)
      .send({ leadIds: [a] })
      .expect(200);
    await t
      .http()
      .post(`/api/campaigns/${c2}/leads`)
      .set(owner.auth)
      .send({ leadIds: [a, b] })
      .expect(200);
    await t.db.query(`UPDATE campaign_leads SET enrolled_at = '2026-11-01T10:00:00Z' WHERE campaign_id = $1`, [c1]);
    await t.db.query(`UPDATE campaign_leads SET enrolled_at = '2026-11-03T10:00:00Z' WHERE campaign_id = $1`, [c2]);
    const subscriber = async (handle: string, email?: string) =>
      (
        await t
          .http()
          .post('/api/onlyfans/subscribers')
          .set(owner.auth)
          .send({ platform: 'onlyfans', handle, currency: 'EUR', email })
          .expect(201)
      ).body.data.id as string;
    const pay = async (subscriberId: string, amount: number) =>
      t
        .http()
        .post('/api/onlyfans/earnings')
        .set(owner.auth)
        .send({ subscriberId, type: 'tip', amount, occurredAt: '2026-11-05T10:00:00.000Z' })
        .expect(201);
    await pay(await subscriber('sa', 'a@example.invalid'), 1000);
    await pay(await subscriber('sb', 'b@example.invalid'), 600);
    await pay(await subscriber('sc'), 400);

    const run = async (model?: string) => {
      const res = await t
        .http()
        .get('/api/analytics/attribution')
        .query({ ...range, ...(model ? { model } : {}) })
        .set(owner.auth);
      expect(res.status).toBe(200);
      return res.body;
    };
    const row = (id: string, name: string, revenue: number, leads: number) => ({
      id,
      name,
      revenue,
      leads,
      costUsd: null,
      roi: null,
      unavailableReason: expect.any(String),
    });
    const linear = await run();
    expect(linear).toEqual({
      period,
      model: 'linear',
      currency: 'EUR',
      totalRevenue: 2000,
      unattributedToCampaigns: 400,
      unattributedToAgents: 2000,
      campaigns: [row(c2, 'Second', 1100, 2), row(c1, 'First', 500, 1)],
      agents: [],
      unavailableSources: [{ source: 'stripe', reason: expect.any(String) }],
    });
    expect((await run('first_touch')).campaigns).toEqual([row(c1, 'First', 1000, 1), row(c2, 'Second', 600, 1)]);
    expect((await run('last_touch')).campaigns).toEqual([row(c2, 'Second', 1600, 2)]);
    expectError(await t.http().get('/api/analytics/attribution').query({ model: 'u_shaped' }).set(owner.auth), 400);
    // Another workspace's earnings and enrollments never count.
    const other = await signUp(t);
    expect((await t.http().get('/api/analytics/attribution').query(range).set(other.auth)).body).toMatchObject({
      totalRevenue: 0,
      campaigns: [],
      agents: [],
    });
  });
});
