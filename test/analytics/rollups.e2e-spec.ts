import { AnalyticsClock, RollupService } from '@crescendo/analytics';
import { WorkspaceChanges } from '@crescendo/platform';
import { Prng } from '../../libs/demo/src/prng';
import { createTestApp, expectError, signUp, TestApp, TestUser } from '../helpers/test-app';

/** "Today" for analytics: 20 November 2026 in Paris, so the rollup holds November 1–19. */
const clock = { now: () => new Date('2026-11-20T12:00:00Z') };
const statuses = ['new', 'contacted', 'qualified', 'converted', 'lost'];
const sources = ['web', 'ads', 'referral', null];

interface ModelLead {
  id: string;
  at: string;
  status: string;
  source: string | null;
  nicheId: string | null;
  deleted: boolean;
}

/** A UTC instant in November 2026, and its day in Paris (UTC+1 in November), computed apart from the code. */
function instant(rng: Prng): { at: string; parisDay: string } {
  const day = rng.int(1, 24);
  const hour = rng.pick([0, 9, 15, 22, 23]);
  const at = new Date(Date.UTC(2026, 10, day, hour, 30));
  const paris = new Date(at.getTime() + 3_600_000);
  return { at: at.toISOString(), parisDay: paris.toISOString().slice(0, 10) };
}

describe('lead rollups: incremental runs agree with a rebuild; stats read them', () => {
  let t: TestApp;
  let owner: TestUser;
  let rollup: RollupService;
  beforeAll(async () => {
    t = await createTestApp([{ provide: AnalyticsClock, useValue: clock }]);
    rollup = t.app.get(RollupService);
    owner = await signUp(t);
    await t.http().put('/api/settings/general').set(owner.auth).send({ timezone: 'Europe/Paris' }).expect(200);
  });
  afterAll(() => t.close());

  type Row = { day: string; status: string; source: string; nicheId: string; count: number };
  const byKey = (rows: Row[]) =>
    rows.sort((a, b) =>
      [a.day, a.status, a.source, a.nicheId].join('|') < [b.day, b.status, b.source, b.nicheId].join('|') ? -1 : 1,
    );
  const rows = async () =>
    byKey(
      (await t.db.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, status, source, niche_id AS "nicheId", count
           FROM analytics_lead_days WHERE workspace_id = $1`,
        [owner.workspaceId],
      )) as Row[],
    );

  /** The rollup rows the model says should exist for days up to the 19th. */
  const expected = (model: ModelLead[], days: Map<string, string>) => {
    const counts = new Map<string, number>();
    for (const lead of model) {
      const day = days.get(lead.id)!;
      if (lead.deleted || day > '2026-11-19') continue;
      const key = JSON.stringify([day, lead.status, lead.source ?? '', lead.nicheId ?? '']);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return byKey(
      [...counts].map(([key, count]) => {
        const [day, status, source, nicheId] = JSON.parse(key) as string[];
        return { day, status, source, nicheId, count };
      }),
    );
  };

  it('after a random sequence of changes, the incremental rollup equals the rebuilt one and the model', async () => {
    const rng = new Prng(20261120);
    const niches: (string | null)[] = [null];
    for (const name of ['N1', 'N2', 'N3']) {
      niches.push((await t.http().post('/api/niches').set(owner.auth).send({ name }).expect(201)).body.id);
    }
    const model: ModelLead[] = [];
    const days = new Map<string, string>();
    const createLead = async () => {
      const lead = { status: rng.pick(statuses), source: rng.pick(sources), nicheId: rng.pick(niches) };
      const res = await t
        .http()
        .post('/api/leads')
        .set(owner.auth)
        .send({ name: `L${model.length}`, status: lead.status, source: lead.source, nicheId: lead.nicheId })
        .expect(201);
      const { at, parisDay } = instant(rng);
      // History: the lead was created on a past day (a change made outside the API, as an import of old data).
      await t.db.query('UPDATE leads SET created_at = $2 WHERE id = $1', [res.body.id, at]);
      model.push({ id: res.body.id, at, ...lead, deleted: false });
      days.set(res.body.id, parisDay);
    };
    for (let i = 0; i < 30; i++) await createLead();
    await t.http().post('/api/analytics/rollups/rebuild').set(owner.auth).expect(200);
    expect(await rows()).toEqual(expected(model, days));

    for (let step = 0; step < 40; step++) {
      const lead = rng.pick(model);
      const op = rng.pick(['status', 'source', 'niche', 'delete', 'restore', 'create', 'refresh'] as const);
      if (op === 'create') await createLead();
      else if (op === 'refresh') await rollup.refresh(owner.workspaceId, { upTo: new Date() });
      else if (op === 'delete' && !lead.deleted) {
        await t.http().delete(`/api/leads/${lead.id}`).set(owner.auth).expect(204);
        lead.deleted = true;
      } else if (op === 'restore' && lead.deleted) {
        await t.http().post(`/api/leads/${lead.id}/restore`).set(owner.auth).expect(200);
        lead.deleted = false;
      } else if (!lead.deleted && (op === 'status' || op === 'source' || op === 'niche')) {
        const change =
          op === 'status'
            ? { status: rng.pick(statuses) }
            : op === 'source'
              ? { source: rng.pick(sources) }
              : { nicheId: rng.pick(niches) };
        await t.http().put(`/api/leads/${lead.id}`).set(owner.auth).send(change).expect(200);
        Object.assign(lead, change);
      }
    }
    await rollup.refresh(owner.workspaceId, { upTo: new Date() });
    const incremental = await rows();
    expect(incremental).toEqual(expected(model, days));
    await rollup.refresh(owner.workspaceId, { rebuild: true, upTo: new Date() });
    expect(await rows()).toEqual(incremental);
  });

  // Held figures are reused until a refresh bumps the rollup's version; a row planted by hand bumps it as a refresh would.
  const newRollupVersion = () =>
    written('UPDATE analytics_rollup_state SET updated_at = clock_timestamp() WHERE workspace_id = $1', [
      owner.workspaceId,
    ]);
  /** A change written beside the API, then heard by it (its notification) before the next read. */
  const written = async (sql: string, params: unknown[]) => {
    await t.db.query(sql, params);
    await t.app.get(WorkspaceChanges).settled();
  };

  it('the stats read closed days from the rollup and today live', async () => {
    const range = { startDate: '2026-11-01', endDate: '2026-11-20' };
    const before = await t.http().get('/api/stats/leads').query(range).set(owner.auth).expect(200);
    const today = before.body.byDay.find((d: { date: string }) => d.date === '2026-11-20').count;
    // A rollup row no lead backs shows in the figures (so they come from the rollup) until the next rebuild.
    await t.db.query(
      `INSERT INTO analytics_lead_days (workspace_id, day, status, source, niche_id, count)
       VALUES ($1, '2026-11-02', 'lost', 'planted', '', 7)`,
      [owner.workspaceId],
    );
    await newRollupVersion();
    const planted = await t.http().get('/api/stats/leads').query(range).set(owner.auth).expect(200);
    expect(planted.body.total.current).toBe(before.body.total.current + 7);
    expect(planted.body.bySource).toContainEqual({ key: 'planted', label: null, current: 7, previous: 0 });
    // Today is live: a lead created now on the 20th counts at once.
    const lead = await t.http().post('/api/leads').set(owner.auth).send({ name: 'today' }).expect(201);
    await written('UPDATE leads SET created_at = $2 WHERE id = $1', [lead.body.id, '2026-11-20T10:00:00Z']);
    const live = await t.http().get('/api/stats/leads').query(range).set(owner.auth).expect(200);
    expect(live.body.byDay.find((d: { date: string }) => d.date === '2026-11-20').count).toBe(today + 1);
    // Asked again with nothing changed (the answer kept and its statement replayed), then after another lead of
    // today: the kept answer is not served once today's figures differ.
    expect((await t.http().get('/api/stats/leads').query(range).set(owner.auth).expect(200)).body).toEqual(live.body);
    const other = await t.http().post('/api/leads').set(owner.auth).send({ name: 'today too' }).expect(201);
    await written('UPDATE leads SET created_at = $2 WHERE id = $1', [other.body.id, '2026-11-20T11:00:00Z']);
    const again = await t.http().get('/api/stats/leads').query(range).set(owner.auth).expect(200);
    expect(again.body.byDay.find((d: { date: string }) => d.date === '2026-11-20').count).toBe(today + 2);

    await t.http().post('/api/analytics/rollups/rebuild').set(owner.auth).expect(200);
    const rebuilt = await t.http().get('/api/stats/leads').query(range).set(owner.auth).expect(200);
    expect(rebuilt.body.total.current).toBe(before.body.total.current + 2);
    expect(rebuilt.body.bySource.map((r: { key: string }) => r.key)).not.toContain('planted');
  });

  it('a period of whole months reads the monthly rollup, with the same figures as the days', async () => {
    await t.http().post('/api/analytics/rollups/rebuild').set(owner.auth).expect(200);
    // Leads were created from 1 to 24 November (Paris): October is a whole held month, and empty.
    const leads = async (startDate: string, endDate: string) =>
      (await t.http().get('/api/stats/leads').query({ startDate, endDate }).set(owner.auth).expect(200)).body;
    const before = await leads('2026-10-01', '2026-10-31');
    const [{ n }] = (await t.db.query(
      `SELECT count(*)::int AS n FROM analytics_lead_days WHERE workspace_id = $1 AND day BETWEEN '2026-10-01' AND '2026-10-31'`,
      [owner.workspaceId],
    )) as { n: number }[];
    expect(n).toBe(0);
    expect(before.total.current).toBe(0);
    // A monthly row no day backs shows for the whole month, not for part of it: the month is read from its twin.
    await t.db.query(
      `INSERT INTO analytics_lead_months (workspace_id, day, status, source, niche_id, count)
       VALUES ($1, '2026-10-01', 'new', 'month-only', '', 4)`,
      [owner.workspaceId],
    );
    await newRollupVersion();
    expect((await leads('2026-10-01', '2026-10-31')).total.current).toBe(4);
    expect((await leads('2026-09-15', '2026-11-10')).bySource).toContainEqual({
      key: 'month-only',
      label: null,
      current: 4,
      previous: 0,
    });
    expect((await leads('2026-10-02', '2026-10-31')).total.current).toBe(0);
    // November 1–19 held, whole or not: the same counts from the days as from (November's) month when rebuilt.
    await t.http().post('/api/analytics/rollups/rebuild').set(owner.auth).expect(200);
    const [{ days }] = (await t.db.query(
      `SELECT coalesce(sum(count), 0)::int AS days FROM analytics_lead_days WHERE workspace_id = $1 AND day >= '2026-11-01'`,
      [owner.workspaceId],
    )) as { days: number }[];
    const [{ months }] = (await t.db.query(
      `SELECT coalesce(sum(count), 0)::int AS months FROM analytics_lead_months WHERE workspace_id = $1 AND day = '2026-11-01'`,
      [owner.workspaceId],
    )) as { months: number }[];
    expect(months).toBe(days);
    expect(days).toBeGreaterThan(0);
  });

  it('a new time zone is used from the next answer on, whatever this process read before', async () => {
    const week = async () =>
      (await t.http().get('/api/stats/overview').query({ period: '7d' }).set(owner.auth).expect(200)).body.period;
    expect(await week()).toMatchObject({ to: '2026-11-20', timeZone: 'Europe/Paris' });
    expect(await week()).toMatchObject({ to: '2026-11-20', timeZone: 'Europe/Paris' });
    // 12:00 UTC on the 20th is 02:00 on the 21st at UTC+14.
    await t.http().put('/api/settings/general').set(owner.auth).send({ timezone: 'Pacific/Kiritimati' }).expect(200);
    expect(await week()).toMatchObject({ from: '2026-11-15', to: '2026-11-21', timeZone: 'Pacific/Kiritimati' });
    await t.http().put('/api/settings/general').set(owner.auth).send({ timezone: 'Europe/Paris' }).expect(200);
    expect(await week()).toMatchObject({ to: '2026-11-20', timeZone: 'Europe/Paris' });
  });

  it('rebuilding needs settings:write', async () => {
    const res = await t
      .http()
      .post('/api/security/api-keys')
      .set(owner.auth)
      .send({ name: 'analytics', scopes: ['analytics:read'] })
      .expect(201);
    expectError(await t.http().post('/api/analytics/rollups/rebuild').set({ 'X-API-Key': res.body.key }), 403);
  });
});
