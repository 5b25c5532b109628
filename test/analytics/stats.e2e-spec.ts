import { AnalyticsClock } from '@crescendo/analytics';
import { addMember, createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';
import { Seeded, seedWorkspace } from './analytics-fixture';

/** "Today" for analytics: Saturday 7 November 2026, 13:00 in Paris. */
const clock = { now: () => new Date('2026-11-07T12:00:00Z') };
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

describe('stats (/api/stats/*)', () => {
  let t: TestApp;
  let owner: TestUser;
  let seeded: Seeded;
  beforeAll(async () => {
    t = await createTestApp([{ provide: AnalyticsClock, useValue: clock }]);
    owner = await signUp(t);
    seeded = await seedWorkspace(t, owner);
    // Another workspace with the very same data: never counted in the first one's figures.
    await seedWorkspace(t, await signUp(t));
  }, 120_000);
  afterAll(() => t.close());

  const get = (path: string, query: Record<string, string> = {}, user = owner) =>
    t.http().get(path).query(query).set(user.auth);

  it('GET /stats/overview: the period’s figures beside the previous period’s, in the workspace time zone', async () => {
    const res = await get('/api/stats/overview', range);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      period,
      currency: 'EUR',
      // 5 leads on Nov 1–7 in Paris (L6 at 23:30 UTC on Oct 31 is in, L5 at 23:30 UTC on Nov 7 is out), 2 before.
      leads: {
        total: 8,
        new: m(5, 2, 150),
        converted: m(1, 1, 0),
        conversionRate: m(0.2, 0.5, -60),
      },
      campaigns: { total: 2, active: 1, enrollments: m(4, 1, 300), conversions: m(1, 1, 0) },
      niches: 2,
      subscribers: { active: 3, new: m(2, 1, 100) },
      // 1000 + 2000 (23:30 UTC on Oct 31) − 300 refund; the tip at 23:30 UTC on Nov 7 and the USD entry are out.
      revenue: m(2700, 1500, 80),
      aiCostUsd: m(0, 0),
    });
  });

  it('GET /stats/leads: by status, source, niche and day, with filters', async () => {
    const res = await get('/api/stats/leads', range);
    expect(res.status).toBe(200);
    const row = (key: string | null, current: number, previous: number, label: string | null = null) => ({
      key,
      label,
      current,
      previous,
    });
    expect(res.body.total).toEqual(m(5, 2, 150));
    expect(res.body.byStatus).toEqual([
      row('new', 1, 1),
      row('contacted', 1, 0),
      row('qualified', 1, 0),
      row('converted', 1, 1),
      row('lost', 1, 0),
    ]);
    expect(res.body.bySource).toEqual([row('web', 3, 1), row('ads', 2, 1)]);
    expect(res.body.byNiche).toEqual([
      row(seeded.niches.alpha, 3, 1, 'Alpha'),
      row(seeded.niches.beta, 2, 0, 'Beta'),
      row(null, 0, 1),
    ]);
    expect(res.body.byDay).toEqual([
      { date: '2026-11-01', count: 2 },
      { date: '2026-11-02', count: 0 },
      { date: '2026-11-03', count: 1 },
      { date: '2026-11-04', count: 0 },
      { date: '2026-11-05', count: 1 },
      { date: '2026-11-06', count: 0 },
      { date: '2026-11-07', count: 1 },
    ]);

    const ads = await get('/api/stats/leads', { ...range, source: 'ads' });
    expect(ads.body.total).toEqual(m(2, 1, 100));
    const beta = await get('/api/stats/leads', { ...range, nicheId: seeded.niches.beta });
    expect(beta.body.total).toEqual(m(2, 0));
    expect(beta.body.bySource).toEqual([row('ads', 2, 0)]);
  });

  it('cuts days in the workspace time zone: in UTC the boundary leads change sides', async () => {
    await t.http().put('/api/settings/general').set(owner.auth).send({ timezone: 'UTC' }).expect(200);
    try {
      const res = await get('/api/stats/leads', range);
      // UTC Nov 1–7: L1, L2, L3, L4, L5 (23:30 on Nov 7); L6 (23:30 on Oct 31) moves to the previous period.
      expect(res.body.total).toEqual(m(5, 3, expect.closeTo(66.7, 1)));
      expect(res.body.period.timeZone).toBe('UTC');
      expect(res.body.byDay[0]).toEqual({ date: '2026-11-01', count: 1 });
      const revenue = await get('/api/analytics/revenue', range);
      // UTC: the Nov 7 tip is in, the Oct 31 subscription is out.
      expect(revenue.body.totalRevenue).toBe(1000 + 500 - 300);
    } finally {
      await t.http().put('/api/settings/general').set(owner.auth).send({ timezone: 'Europe/Paris' }).expect(200);
    }
  });

  it('GET /stats/campaigns: each campaign’s enrollments of the period by stage reached', async () => {
    const res = await get('/api/stats/campaigns', range);
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual(period);
    expect(res.body.byStatus).toEqual([
      { status: 'draft', count: 1 },
      { status: 'scheduled', count: 0 },
      { status: 'active', count: 1 },
      { status: 'paused', count: 0 },
      { status: 'completed', count: 0 },
      { status: 'archived', count: 0 },
    ]);
    expect(res.body.totals).toEqual({
      enrolled: m(4, 1, 300),
      contacted: m(3, 1, 200),
      replied: m(2, 1, 100),
      converted: m(1, 1, 0),
      conversionRate: m(0.25, 1, -75),
    });
    expect(res.body.campaigns).toEqual([
      {
        id: seeded.campaigns.spring,
        name: 'Spring',
        status: 'active',
        type: 'email',
        currency: null,
        enrolled: 3,
        contacted: 2,
        replied: 1,
        converted: 0,
        conversionRate: 0,
        revenue: 0,
        previousEnrolled: 0,
        previousConverted: 0,
      },
      {
        id: seeded.campaigns.summer,
        name: 'Summer',
        status: 'draft',
        type: 'social',
        currency: 'EUR',
        enrolled: 1,
        contacted: 1,
        replied: 1,
        converted: 1,
        conversionRate: 1,
        revenue: 5000,
        previousEnrolled: 1,
        previousConverted: 1,
      },
    ]);
    const one = await get('/api/stats/campaigns', { ...range, campaignId: seeded.campaigns.spring });
    expect(one.body.campaigns.map((c: { name: string }) => c.name)).toEqual(['Spring']);
    const byNiche = await get('/api/stats/campaigns', { ...range, nicheId: seeded.niches.beta });
    expect(byNiche.body.campaigns.map((c: { name: string }) => c.name)).toEqual(['Summer']);
  });

  it('GET /stats/niches: every niche with its leads and conversion, and the leads without niche', async () => {
    const res = await get('/api/stats/niches', range);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      period,
      niches: [
        { id: seeded.niches.alpha, name: 'Alpha', leads: 3, previousLeads: 1, converted: 0, conversionRate: 0 },
        { id: seeded.niches.beta, name: 'Beta', leads: 2, previousLeads: 0, converted: 1, conversionRate: 0.5 },
        { id: null, name: null, leads: 0, previousLeads: 1, converted: 0, conversionRate: null },
      ],
    });
  });

  it('GET /stats/conversion: the lead and campaign funnels with their rates', async () => {
    const res = await get('/api/stats/conversion', range);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      period,
      leadFunnel: [
        { stage: 'new', count: 5, rateFromPrevious: 1, rateFromStart: 1 },
        { stage: 'contacted', count: 3, rateFromPrevious: 0.6, rateFromStart: 0.6 },
        { stage: 'qualified', count: 2, rateFromPrevious: 0.6667, rateFromStart: 0.4 },
        { stage: 'converted', count: 1, rateFromPrevious: 0.5, rateFromStart: 0.2 },
      ],
      lost: 1,
      conversionRate: m(0.2, 0.5, -60),
      campaignFunnel: [
        { stage: 'enrolled', count: 4, rateFromPrevious: 1, rateFromStart: 1 },
        { stage: 'contacted', count: 3, rateFromPrevious: 0.75, rateFromStart: 0.75 },
        { stage: 'replied', count: 2, rateFromPrevious: 0.6667, rateFromStart: 0.5 },
        { stage: 'converted', count: 1, rateFromPrevious: 0.5, rateFromStart: 0.25 },
      ],
      campaignConversionRate: m(0.25, 1, -75),
    });
  });

  it('GET /stats/period/:period: the calendar period to date against the same days of the one before', async () => {
    const cases: [string, string, string, string, string, number, number][] = [
      ['day', '2026-11-07', '2026-11-07', '2026-11-06', '2026-11-06', 1, 0],
      // Weeks start on Monday (general settings): Mon 2 – Sat 7 against Mon 26 – Sat 31 October.
      ['week', '2026-11-02', '2026-11-07', '2026-10-26', '2026-10-31', 3, 2],
      ['month', '2026-11-01', '2026-11-07', '2026-10-01', '2026-10-07', 5, 0],
      ['quarter', '2026-10-01', '2026-11-07', '2026-07-01', '2026-08-07', 7, 0],
      ['year', '2026-01-01', '2026-11-07', '2025-01-01', '2025-11-07', 7, 0],
    ];
    for (const [name, from, to, previousFrom, previousTo, current, previous] of cases) {
      const res = await get(`/api/stats/period/${name}`);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect({ name, period: res.body.period, leads: res.body.leads.new.current }).toEqual({
        name,
        period: { from, to, previousFrom, previousTo, timeZone: 'Europe/Paris' },
        leads: current,
      });
      expect(res.body.leads.new.previous).toBe(previous);
      expect(res.body.calendarPeriod).toBe(name);
      expect(res.body.leadsByDay).toHaveLength(Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1);
    }
    const month = await get('/api/stats/period/month');
    expect(month.body.revenue).toEqual(m(2700, 0));
  });

  it('a rolling period ends today in the workspace time zone', async () => {
    const res = await get('/api/stats/overview', { period: '7d' });
    expect(res.body.period).toEqual(period);
    expect(res.body.leads.new).toEqual(m(5, 2, 150));
    const month = await get('/api/stats/overview');
    expect(month.body.period).toMatchObject({ from: '2026-10-09', to: '2026-11-07', previousTo: '2026-10-08' });
  });

  it('400 for an unknown period, naming the allowed values, and for bad ranges', async () => {
    const bad = await get('/api/stats/period/decade');
    expectError(bad, 400, 'UNKNOWN_PERIOD');
    expect(bad.body.message).toContain('day, week, month, quarter, year');
    const rolling = await get('/api/stats/overview', { period: '2w' });
    expectError(rolling, 400, 'UNKNOWN_PERIOD');
    expect(rolling.body.message).toContain('7d, 30d, 90d, 1y');
    expectError(await get('/api/stats/leads', { startDate: '2026-11-01' }), 400, 'INVALID_DATE_RANGE');
    expectError(
      await get('/api/stats/leads', { startDate: '2026-11-08', endDate: '2026-11-01' }),
      400,
      'INVALID_DATE_RANGE',
    );
    expectError(
      await get('/api/stats/leads', { startDate: '2026-02-30', endDate: '2026-03-01' }),
      400,
      'INVALID_DATE_RANGE',
    );
    expectError(
      await get('/api/stats/leads', { startDate: '2020-01-01', endDate: '2026-01-01' }),
      400,
      'INVALID_DATE_RANGE',
    );
    expectError(await get('/api/stats/campaigns', { campaignId: 'nope' }), 400);
    // Dates win over a period given beside them (as the revenue route's documented query does).
    expect((await get('/api/stats/overview', { period: '90d', ...range })).body.period).toEqual(period);
  });

  it('401 without credentials, 403 without analytics:read', async () => {
    expectError(await t.http().get('/api/stats/overview').set('X-Forwarded-For', randomIp()), 401);
    const key = await t
      .http()
      .post('/api/security/api-keys')
      .set(owner.auth)
      .send({ name: 'leads only', scopes: ['leads:read'] })
      .expect(201);
    const withKey = { 'X-API-Key': key.body.key as string, 'X-Forwarded-For': randomIp() };
    for (const path of [
      '/api/stats/overview',
      '/api/stats/period/week',
      '/api/analytics/revenue',
      '/api/dashboard/stats',
    ]) {
      expectError(await t.http().get(path).set(withKey), 403);
    }
    // A viewer reads analytics.
    const viewer = await addMember(t, owner, 'viewer');
    expect((await get('/api/stats/overview', range, viewer)).body.leads.new.current).toBe(5);
  });

  it('GET /stats/export/:view: the same figures as CSV, text cells formula-escaped', async () => {
    const res = await get('/api/stats/export/overview', range).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="overview-2026-11-01-2026-11-07.csv"');
    const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('field,current,previous,change,changePercent,note');
    expect(lines).toContain('leads.new,5,2,3,150,');
    expect(lines).toContain('leads.conversionRate,0.2,0.5,-0.3,-60,');
    expect(lines).toContain('revenue,2700,1500,1200,80,');
    const campaigns = await get('/api/stats/export/campaigns', { ...range, campaignId: seeded.campaigns.summer });
    expect(campaigns.text).toContain(`campaigns[${seeded.campaigns.summer}].revenue,5000`);
    expect(campaigns.text).not.toContain('Spring');

    const other = await signUp(t);
    await t
      .http()
      .post('/api/leads')
      .set(other.auth)
      .send({ name: 'x', source: '=HYPERLINK("http://x.invalid")' })
      .expect(201);
    const today = { startDate: '2026-12-01', endDate: new Date().toISOString().slice(0, 10) };
    const escaped = await get('/api/stats/export/leads', today, other);
    expect(escaped.text).toContain(
      `"bySource[=HYPERLINK(""http://x.invalid"")].key","'=HYPERLINK(""http://x.invalid"")"`,
    );
    expectError(await get('/api/stats/export/secrets', range), 400);
  });

  it('an empty workspace answers zeros and nulls', async () => {
    const empty = await signUp(t);
    const overview = await get('/api/stats/overview', range, empty);
    expect(overview.status).toBe(200);
    expect(overview.body.leads).toEqual({ total: 0, new: m(0, 0), converted: m(0, 0), conversionRate: m(null, null) });
    expect(overview.body.revenue).toEqual(m(0, 0));
    for (const path of ['leads', 'campaigns', 'niches', 'conversion', 'period/year']) {
      expect((await get(`/api/stats/${path}`, path.startsWith('period') ? {} : range, empty)).status).toBe(200);
    }
    const conversion = await get('/api/stats/conversion', range, empty);
    expect(conversion.body.leadFunnel[1]).toEqual({
      stage: 'contacted',
      count: 0,
      rateFromPrevious: null,
      rateFromStart: null,
    });
    expect((await get('/api/stats/niches', range, empty)).body.niches).toEqual([]);
  });
});
