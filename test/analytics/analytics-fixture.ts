import type { TestApp, TestUser } from '../helpers/test-app';

/**
 * One workspace's data, seeded through the API; only the timestamps the services stamp "now" are then moved
 * into November 2026 with SQL (as seed:demo does). Workspace time zone Europe/Paris, currency EUR.
 *
 * Leads (Paris days): L1 web/new/Alpha Nov 1 · L2 web/contacted/Alpha Nov 3 · L3 ads/qualified/Beta Nov 5 ·
 * L4 ads/converted/Beta Nov 7 (22:30 UTC) · L5 web/converted Nov 8 (23:30 UTC on Nov 7) · L6 web/lost/Alpha
 * Nov 1 (23:30 UTC on Oct 31) · L7 ads/converted/Alpha Oct 28 · L8 web/new Oct 26 · L9 deleted (Nov 2).
 */
export interface Seeded {
  niches: { alpha: string; beta: string };
  leads: Record<'L1' | 'L2' | 'L3' | 'L4' | 'L5' | 'L6' | 'L7' | 'L8', string>;
  campaigns: { spring: string; summer: string };
}

async function ok<T = any>(res: Promise<{ status: number; body: any }>, status = 201): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as T;
}

export async function seedWorkspace(t: TestApp, owner: TestUser): Promise<Seeded> {
  const http = () => t.http();
  await ok(
    http()
      .put('/api/settings/general')
      .set(owner.auth)
      .send({ timezone: 'Europe/Paris', currency: 'EUR', defaultLanguage: 'fr' }),
    200,
  );
  const alpha = (await ok(http().post('/api/niches').set(owner.auth).send({ name: 'Alpha' }))).id as string;
  const beta = (await ok(http().post('/api/niches').set(owner.auth).send({ name: 'Beta' }))).id as string;

  const leadSpecs = {
    L1: { source: 'web', status: 'new', nicheId: alpha, at: '2026-11-01T10:00:00Z' },
    L2: { source: 'web', status: 'contacted', nicheId: alpha, at: '2026-11-03T12:00:00Z' },
    L3: { source: 'ads', status: 'qualified', nicheId: beta, at: '2026-11-05T08:00:00Z' },
    L4: { source: 'ads', status: 'converted', nicheId: beta, at: '2026-11-07T22:30:00Z' },
    L5: { source: 'web', status: 'converted', nicheId: null, at: '2026-11-07T23:30:00Z' },
    L6: { source: 'web', status: 'lost', nicheId: alpha, at: '2026-10-31T23:30:00Z' },
    L7: { source: 'ads', status: 'converted', nicheId: alpha, at: '2026-10-28T10:00:00Z' },
    L8: { source: 'web', status: 'new', nicheId: null, at: '2026-10-26T10:00:00Z' },
    L9: { source: 'web', status: 'new', nicheId: alpha, at: '2026-11-02T10:00:00Z' },
  };
  const leads: Record<string, string> = {};
  for (const [name, spec] of Object.entries(leadSpecs)) {
    const body = { name, source: spec.source, status: spec.status, ...(spec.nicheId ? { nicheId: spec.nicheId } : {}) };
    leads[name] = (await ok(http().post('/api/leads').set(owner.auth).send(body))).id;
  }

  const spring = (await ok(http().post('/api/campaigns').set(owner.auth).send({ name: 'Spring', type: 'email' }))).id;
  const summer = (
    await ok(
      http()
        .post('/api/campaigns')
        .set(owner.auth)
        .send({ name: 'Summer', type: 'social', currency: 'EUR', targetNicheIds: [beta] }),
    )
  ).id;
  await ok(http().put(`/api/campaigns/${spring}/status`).set(owner.auth).send({ status: 'active' }), 200);
  const enroll = (campaign: string, leadIds: string[]) =>
    ok(http().post(`/api/campaigns/${campaign}/leads`).set(owner.auth).send({ leadIds }), 200);
  await enroll(spring, [leads.L1, leads.L2, leads.L3]);
  await enroll(summer, [leads.L4, leads.L7]);
  const stage = (campaign: string, lead: string, body: Record<string, unknown>) =>
    ok(http().put(`/api/campaigns/${campaign}/leads/${lead}`).set(owner.auth).send(body), 200);
  await stage(spring, leads.L2, { stage: 'contacted' });
  await stage(spring, leads.L3, { stage: 'replied' });
  await stage(summer, leads.L4, { stage: 'converted', revenue: 5000 });
  await stage(summer, leads.L7, { stage: 'converted', revenue: 3000 });
  await ok(http().delete(`/api/leads/${leads.L9}`).set(owner.auth), 204);

  // Subscribers and earnings (earnings take their occurredAt through the API).
  const subscriber = async (platform: string, handle: string, currency: string) =>
    (await ok(http().post('/api/onlyfans/subscribers').set(owner.auth).send({ platform, handle, currency }))).data
      .id as string;
  const s1 = await subscriber('onlyfans', 'fan-one', 'EUR');
  const s2 = await subscriber('patreon', 'fan-two', 'EUR');
  const s3 = await subscriber('fansly', 'fan-three', 'USD');
  const earning = (subscriberId: string, type: string, amount: number, occurredAt: string) =>
    ok(http().post('/api/onlyfans/earnings').set(owner.auth).send({ subscriberId, type, amount, occurredAt }));
  await earning(s1, 'subscription', 1000, '2026-11-02T10:00:00.000Z');
  await earning(s1, 'tip', 500, '2026-11-07T23:30:00.000Z'); // Nov 8 in Paris: outside
  await earning(s2, 'subscription', 2000, '2026-10-31T23:30:00.000Z'); // Nov 1 in Paris: inside
  await earning(s1, 'refund', -300, '2026-11-04T10:00:00.000Z');
  await earning(s2, 'subscription', 1500, '2026-10-27T10:00:00.000Z'); // previous period
  await earning(s3, 'subscription', 700, '2026-11-03T10:00:00.000Z'); // USD: apart

  // Move what the services stamped "now" into the past.
  for (const [name, spec] of Object.entries(leadSpecs)) {
    await t.db.query('UPDATE leads SET created_at = $2 WHERE id = $1', [leads[name], spec.at]);
    await t.db.query('UPDATE lead_events SET created_at = $2 WHERE lead_id = $1', [leads[name], spec.at]);
  }
  const enrolled = (campaign: string, lead: string, at: string) =>
    t.db.query('UPDATE campaign_leads SET enrolled_at = $3 WHERE campaign_id = $1 AND lead_id = $2', [
      campaign,
      lead,
      at,
    ]);
  for (const lead of [leads.L1, leads.L2, leads.L3]) await enrolled(spring, lead, '2026-11-02T10:00:00Z');
  await enrolled(summer, leads.L4, '2026-11-06T10:00:00Z');
  await enrolled(summer, leads.L7, '2026-10-29T10:00:00Z');
  const since = (id: string, at: string) =>
    t.db.query('UPDATE subscribers SET subscribed_since = $2 WHERE id = $1', [id, at]);
  await since(s1, '2026-11-02T10:00:00Z');
  await since(s2, '2026-10-31T23:30:00Z');
  await since(s3, '2026-10-26T10:00:00Z');

  // The moves above bypassed the API, as a correction from outside would: rebuild the rollups from the raw data.
  await ok(http().post('/api/analytics/rollups/rebuild').set(owner.auth), 200);

  return {
    niches: { alpha, beta },
    leads: leads as Seeded['leads'],
    campaigns: { spring, summer },
  };
}
