import fc from 'fast-check';
import { AnalyticsClock, RollupService } from '@crescendo/analytics';
import { createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';

/**
 * Every rollup (leads, lead timeline, earnings, campaign enrollments): after a random sequence of changes made
 * through the API, with incremental runs in between, the rollups equal a rebuild from the raw data.
 *
 * Analytics' "today" is three days ahead of the real clock, so everything written now lies on closed days
 * the rollups hold, and the change stamps (real time) stay what the services write.
 */
const DAY_MS = 86_400_000;
const clock = { now: () => new Date(Date.now() + 3 * DAY_MS) };
const TABLES = ['lead', 'event', 'earning', 'campaign'].flatMap((r) => [
  `analytics_${r}_days`,
  `analytics_${r}_months`,
]);

type Op =
  | { k: 'lead'; daysAgo: number; hour: number; status: string; source: string | null }
  | { k: 'status'; i: number; status: string }
  | { k: 'deleteLead' | 'restoreLead'; i: number }
  | { k: 'campaign' }
  | { k: 'enroll'; c: number; i: number; daysAgo: number }
  | { k: 'stage'; c: number; i: number; stage: string; revenue: number | null }
  | { k: 'unenroll'; c: number; i: number }
  | { k: 'deleteCampaign'; c: number }
  | { k: 'subscriber'; platform: string }
  | { k: 'earning'; s: number; type: string; amount: number; daysAgo: number; hour: number }
  | { k: 'deleteSubscriber'; s: number }
  | { k: 'refresh' };

const idx = fc.nat(50);
const daysAgo = fc.integer({ min: 0, max: 12 });
const hour = fc.constantFrom(0, 4, 11, 19, 23);
/** Creations weigh more, so that changes find something to change. */
const weighted = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const op: fc.Arbitrary<Op> = fc.oneof(
  weighted(
    4,
    fc.record({
      k: fc.constant('lead' as const),
      daysAgo,
      hour,
      status: fc.constantFrom('new', 'contacted', 'converted', 'lost'),
      source: fc.constantFrom('web', 'ads', null),
    }),
  ),
  weighted(
    2,
    fc.record({ k: fc.constant('status' as const), i: idx, status: fc.constantFrom('new', 'qualified', 'converted') }),
  ),
  weighted(2, fc.record({ k: fc.constantFrom('deleteLead' as const, 'restoreLead' as const), i: idx })),
  weighted(2, fc.record({ k: fc.constant('campaign' as const) })),
  weighted(4, fc.record({ k: fc.constant('enroll' as const), c: idx, i: idx, daysAgo })),
  weighted(
    3,
    fc.record({
      k: fc.constant('stage' as const),
      c: idx,
      i: idx,
      stage: fc.constantFrom('contacted', 'replied', 'converted'),
      revenue: fc.option(fc.integer({ min: 1, max: 90_000 })),
    }),
  ),
  weighted(1, fc.record({ k: fc.constant('unenroll' as const), c: idx, i: idx })),
  weighted(1, fc.record({ k: fc.constant('deleteCampaign' as const), c: idx })),
  weighted(
    2,
    fc.record({ k: fc.constant('subscriber' as const), platform: fc.constantFrom('onlyfans', 'patreon', 'fansly') }),
  ),
  weighted(
    4,
    fc.record({
      k: fc.constant('earning' as const),
      s: idx,
      type: fc.constantFrom('subscription', 'tip', 'refund'),
      amount: fc.integer({ min: 1, max: 50_000 }),
      daysAgo,
      hour,
    }),
  ),
  weighted(1, fc.record({ k: fc.constant('deleteSubscriber' as const), s: idx })),
  weighted(2, fc.record({ k: fc.constant('refresh' as const) })),
);

describe('rollups: incremental runs equal a rebuild after any sequence of changes (fast-check)', () => {
  let t: TestApp;
  let rollup: RollupService;
  beforeAll(async () => {
    t = await createTestApp([{ provide: AnalyticsClock, useValue: clock }]);
    rollup = t.app.get(RollupService);
  });
  afterAll(() => t.close());

  const snapshot = async (workspaceId: string) => {
    const out: Record<string, unknown[]> = {};
    for (const table of TABLES) {
      out[table] = (await t.db.query(
        `SELECT * FROM ${table} WHERE workspace_id = $1 ORDER BY ${table.startsWith('analytics_lead_') ? '2, 3, 4, 5' : '2, 3'}${
          table.startsWith('analytics_earning_') ? ', 4, 5' : ''
        }`,
        [workspaceId],
      )) as unknown[];
    }
    return out;
  };

  /** A UTC instant `daysAgo` days before now at `hour` UTC (so, in Asia/Kolkata, sometimes the next local day). */
  const past = (days: number, h: number) => {
    const at = new Date(Date.now() - days * DAY_MS);
    at.setUTCHours(h, 30, 0, 0);
    return at > new Date() ? new Date(at.getTime() - DAY_MS) : at;
  };

  async function apply(owner: TestUser, state: State, o: Op) {
    const http = t.http();
    const pick = <T>(list: T[], i: number) => (list.length ? list[i % list.length] : undefined);
    // Ops that make no sense in the current state (a stage going back, a deleted lead) answer 4xx; never 5xx.
    const check = (res: { status: number; body: any }) => {
      if (res.status >= 500) throw new Error(`${o.k}: ${res.status} ${JSON.stringify(res.body)}`);
      return res;
    };
    switch (o.k) {
      case 'lead': {
        const res = check(
          await http.post('/api/leads').set(owner.auth).send({ name: 'p', status: o.status, source: o.source }),
        );
        // History: the lead was created earlier (its creation entry is stamped now, as an import of old data).
        await t.db.query('UPDATE leads SET created_at = $2 WHERE id = $1', [res.body.id, past(o.daysAgo, o.hour)]);
        state.leads.push(res.body.id);
        return;
      }
      case 'status': {
        const lead = pick(state.leads, o.i);
        if (lead) check(await http.put(`/api/leads/${lead}`).set(owner.auth).send({ status: o.status }));
        return;
      }
      case 'deleteLead':
      case 'restoreLead': {
        const lead = pick(state.leads, o.i);
        if (!lead) return;
        if (o.k === 'deleteLead') check(await http.delete(`/api/leads/${lead}`).set(owner.auth));
        else check(await http.post(`/api/leads/${lead}/restore`).set(owner.auth));
        return;
      }
      case 'campaign': {
        const res = check(
          await http
            .post('/api/campaigns')
            .set(owner.auth)
            .send({ name: `C${state.campaigns.length}-${Math.random()}`, type: 'email' }),
        );
        state.campaigns.push(res.body.id);
        return;
      }
      case 'enroll': {
        const [c, lead] = [pick(state.campaigns, o.c), pick(state.leads, o.i)];
        if (!c || !lead) return;
        const res = check(
          await http
            .post(`/api/campaigns/${c}/leads`)
            .set(owner.auth)
            .send({ leadIds: [lead] }),
        );
        if (res.status === 200) {
          // Enrolled on an earlier day, with the change stamp the API writes.
          await t.db.query(
            `UPDATE campaign_leads SET enrolled_at = $3, updated_at = now() WHERE campaign_id = $1 AND lead_id = $2`,
            [c, lead, past(o.daysAgo, 12)],
          );
        }
        return;
      }
      case 'stage': {
        const [c, lead] = [pick(state.campaigns, o.c), pick(state.leads, o.i)];
        if (!c || !lead) return;
        const body =
          o.revenue !== null && o.stage === 'converted' ? { stage: o.stage, revenue: o.revenue } : { stage: o.stage };
        check(await http.put(`/api/campaigns/${c}/leads/${lead}`).set(owner.auth).send(body));
        return;
      }
      case 'unenroll': {
        const [c, lead] = [pick(state.campaigns, o.c), pick(state.leads, o.i)];
        if (c && lead) check(await http.delete(`/api/campaigns/${c}/leads/${lead}`).set(owner.auth));
        return;
      }
      case 'deleteCampaign': {
        const c = pick(state.campaigns, o.c);
        if (c) check(await http.delete(`/api/campaigns/${c}`).set(owner.auth));
        return;
      }
      case 'subscriber': {
        const res = check(
          await http
            .post('/api/onlyfans/subscribers')
            .set(owner.auth)
            .send({ platform: o.platform, handle: `h${state.subscribers.length}-${Math.random()}`, currency: 'EUR' }),
        );
        state.subscribers.push(res.body.data.id);
        return;
      }
      case 'earning': {
        const s = pick(state.subscribers, o.s);
        if (!s) return;
        const amount = o.type === 'refund' ? -o.amount : o.amount;
        check(
          await http
            .post('/api/onlyfans/earnings')
            .set(owner.auth)
            .send({ subscriberId: s, type: o.type, amount, occurredAt: past(o.daysAgo, o.hour).toISOString() }),
        );
        return;
      }
      case 'deleteSubscriber': {
        const s = pick(state.subscribers, o.s);
        if (s) check(await http.delete(`/api/onlyfans/subscribers/${s}`).set(owner.auth));
        return;
      }
      case 'refresh':
        await rollup.refresh(owner.workspaceId, { upTo: new Date() });
    }
  }

  /** New rows for every rollup, so that a run whose random ops deleted or missed one still compares all of them. */
  async function reachEveryRollup(owner: TestUser, state: State) {
    await apply(owner, state, { k: 'lead', daysAgo: 2, hour: 11, status: 'new', source: 'web' });
    await apply(owner, state, { k: 'campaign' });
    await apply(owner, state, { k: 'enroll', c: state.campaigns.length - 1, i: state.leads.length - 1, daysAgo: 2 });
    await apply(owner, state, { k: 'subscriber', platform: 'onlyfans' });
    const s = state.subscribers.length - 1;
    await apply(owner, state, { k: 'earning', s, type: 'tip', amount: 500, daysAgo: 2, hour: 11 });
  }

  interface State {
    leads: string[];
    campaigns: string[];
    subscribers: string[];
  }

  it('leads, timeline entries, earnings and enrollments', async () => {
    let runs = 0;
    const held: Record<string, number> = Object.fromEntries(TABLES.map((table) => [table, 0]));
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 10, maxLength: 25 }),
        fc.array(op, { minLength: 15, maxLength: 35 }),
        async (before, after) => {
          runs += 1;
          const owner = await signUp(t);
          await t
            .http()
            .put('/api/settings/general')
            .set(owner.auth)
            .send({ timezone: 'Asia/Kolkata', currency: 'EUR' })
            .expect(200);
          const state: State = { leads: [], campaigns: [], subscribers: [] };
          for (const o of before) await apply(owner, state, o);
          await rollup.refresh(owner.workspaceId, { rebuild: true, upTo: new Date() });
          for (const o of after) await apply(owner, state, o);
          await reachEveryRollup(owner, state);
          await rollup.refresh(owner.workspaceId, { upTo: new Date() });
          const incremental = await snapshot(owner.workspaceId);
          await rollup.refresh(owner.workspaceId, { rebuild: true, upTo: new Date() });
          const rebuilt = await snapshot(owner.workspaceId);
          expect(incremental).toEqual(rebuilt);
          for (const table of TABLES) held[table] += rebuilt[table].length;
        },
      ),
      { numRuns: 4, endOnFailure: true },
    );
    expect(runs).toBe(4);
    // The sequences did reach every rollup (else the comparison proved nothing).
    expect(Object.values(held).every((rows) => rows > 0) ? held : null).toEqual(held);
  });
});
