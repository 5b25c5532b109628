import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { AutomationExecutor } from '@crescendo/automation';
import { EventPublisher, QueueRegistry, verifySignature } from '@crescendo/platform';
import { type LeadResponseDto, LeadsEvents } from '@crescendo/leads';
import { InboundSource, WebhooksEvents } from '@crescendo/webhooks';
import { AutomationJobs } from '@crescendo/automation';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { addMember, createTestApp, signUp, TestApp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const SECRET = 'whsec-automation-test-0123456789';

interface Lead {
  id: string;
  tags: string[];
  status: string;
  score: number;
  timeline: { type: string; data: Record<string, unknown>; actorUserId: string | null }[];
}
interface Run {
  status: string;
  leadId: string | null;
  triggerType: string;
  triggerEventId: string;
  error: string | null;
  actionsDone: { type: string; outcome: string }[];
}

describe('automation in the worker: triggers, conditions, actions, run log, auto-pause, loops', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let receiver: Server;
  let receiverUrl: string;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const previousAllowPrivate = process.env.WEBHOOKS_ALLOW_PRIVATE_URLS;

  beforeAll(async () => {
    // The receiver listens on loopback, which the SSRF guard refuses unless the instance allows it.
    process.env.WEBHOOKS_ALLOW_PRIVATE_URLS = 'true';
    t = await createTestApp();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await worker?.close();
    await t.close();
    if (previousAllowPrivate === undefined) delete process.env.WEBHOOKS_ALLOW_PRIVATE_URLS;
    else process.env.WEBHOOKS_ALLOW_PRIVATE_URLS = previousAllowPrivate;
  });

  // Each scenario in its own workspace, so one scenario's rules never see another's leads.
  const workspace = async () => {
    const owner = await signUp(t);
    await t.http().put('/api/settings/integrations').set(owner.auth).send({ webhookSigningSecret: SECRET }).expect(200);
    return owner;
  };
  const createRule = async (owner: TestUser, body: Record<string, unknown>): Promise<string> => {
    const res = await t.http().post('/api/marketing/automation').set(owner.auth).send(body);
    if (res.status !== 201) throw new Error(`rule: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data.id;
  };
  const createLead = async (owner: TestUser, body: Record<string, unknown>): Promise<Lead> =>
    (await t.http().post('/api/leads').set(owner.auth).send(body).expect(201)).body;
  const getLead = async (owner: TestUser, id: string): Promise<Lead> =>
    (await t.http().get(`/api/leads/${id}`).set(owner.auth).expect(200)).body;
  const runsOf = async (owner: TestUser, ruleId: string): Promise<Run[]> =>
    (await t.http().get(`/api/marketing/automation/${ruleId}/runs?pageSize=100`).set(owner.auth).expect(200)).body.data;
  const waitForRuns = (owner: TestUser, ruleId: string, count: number) =>
    waitFor(`${count} run(s) of rule ${ruleId}`, async () => {
      const runs = await runsOf(owner, ruleId);
      return runs.length >= count ? runs : undefined;
    });
  const automationEntries = (lead: Lead, ruleId: string) =>
    lead.timeline.filter((e) => e.type === 'automation' && e.data.ruleId === ruleId);

  it('lead.created: actions change the lead through the timeline; conditions exclude a lead (skipped run)', async () => {
    const owner = await workspace();
    const ruleId = await createRule(owner, {
      name: 'Welcome ads leads',
      trigger: { type: 'lead.created' },
      conditions: { combinator: 'and', rules: [{ field: 'source', operator: 'eq', value: 'ads' }] },
      actions: [
        { type: 'add_tag', tag: 'welcome' },
        { type: 'set_score', score: 55 },
        { type: 'change_status', status: 'contacted' },
        { type: 'remove_tag', tag: 'cold' },
      ],
    });
    const matching = await createLead(owner, { name: 'Ada', source: 'ads', tags: ['cold'] });
    const excluded = await createLead(owner, { name: 'Bob', source: 'seo', tags: ['cold'] });
    const runs = await waitForRuns(owner, ruleId, 2);

    const byLead = Object.fromEntries(runs.map((r) => [r.leadId, r]));
    expect(byLead[matching.id]).toMatchObject({
      status: 'succeeded',
      triggerType: 'lead.created',
      error: null,
      actionsDone: [
        { type: 'add_tag', outcome: 'done' },
        { type: 'set_score', outcome: 'done' },
        { type: 'change_status', outcome: 'done' },
        { type: 'remove_tag', outcome: 'done' },
      ],
    });
    expect(byLead[excluded.id]).toMatchObject({ status: 'skipped', error: 'conditions not met', actionsDone: [] });

    const lead = await getLead(owner, matching.id);
    expect(lead).toMatchObject({ tags: ['welcome'], score: 55, status: 'contacted' });
    const entries = automationEntries(lead, ruleId);
    expect(entries.map((e) => e.data.action).sort()).toEqual(['add_tag', 'change_status', 'remove_tag', 'set_score']);
    expect(entries.every((e) => e.actorUserId === null)).toBe(true);
    expect(entries.find((e) => e.data.action === 'change_status')!.data).toMatchObject({ status: 'contacted' });
    // The usual entries are there too, made by no user.
    expect(lead.timeline.find((e) => e.type === 'status_changed')).toMatchObject({
      actorUserId: null,
      data: { from: 'new', to: 'contacted' },
    });
    const untouched = await getLead(owner, excluded.id);
    expect(untouched).toMatchObject({ tags: ['cold'], score: 0, status: 'new' });
    expect(automationEntries(untouched, ruleId)).toHaveLength(0);

    const rule = (await t.http().get(`/api/marketing/automation/${ruleId}`).set(owner.auth).expect(200)).body.data;
    expect(rule.lastRunAt).not.toBeNull();
  });

  it('lead.status_changed honours from/to; notify writes an audit log entry', async () => {
    const owner = await workspace();
    const ruleId = await createRule(owner, {
      name: 'Qualified',
      trigger: { type: 'lead.status_changed', from: 'new', to: 'qualified' },
      actions: [{ type: 'notify', channel: 'audit', message: 'Lead {{lead.name}} is {{lead.status}} ({{rule.name}})' }],
    });
    const lead = await createLead(owner, { name: 'Cyd' });
    const other = await createLead(owner, { name: 'Dee' });
    await t.http().put(`/api/leads/${other.id}`).set(owner.auth).send({ status: 'contacted' }).expect(200);
    await t.http().put(`/api/leads/${lead.id}`).set(owner.auth).send({ status: 'qualified' }).expect(200);
    const [run] = await waitForRuns(owner, ruleId, 1);
    expect(run).toMatchObject({
      leadId: lead.id,
      status: 'succeeded',
      actionsDone: [{ type: 'notify', outcome: 'done' }],
    });
    const [log] = await t.db.query(
      `SELECT message, metadata FROM audit_logs WHERE workspace_id = $1 AND action = 'automation_notify'`,
      [owner.workspaceId],
    );
    expect(log).toMatchObject({ message: 'Lead Cyd is qualified (Qualified)', metadata: { ruleId, leadId: lead.id } });
    expect(automationEntries(await getLead(owner, lead.id), ruleId)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await runsOf(owner, ruleId)).toHaveLength(1);
  });

  it('lead.tag_added honours the tag; notify by e-mail reaches the active members', async () => {
    const owner = await workspace();
    const ruleId = await createRule(owner, {
      name: 'Hot',
      trigger: { type: 'lead.tag_added', tag: 'hot' },
      actions: [
        { type: 'change_status', status: 'qualified' },
        { type: 'notify', channel: 'email', subject: 'Hot: {{lead.name}}', message: 'Call {{lead.email}} now' },
      ],
    });
    const lead = await createLead(owner, { name: 'Eve', email: 'eve@example.com', tags: ['warm'] });
    await t
      .http()
      .put(`/api/leads/${lead.id}`)
      .set(owner.auth)
      .send({ tags: ['warm', 'hot'] })
      .expect(200);
    const [run] = await waitForRuns(owner, ruleId, 1);
    expect(run).toMatchObject({ status: 'succeeded', triggerType: 'lead.tag_added' });
    expect((await getLead(owner, lead.id)).status).toBe('qualified');
    const mails = await t.db.query(
      `SELECT "to", subject, text, template FROM mail_outbox WHERE "to" = $1 AND template = 'automation-notify'`,
      [owner.email],
    );
    expect(mails).toEqual([
      { to: owner.email, subject: 'Hot: Eve', text: 'Call eve@example.com now', template: 'automation-notify' },
    ]);
  });

  it('notify by e-mail without a subject names the rule in each member’s language; a written one is kept', async () => {
    const owner = await workspace();
    await t.http().put('/api/settings/general').set(owner.auth).send({ defaultLanguage: 'fr' }).expect(200);
    const member = await addMember(t, owner, 'viewer');
    await t.http().put('/api/management/settings').set(member.auth).send({ language: 'en' }).expect(200);
    const ruleId = await createRule(owner, {
      name: 'Tiède',
      trigger: { type: 'lead.tag_added', tag: 'tiede' },
      actions: [{ type: 'notify', channel: 'email', message: 'Rappeler {{lead.name}}' }],
    });
    const lead = await createLead(owner, { name: 'Zoé', tags: ['froid'] });
    await t
      .http()
      .put(`/api/leads/${lead.id}`)
      .set(owner.auth)
      .send({ tags: ['froid', 'tiede'] })
      .expect(200);
    await waitForRuns(owner, ruleId, 1);
    const mails = await t.db.query(
      `SELECT "to", subject, text FROM mail_outbox WHERE "to" = ANY($1) AND template = 'automation-notify' ORDER BY "to"`,
      [[owner.email, member.email]],
    );
    expect(Object.fromEntries(mails.map((m: { to: string; subject: string }) => [m.to, m.subject]))).toEqual({
      [owner.email]: 'Automatisation : Tiède',
      [member.email]: 'Automation: Tiède',
    });
    for (const mail of mails) expect(mail.text).toBe('Rappeler Zoé');
  });

  it('enroll_in_campaign enrolls the lead (campaign_leads + enrolled event) and names the rule on the timeline', async () => {
    const owner = await workspace();
    const campaign = (
      await t.http().post('/api/campaigns').set(owner.auth).send({ name: 'Nurture', type: 'email' }).expect(201)
    ).body;
    const ruleId = await createRule(owner, {
      name: 'Nurture new leads',
      trigger: { type: 'lead.created' },
      actions: [{ type: 'enroll_in_campaign', campaignId: campaign.id }],
    });
    const lead = await createLead(owner, { name: 'Jon' });
    const [run] = await waitForRuns(owner, ruleId, 1);
    expect(run).toMatchObject({ status: 'succeeded', actionsDone: [{ type: 'enroll_in_campaign', outcome: 'done' }] });
    const rows = await t.db.query(
      'SELECT stage, workspace_id FROM campaign_leads WHERE campaign_id = $1 AND lead_id = $2',
      [campaign.id, lead.id],
    );
    expect(rows).toEqual([{ stage: 'enrolled', workspace_id: owner.workspaceId }]);
    const timeline = (await getLead(owner, lead.id)).timeline;
    expect(timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['enrolled', 'automation']));
    expect(automationEntries(await getLead(owner, lead.id), ruleId)[0].data).toMatchObject({
      action: 'enroll_in_campaign',
      campaignId: campaign.id,
      enrolled: true,
    });
  });

  it('webhook.received: call_webhook POSTs a body signed with the workspace secret', async () => {
    const owner = await workspace();
    const ruleId = await createRule(owner, {
      name: 'Forward',
      trigger: { type: 'webhook.received' },
      actions: [{ type: 'call_webhook', url: receiverUrl }],
    });
    const lead = await createLead(owner, { name: 'Fay', email: 'fay@example.com' });
    const before = received.length;
    const event = await t.app.get(EventPublisher).publish({
      type: WebhooksEvents.WebhookReceived,
      workspaceId: owner.workspaceId,
      data: { leadId: lead.id, source: InboundSource.Leads, eventId: 'evt-forward', deliveryId: randomUUID() },
    });
    const [run] = await waitForRuns(owner, ruleId, 1);
    expect(run).toMatchObject({
      status: 'succeeded',
      triggerEventId: event.id,
      actionsDone: [{ type: 'call_webhook', outcome: 'done' }],
    });
    const delivery = received.slice(before).find((r) => r.body.includes(lead.id))!;
    expect(verifySignature(delivery.headers['x-crescendo-signature'] as string, delivery.body, [SECRET])).toEqual({
      ok: true,
      timestamp: expect.any(Number),
      eventIdSigned: false,
    });
    expect(
      verifySignature(delivery.headers['x-crescendo-signature'] as string, delivery.body, ['another-secret-0123456']),
    ).toMatchObject({ ok: false });
    expect(JSON.parse(delivery.body)).toMatchObject({
      type: 'automation.webhook',
      rule: { id: ruleId, name: 'Forward' },
      trigger: { type: 'webhook.received', eventId: event.id },
      lead: { id: lead.id, email: 'fay@example.com' },
    });
    expect(automationEntries(await getLead(owner, lead.id), ruleId)[0].data).toMatchObject({
      action: 'call_webhook',
      url: receiverUrl,
      status: 204,
    });

    // The same event delivered again runs nothing twice: one run per (rule, event).
    await t.app
      .get(QueueRegistry)
      .enqueue(AutomationJobs.AutomationRunRule, { workspaceId: owner.workspaceId, ruleId, leadId: lead.id, event });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await runsOf(owner, ruleId)).toHaveLength(1);
  });

  it('schedule: a tick runs the rule over the leads matching its conditions', async () => {
    const owner = await workspace();
    const ruleId = await createRule(owner, {
      name: 'Nightly rescore',
      trigger: { type: 'schedule', cron: '0 3 * * *' },
      conditions: { combinator: 'and', rules: [{ field: 'tags', operator: 'has_tag', value: 'nightly' }] },
      actions: [{ type: 'set_score', score: 77 }],
    });
    const tagged = await createLead(owner, { name: 'Gus', tags: ['nightly'] });
    const plain = await createLead(owner, { name: 'Hal' });
    // What the rule's job scheduler enqueues at 03:00, enqueued now.
    await t.app
      .get(QueueRegistry)
      .enqueue(AutomationJobs.AutomationScheduledRule, { workspaceId: owner.workspaceId, ruleId }, { jobId: 'tick-1' });
    const [run] = await waitForRuns(owner, ruleId, 1);
    expect(run).toMatchObject({
      leadId: tagged.id,
      status: 'succeeded',
      triggerType: 'schedule',
      triggerEventId: `schedule-tick-1-${tagged.id}`,
    });
    expect((await getLead(owner, tagged.id)).score).toBe(77);
    expect((await getLead(owner, plain.id)).score).toBe(0);
    // Leaves no scheduler (and its delayed 03:00 job) behind in the queue for later specs.
    await t.http().delete(`/api/marketing/automation/${ruleId}`).set(owner.auth).expect(204);
  });

  it('pauses a rule after 5 failed runs in a row (webhook to a closed port); activating resets it', async () => {
    const owner = await workspace();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const ruleId = await createRule(owner, {
      name: 'Broken hook',
      trigger: { type: 'lead.created' },
      actions: [
        { type: 'add_tag', tag: 'seen' },
        { type: 'call_webhook', url: `http://127.0.0.1:${port}/down` },
      ],
    });
    for (let i = 0; i < 5; i++) await createLead(owner, { name: `Lead ${i}` });
    const rule = await waitFor('the rule to pause itself', async () => {
      const res = await t.http().get(`/api/marketing/automation/${ruleId}`).set(owner.auth).expect(200);
      return res.body.data.status === 'paused' ? res.body.data : undefined;
    });
    expect(rule).toMatchObject({ consecutiveFailures: 5, pausedReason: 'Paused after 5 failed runs in a row' });
    const runs = await runsOf(owner, ruleId);
    expect(runs.map((r) => r.status)).toEqual(Array(5).fill('failed'));
    expect(runs[0]).toMatchObject({
      error: expect.stringMatching(/^call_webhook: connect ECONNREFUSED/),
      actionsDone: [{ type: 'add_tag', outcome: 'done' }],
    });
    // Paused: a new lead runs nothing.
    await createLead(owner, { name: 'After the pause' });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await runsOf(owner, ruleId)).toHaveLength(5);
    const [log] = await t.db.query(
      `SELECT level FROM audit_logs WHERE workspace_id = $1 AND action = 'automation_rule_paused'`,
      [owner.workspaceId],
    );
    expect(log).toEqual({ level: 'warn' });

    const active = await t
      .http()
      .put(`/api/marketing/automation/${ruleId}/status`)
      .set(owner.auth)
      .send({ status: 'active' })
      .expect(200);
    expect(active.body.data).toMatchObject({ status: 'active', consecutiveFailures: 0, pausedReason: null });
  });

  it('two rules that trigger each other stop after 3 levels instead of looping', async () => {
    const owner = await workspace();
    const ping = await createRule(owner, {
      name: 'Ping',
      trigger: { type: 'lead.tag_added', tag: 'ping' },
      actions: [{ type: 'add_tag', tag: 'pong' }],
    });
    const pong = await createRule(owner, {
      name: 'Pong',
      trigger: { type: 'lead.tag_added', tag: 'pong' },
      actions: [
        { type: 'remove_tag', tag: 'pong' },
        { type: 'remove_tag', tag: 'ping' },
        { type: 'add_tag', tag: 'ping' },
      ],
    });
    const lead = await createLead(owner, { name: 'Ivy' });
    await t
      .http()
      .put(`/api/leads/${lead.id}`)
      .set(owner.auth)
      .send({ tags: ['ping'] })
      .expect(200);
    // ping (user) → Ping adds pong (depth 1) → Pong re-adds ping (depth 2) → Ping adds pong (depth 3) → nothing.
    await waitForRuns(owner, ping, 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await runsOf(owner, ping)).toHaveLength(2);
    expect(await runsOf(owner, pong)).toHaveLength(1);
    expect((await getLead(owner, lead.id)).tags.sort()).toEqual(['ping', 'pong']);
  });

  it('two rules tagging the same lead at once both keep their tag (one SQL update per tag)', async () => {
    const owner = await workspace();
    // A trigger no event of this spec fires: the runs started below are the only ones.
    const trigger = { type: 'lead.tag_added', tag: 'never-added' };
    const rule = (name: string, action: Record<string, unknown>) =>
      createRule(owner, { name, trigger, actions: [action] });
    const adders = [
      await rule('Tag alpha', { type: 'add_tag', tag: 'alpha' }),
      await rule('Tag beta', { type: 'add_tag', tag: 'beta' }),
    ];
    const removers = [
      await rule('Untag alpha', { type: 'remove_tag', tag: 'alpha' }),
      await rule('Untag beta', { type: 'remove_tag', tag: 'beta' }),
    ];
    const lead = await createLead(owner, { name: 'Ada', tags: ['seed'] });
    const runner = worker.get(AutomationExecutor);
    // What a lead event carries: the lead as the API answers it.
    const snapshot: LeadResponseDto = (await t.http().get(`/api/leads/${lead.id}`).set(owner.auth).expect(200)).body;
    const runAtOnce = (ruleIds: string[]) => {
      const event = {
        id: randomUUID(),
        type: LeadsEvents.LeadTagAdded,
        workspaceId: owner.workspaceId,
        occurredAt: new Date().toISOString(),
        actorUserId: null,
        data: { leadId: lead.id, lead: snapshot, tags: ['seed'] },
      };
      return Promise.all(
        ruleIds.map((ruleId) => runner.runRule({ workspaceId: owner.workspaceId, ruleId, leadId: lead.id, event })),
      );
    };

    expect(await runAtOnce(adders)).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
    const tagged = await getLead(owner, lead.id);
    expect(tagged.tags.sort()).toEqual(['alpha', 'beta', 'seed']);
    expect(
      tagged.timeline
        .filter((e) => e.type === 'automation')
        .map((e) => e.data.tag)
        .sort(),
    ).toEqual(['alpha', 'beta']);

    expect(await runAtOnce(removers)).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
    expect((await getLead(owner, lead.id)).tags).toEqual(['seed']);
    // Again: nothing left to change, so the actions are "unchanged".
    await runAtOnce(removers);
    const runs = await runsOf(owner, removers[0]);
    expect(runs.map((r) => r.actionsDone[0].outcome).sort()).toEqual(['done', 'unchanged']);
  });
});
