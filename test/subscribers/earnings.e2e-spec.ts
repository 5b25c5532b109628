import { randomUUID } from 'node:crypto';
import { addMember, createTestApp, expectError, randomIp, signUp, TestApp, TestUser } from '../helpers/test-app';

const base = '/api/onlyfans/earnings';
const zero = { amount: 0, count: 0 };

describe('earnings (/api/onlyfans/earnings)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const createSubscriber = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post('/api/onlyfans/subscribers').set(owner.auth).send(body);
    expect(res.status).toBe(201);
    return res.body.data as { id: string; currency: string };
  };
  const record = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await t.http().post(base).set(owner.auth).send(body);
    if (res.status !== 201) throw new Error(`record failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as { id: string; amount: number; currency: string };
  };
  const subscriber = async (owner: TestUser, id: string) =>
    (await t.http().get(`/api/onlyfans/subscribers/${id}`).set(owner.auth)).body.data as {
      lifetimeSpend: number;
      renewals: number;
    };

  describe('POST', () => {
    it('records an event in the envelope and updates the subscriber’s lifetime spend and renewals', async () => {
      const owner = await signUp(t);
      const s = await createSubscriber(owner, { platform: 'onlyfans', handle: 'payer', currency: 'EUR' });
      const res = await t.http().post(base).set(owner.auth).send({
        subscriberId: s.id,
        type: 'subscription',
        amount: 999,
        occurredAt: '2026-11-01T10:00:00.000Z',
        description: ' November ',
        externalId: 'of-1',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        success: true,
        data: {
          id: expect.any(String),
          subscriberId: s.id,
          type: 'subscription',
          amount: 999,
          currency: 'EUR',
          occurredAt: '2026-11-01T10:00:00.000Z',
          description: 'November',
          externalId: 'of-1',
          createdAt: expect.any(String),
        },
      });
      expect(await subscriber(owner, s.id)).toMatchObject({ lifetimeSpend: 999, renewals: 1 });
      await record(owner, { subscriberId: s.id, type: 'tip', amount: 500, currency: 'eur' });
      await record(owner, { subscriberId: s.id, type: 'subscription', amount: 999 });
      await record(owner, { subscriberId: s.id, type: 'refund', amount: -500 });
      expect(await subscriber(owner, s.id)).toMatchObject({ lifetimeSpend: 999 + 500 + 999 - 500, renewals: 2 });
      // The spend always equals the ledger's sum for the subscriber.
      const [row] = await t.db.query('SELECT sum(amount)::int AS sum FROM earnings WHERE subscriber_id = $1', [s.id]);
      expect(row.sum).toBe(1998);
    });

    it('adds up concurrent events for one subscriber without losing any', async () => {
      const owner = await signUp(t);
      const s = await createSubscriber(owner, { platform: 'onlyfans', handle: 'busy' });
      await Promise.all(
        Array.from({ length: 8 }, () => record(owner, { subscriberId: s.id, type: 'subscription', amount: 100 })),
      );
      expect(await subscriber(owner, s.id)).toMatchObject({ lifetimeSpend: 800, renewals: 8 });
    });

    it('is idempotent on externalId: same figures → 200 with the existing entry, other figures → 409', async () => {
      const owner = await signUp(t);
      const s = await createSubscriber(owner, { platform: 'onlyfans', handle: 'imp' });
      const body = { subscriberId: s.id, type: 'tip', amount: 700, externalId: 'row-42' };
      const first = await record(owner, body);
      const replay = await t.http().post(base).set(owner.auth).send(body);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ success: true, data: first });
      expect(await subscriber(owner, s.id)).toMatchObject({ lifetimeSpend: 700 });
      expectError(
        await t
          .http()
          .post(base)
          .set(owner.auth)
          .send({ ...body, amount: 701 }),
        409,
        'EARNING_EXTERNAL_ID_TAKEN',
      );
      expect(await subscriber(owner, s.id)).toMatchObject({ lifetimeSpend: 700 });
      // externalIds are per workspace.
      await record(await signUp(t), { type: 'tip', amount: 700, currency: 'USD', externalId: 'row-42' });
    });

    it('answers 400 for a negative or zero amount, a positive refund, a bad currency or mismatch, a missing currency', async () => {
      const owner = await signUp(t);
      const s = await createSubscriber(owner, { platform: 'onlyfans', handle: 'bad', currency: 'USD' });
      expectError(
        await t.http().post(base).set(owner.auth).send({ subscriberId: s.id, type: 'tip', amount: -5 }),
        400,
        'INVALID_AMOUNT',
      );
      expectError(
        await t.http().post(base).set(owner.auth).send({ subscriberId: s.id, type: 'tip', amount: 0 }),
        400,
        'INVALID_AMOUNT',
      );
      expectError(
        await t.http().post(base).set(owner.auth).send({ subscriberId: s.id, type: 'refund', amount: 5 }),
        400,
        'INVALID_AMOUNT',
      );
      const invalid = await t.http().post(base).set(owner.auth).send({
        type: 'bonus',
        amount: 1.5,
        currency: 'XYZ',
        occurredAt: 'now',
        subscriberId: 'x',
        externalId: '',
      });
      expectError(invalid, 400, 'VALIDATION_FAILED');
      expect(new Set(invalid.body.details.map((d: { field: string }) => d.field))).toEqual(
        new Set(['type', 'amount', 'currency', 'occurredAt', 'subscriberId', 'externalId']),
      );
      expectError(
        await t.http().post(base).set(owner.auth).send({ subscriberId: s.id, type: 'tip', amount: 5, currency: 'EUR' }),
        400,
        'CURRENCY_MISMATCH',
      );
      expectError(await t.http().post(base).set(owner.auth).send({ type: 'tip', amount: 5 }), 400, 'CURRENCY_REQUIRED');
      const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
      expectError(
        await t.http().post(base).set(owner.auth).send({ type: 'tip', amount: 5, currency: 'USD', occurredAt: future }),
        400,
        'OCCURRED_IN_FUTURE',
      );
      expect(await subscriber(owner, s.id)).toMatchObject({ lifetimeSpend: 0, renewals: 0 });
    });

    it('answers 404 for another workspace’s subscriber, 403 for a viewer, 401 without a token', async () => {
      const owner = await signUp(t);
      const stranger = await signUp(t);
      const theirs = await createSubscriber(stranger, { platform: 'onlyfans', handle: 'theirs' });
      expectError(
        await t.http().post(base).set(owner.auth).send({ subscriberId: theirs.id, type: 'tip', amount: 5 }),
        404,
        'SUBSCRIBER_NOT_FOUND',
      );
      expect(await subscriber(stranger, theirs.id)).toMatchObject({ lifetimeSpend: 0 });
      const viewer = await addMember(t, owner, 'viewer');
      const body = { type: 'tip', amount: 5, currency: 'USD' };
      expectError(await t.http().post(base).set(viewer.auth).send(body), 403);
      expectError(await t.http().post(base).set('X-Forwarded-For', randomIp()).send(body), 401);
    });
  });

  describe('GET (report)', () => {
    let owner: TestUser;
    let fan: { id: string };
    const range = { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' };

    beforeAll(async () => {
      owner = await signUp(t);
      fan = await createSubscriber(owner, { platform: 'onlyfans', handle: 'fan', currency: 'USD' });
      const usd = [
        { type: 'subscription', amount: 1000, occurredAt: '2026-10-01T00:00:00.000Z', subscriberId: fan.id },
        { type: 'tip', amount: 250, occurredAt: '2026-10-01T23:59:59.000Z', subscriberId: fan.id },
        { type: 'tip', amount: 750, occurredAt: '2026-10-06T12:00:00.000Z' },
        { type: 'pay_per_view', amount: 1200, occurredAt: '2026-10-13T08:00:00.000Z' },
        { type: 'message', amount: 300, occurredAt: '2026-10-31T23:59:59.999Z', subscriberId: fan.id },
        { type: 'refund', amount: -250, occurredAt: '2026-10-14T00:00:00.000Z', subscriberId: fan.id },
        // Outside the range: the first instant of `to` and the last before `from`.
        { type: 'tip', amount: 9999, occurredAt: '2026-11-01T00:00:00.000Z' },
        { type: 'tip', amount: 9999, occurredAt: '2026-09-30T23:59:59.999Z' },
      ];
      for (const e of usd) await record(owner, { currency: 'USD', ...e });
      await record(owner, { type: 'tip', amount: 4242, currency: 'EUR', occurredAt: '2026-10-02T00:00:00.000Z' });
      // Another workspace's money never counts.
      await record(await signUp(t), {
        type: 'tip',
        amount: 1,
        currency: 'USD',
        occurredAt: '2026-10-02T00:00:00.000Z',
      });
    });

    it('totals by type and by month in SQL, per currency, with entries newest first', async () => {
      const res = await t
        .http()
        .get(base)
        .set(owner.auth)
        .query({ ...range, period: 'month' });
      expect(res.status).toBe(200);
      expect(res.body.success).toBe(true);
      expect(res.body.metadata).toEqual({
        page: 1,
        pageSize: 20,
        total: 6,
        totalPages: 1,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
      const { data } = res.body;
      expect(data.currency).toBe('USD');
      expect(data.currencies).toEqual(['EUR', 'USD']);
      expect(data.from).toBe(range.from);
      expect(data.to).toBe(range.to);
      expect(data.period).toBe('month');
      expect(data.totals).toEqual({
        gross: 1000 + 250 + 750 + 1200 + 300,
        refunds: -250,
        net: 3250,
        count: 6,
        byType: {
          subscription: { amount: 1000, count: 1 },
          tip: { amount: 1000, count: 2 },
          message: { amount: 300, count: 1 },
          pay_per_view: { amount: 1200, count: 1 },
          other: zero,
          refund: { amount: -250, count: 1 },
        },
        byPeriod: [{ period: '2026-10-01', amount: 3250, count: 6 }],
      });
      expect(data.entries.map((e: { amount: number }) => e.amount)).toEqual([300, -250, 1200, 750, 250, 1000]);
      expect(data.entries.every((e: { currency: string }) => e.currency === 'USD')).toBe(true);
    });

    it('buckets by day and by ISO week (UTC), listing empty buckets at 0', async () => {
      const days = await t
        .http()
        .get(base)
        .set(owner.auth)
        .query({ ...range, period: 'day' });
      const byDay = days.body.data.totals.byPeriod as { period: string; amount: number; count: number }[];
      expect(byDay).toHaveLength(31);
      expect(byDay[0]).toEqual({ period: '2026-10-01', amount: 1250, count: 2 });
      expect(byDay[1]).toEqual({ period: '2026-10-02', amount: 0, count: 0 });
      expect(byDay.find((p) => p.period === '2026-10-14')).toEqual({ period: '2026-10-14', amount: -250, count: 1 });
      expect(byDay[30]).toEqual({ period: '2026-10-31', amount: 300, count: 1 });
      expect(byDay.reduce((sum, p) => sum + p.amount, 0)).toBe(3250);

      const weeks = await t
        .http()
        .get(base)
        .set(owner.auth)
        .query({ ...range, period: 'week' });
      // 2026-10-01 is a Thursday: its week starts on Monday 2026-09-28.
      expect(weeks.body.data.totals.byPeriod).toEqual([
        { period: '2026-09-28', amount: 1250, count: 2 },
        { period: '2026-10-05', amount: 750, count: 1 },
        { period: '2026-10-12', amount: 950, count: 2 },
        { period: '2026-10-19', amount: 0, count: 0 },
        { period: '2026-10-26', amount: 300, count: 1 },
      ]);
    });

    it('reports one currency at a time, one subscriber, and pages the entries', async () => {
      const eur = await t
        .http()
        .get(base)
        .set(owner.auth)
        .query({ ...range, currency: 'eur', period: 'month' });
      expect(eur.body.data.currency).toBe('EUR');
      expect(eur.body.data.totals).toMatchObject({ gross: 4242, net: 4242, count: 1 });
      expect(eur.body.data.totals.byPeriod).toEqual([{ period: '2026-10-01', amount: 4242, count: 1 }]);
      const gbp = await t
        .http()
        .get(base)
        .set(owner.auth)
        .query({ ...range, currency: 'GBP', period: 'month' });
      expect(gbp.body.data).toMatchObject({ currency: 'GBP', entries: [], currencies: ['EUR', 'USD'] });
      expect(gbp.body.data.totals).toMatchObject({ gross: 0, net: 0, count: 0 });

      const mine = await t
        .http()
        .get(base)
        .set(owner.auth)
        .query({ ...range, subscriberId: fan.id, period: 'month' });
      expect(mine.body.data.totals).toMatchObject({ gross: 1550, refunds: -250, net: 1300, count: 4 });

      const page = await t
        .http()
        .get(base)
        .set(owner.auth)
        .query({ ...range, pageSize: 4, page: 2 });
      expect(page.body.metadata).toEqual({
        page: 2,
        pageSize: 4,
        total: 6,
        totalPages: 2,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: expect.any(String),
      });
      expect(page.body.data.entries.map((e: { amount: number }) => e.amount)).toEqual([250, 1000]);
      // Totals cover the whole range, not the page.
      expect(page.body.data.totals.net).toBe(3250);
    });

    it('defaults to the last 30 days by day', async () => {
      const fresh = await signUp(t);
      await record(fresh, { type: 'tip', amount: 100, currency: 'JPY' });
      await record(fresh, {
        type: 'tip',
        amount: 100,
        currency: 'JPY',
        occurredAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      });
      const res = await t.http().get(base).set(fresh.auth);
      expect(res.status).toBe(200);
      const { data } = res.body;
      expect(data.period).toBe('day');
      expect(new Date(data.to).getTime() - new Date(data.from).getTime()).toBe(30 * 86_400_000);
      expect(data.currency).toBe('JPY');
      expect(data.totals.net).toBe(100);
      expect(data.totals.byPeriod.length).toBeGreaterThanOrEqual(30);
      const empty = await t
        .http()
        .get(base)
        .set((await signUp(t)).auth);
      expect(empty.body.data).toMatchObject({ currency: null, currencies: [], entries: [] });
      expect(empty.body.data.totals).toMatchObject({ gross: 0, count: 0 });
      expect(empty.body.metadata).toEqual({
        page: 1,
        pageSize: 20,
        total: 0,
        totalPages: 0,
        totalIsEstimate: false,
        nextCursor: null,
        prevCursor: null,
      });
    });

    it('answers 400 for bad input, 404 for a foreign subscriber, 401 without a token; a viewer reads', async () => {
      for (const query of [
        { pageSize: 101 },
        { pageSize: -1 },
        { currency: 'XYZ' },
        { currency: 'dollars' },
        { period: 'year' },
        { from: 'last week' },
        { subscriberId: 'x' },
      ]) {
        expectError(await t.http().get(base).set(owner.auth).query(query), 400, 'VALIDATION_FAILED');
      }
      expectError(
        await t.http().get(base).set(owner.auth).query({ from: range.to, to: range.from }),
        400,
        'INVALID_RANGE',
      );
      expectError(
        await t.http().get(base).set(owner.auth).query({ from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
        400,
        'RANGE_TOO_LARGE',
      );
      const stranger = await signUp(t);
      const theirs = await createSubscriber(stranger, { platform: 'onlyfans', handle: 'theirs' });
      expectError(
        await t.http().get(base).set(owner.auth).query({ subscriberId: theirs.id }),
        404,
        'SUBSCRIBER_NOT_FOUND',
      );
      expectError(await t.http().get(base).set(owner.auth).query({ subscriberId: randomUUID() }), 404);
      expectError(await t.http().get(base).set('X-Forwarded-For', randomIp()), 401);
      const viewer = await addMember(t, owner, 'viewer');
      const res = await t
        .http()
        .get(base)
        .set(viewer.auth)
        .query({ ...range, period: 'month' });
      expect(res.status).toBe(200);
      expect(res.body.data.totals.net).toBe(3250);
    });
  });
});
