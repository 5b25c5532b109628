import 'reflect-metadata';
import { Injectable, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig, EventJobs, jobSchedules, OnJob, QueueName, QueueRegistry } from '@crescendo/platform';
import { AgentsJobs } from '@crescendo/agents';
import { AiMediaJobs } from '@crescendo/ai-media';
import { AiToolsJobs } from '@crescendo/ai-tools';
import { AnalyticsJobs } from '@crescendo/analytics';
import { AutomationJobs } from '@crescendo/automation';
import { GdprJobs } from '@crescendo/gdpr';
import { TrackedJobsJobs } from '@crescendo/jobs';
import { LeadsJobs } from '@crescendo/leads';
import { OperationsJobs } from '@crescendo/operations';
import { SettingsJobs } from '@crescendo/settings';
import { StudioJobs } from '@crescendo/studio';
import { WebhooksJobs } from '@crescendo/webhooks';
import { bindJobHandlers, JobHandlerDiscovery } from '../../apps/worker/src/job-handlers';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { waitFor } from '../helpers/wait-for';

describe('worker (in process, real Postgres and Redis)', () => {
  let worker: INestApplicationContext;
  let db: DataSource;
  let queues: QueueRegistry;
  beforeAll(async () => {
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    db = worker.get(DataSource);
    queues = worker.get(QueueRegistry);
  });
  afterAll(() => worker?.close());

  it('discovered exactly one @OnJob handler per job name', () => {
    const sources = worker
      .get(JobHandlerDiscovery)
      .discover()
      .map((h) => `${h.name}:${h.source}`)
      .sort();
    expect(sources).toEqual(
      [
        `${OperationsJobs.Cleanup}:CleanupHandler.handleCleanup`,
        `${OperationsJobs.CollectMetrics}:CollectMetricsHandler.handleCollectMetrics`,
        `${WebhooksJobs.DeliverWebhook}:WebhookDeliveryHandler.deliver`,
        `${SettingsJobs.NotifySlack}:SlackNotificationsHandler.deliver`,
        `${EventJobs.DispatchDomainEvent}:DomainEventDispatcher.dispatch`,
        `${TrackedJobsJobs.PurgeFinishedJobs}:JobsRetentionHandler.purgeFinishedJobs`,
        `${AutomationJobs.AutomationRunRule}:AutomationExecutor.runRule`,
        `${AutomationJobs.AutomationScheduledRule}:AutomationFanOut.runScheduled`,
        `${LeadsJobs.ImportLeads}:LeadsImportHandler.importLeads`,
        `${LeadsJobs.ExportLeads}:LeadsExportHandler.exportLeads`,
        `${LeadsJobs.PurgeDeletedLeads}:LeadsRetentionHandler.purgeDeletedLeads`,
        `${WebhooksJobs.PurgeWebhookDeliveries}:WebhookRetentionHandler.purgeWebhookDeliveries`,
        `${AgentsJobs.RunAgent}:AgentRunner.handleRun`,
        `${AgentsJobs.ScheduledAgentRun}:AgentTriggers.onSchedule`,
        `${AiToolsJobs.AiGenerate}:AiJobsService.runJob`,
        `${AiToolsJobs.ReleaseAbandonedAiQuota}:AiQuotaSweepHandler.releaseAbandonedAiQuota`,
        `${AnalyticsJobs.RefreshAnalyticsRollup}:RollupJobsHandler.refreshOne`,
        `${AnalyticsJobs.RefreshAnalyticsRollups}:RollupJobsHandler.refreshAll`,
        `${AiMediaJobs.AiMedia}:AiMediaService.runJob`,
        `${GdprJobs.GdprExport}:GdprExportHandler.exportPersonalData`,
        `${GdprJobs.GdprRetention}:GdprRetentionHandler.applyRetention`,
        `${AnalyticsJobs.SendNotificationDigests}:NotificationsDigestService.scheduled`,
        `${StudioJobs.StudioCompose}:CompositionHandler.compose`,
      ].sort(),
    );
  });

  it('upserts the repeatable jobs of jobSchedules()', async () => {
    const schedulers = await queues.get(QueueName.Maintenance).getJobSchedulers();
    for (const schedule of jobSchedules()) {
      expect(schedulers).toContainEqual(
        expect.objectContaining({ key: schedule.name, name: schedule.name, pattern: schedule.pattern }),
      );
    }
  });

  /** A real user: a workspace's owner must be one (the erased-user guard refuses unknown ids). */
  const anOwner = async (): Promise<string> =>
    (
      await db.query(`INSERT INTO users (email, name) VALUES ($1, 'Worker Owner') RETURNING id`, [
        `owner-${randomBytes(4).toString('hex')}@crescendo.test`,
      ])
    )[0].id;

  it('runs a Cleanup job enqueued through QueueRegistry, and its effect reaches the database', async () => {
    const [user] = await db.query(`INSERT INTO users (email, name) VALUES ($1, 'Worker Test') RETURNING id`, [
      `worker-${randomBytes(4).toString('hex')}@crescendo.test`,
    ]);
    const [expired] = await db.query(
      `INSERT INTO refresh_tokens (family_id, user_id, workspace_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() - interval '1 day') RETURNING id`,
      [randomUUID(), user.id, randomUUID(), randomBytes(32).toString('hex')],
    );
    const [live] = await db.query(
      `INSERT INTO refresh_tokens (family_id, user_id, workspace_id, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + interval '1 day') RETURNING id`,
      [randomUUID(), user.id, randomUUID(), randomBytes(32).toString('hex')],
    );

    const job = await queues.enqueue(OperationsJobs.Cleanup, { trigger: 'manual' });
    const state = await waitFor('the cleanup job to finish', async () => {
      const s = await job.getState();
      return s === 'completed' || s === 'failed' ? s : undefined;
    });
    expect(state).toBe('completed');
    const done = await queues.get(QueueName.Maintenance).getJob(job.id!);
    expect(done!.returnvalue).toMatchObject({ details: { refreshTokens: expect.any(Number) } });
    expect(done!.returnvalue.details.refreshTokens).toBeGreaterThanOrEqual(1);

    const rows = await db.query(`SELECT id FROM refresh_tokens WHERE id = ANY($1)`, [[expired.id, live.id]]);
    expect(rows.map((r: { id: string }) => r.id)).toEqual([live.id]);
  });

  it('purges leads deleted more than 30 days ago and keeps the restorable ones', async () => {
    const [workspace] = await db.query(`INSERT INTO workspaces (name, owner_id) VALUES ('Purge', $1) RETURNING id`, [
      await anOwner(),
    ]);
    const leads: Array<{ id: string; name: string }> = await db.query(
      `INSERT INTO leads (workspace_id, name, deleted_at) VALUES
         ($1, 'old', now() - interval '31 days'), ($1, 'recent', now() - interval '29 days'), ($1, 'live', NULL)
       RETURNING id, name`,
      [workspace.id],
    );
    await db.query(
      `INSERT INTO lead_events (lead_id, workspace_id, type) SELECT id, workspace_id, 'created' FROM leads WHERE id = ANY($1)`,
      [leads.map((l) => l.id)],
    );
    const [due] = await db.query(`SELECT count(*)::int AS n FROM leads WHERE deleted_at < now() - interval '30 days'`);
    const job = await queues.enqueue(LeadsJobs.PurgeDeletedLeads, { trigger: 'manual' });
    await waitFor('the purge to finish', async () => ((await job.getState()) === 'completed' ? true : undefined));
    const left = await db.query(`SELECT name FROM leads WHERE workspace_id = $1 ORDER BY name`, [workspace.id]);
    expect(left.map((r: { name: string }) => r.name)).toEqual(['live', 'recent']);
    // The timeline goes with its lead (a statement trigger on leads, not a foreign key: see the migration).
    const timelines = await db.query(
      `SELECT l.name FROM lead_events e JOIN leads l ON l.id = e.lead_id
                                       WHERE e.workspace_id = $1 ORDER BY l.name`,
      [workspace.id],
    );
    expect(timelines.map((r: { name: string }) => r.name)).toEqual(['live', 'recent']);
    const [orphans] = await db.query(`SELECT count(*)::int AS n FROM lead_events WHERE workspace_id = $1`, [
      workspace.id,
    ]);
    expect(orphans.n).toBe(2);
    // Deleting the workspace cascades to its leads, and the trigger takes their events along.
    await db.query(`DELETE FROM workspaces WHERE id = $1`, [workspace.id]);
    const [after] = await db.query(`SELECT count(*)::int AS n FROM lead_events WHERE workspace_id = $1`, [
      workspace.id,
    ]);
    expect(after.n).toBe(0);
    expect(leads).toHaveLength(3);
    // The count covers what other specs left in this database too.
    expect((await queues.get(QueueName.Maintenance).getJob(job.id!))!.returnvalue).toEqual({ purged: due.n });
  });

  it('purges webhook delivery logs older than WEBHOOK_DELIVERY_RETENTION_DAYS, inbound and outgoing', async () => {
    const days = worker.get(AppConfig).env.WEBHOOK_DELIVERY_RETENTION_DAYS;
    const [workspace] = await db.query(`INSERT INTO workspaces (name, owner_id) VALUES ('Hooks', $1) RETURNING id`, [
      await anOwner(),
    ]);
    const [endpoint] = await db.query(
      `INSERT INTO webhook_endpoints (workspace_id, url, events, secret) VALUES ($1, 'https://example.com/h', '{*}', 'x')
       RETURNING id`,
      [workspace.id],
    );
    const age = (extra: number) => `now() - make_interval(days => ${days + extra})`;
    await db.query(
      `INSERT INTO webhook_deliveries_inbound (workspace_id, source, event_id, status, http_status, received_at) VALUES
         ($1, 'leads', 'old', 'accepted', 200, ${age(1)}), ($1, 'leads', 'recent', 'accepted', 200, ${age(-1)})`,
      [workspace.id],
    );
    await db.query(
      `INSERT INTO webhook_deliveries (workspace_id, endpoint_id, event_id, event_type, attempt, status, created_at) VALUES
         ($1, $2, 'old', 'lead.created', 1, 'succeeded', ${age(1)}),
         ($1, $2, 'recent', 'lead.created', 1, 'succeeded', ${age(-1)})`,
      [workspace.id, endpoint.id],
    );

    const due = async (table: string, column: string) =>
      (await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} < ${age(0)}`))[0].n as number;
    const expected = {
      inbound: await due('webhook_deliveries_inbound', 'received_at'),
      outgoing: await due('webhook_deliveries', 'created_at'),
    };
    const job = await queues.enqueue(WebhooksJobs.PurgeWebhookDeliveries, { trigger: 'manual' });
    await waitFor('the purge to finish', async () => ((await job.getState()) === 'completed' ? true : undefined));
    const done = await queues.get(QueueName.Maintenance).getJob(job.id!);
    expect(done!.returnvalue).toEqual(expected);
    const left = (table: string) =>
      db.query(`SELECT event_id FROM ${table} WHERE workspace_id = $1`, [workspace.id]) as Promise<
        { event_id: string }[]
      >;
    expect(await left('webhook_deliveries_inbound')).toEqual([{ event_id: 'recent' }]);
    expect(await left('webhook_deliveries')).toEqual([{ event_id: 'recent' }]);
  });

  it('runs a CollectMetrics job and returns the figures', async () => {
    const job = await queues.enqueue(OperationsJobs.CollectMetrics, { trigger: 'manual' });
    await waitFor('the metrics job to complete', async () =>
      (await job.getState()) === 'completed' ? true : undefined,
    );
    const done = await queues.get(QueueName.Maintenance).getJob(job.id!);
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM users');
    expect(done!.returnvalue).toMatchObject({ totalUsers: n, pendingJobs: expect.any(Number) });
  });
});

describe('worker boot check', () => {
  @Injectable()
  class SecondCleanupHandler {
    @OnJob(OperationsJobs.Cleanup)
    cleanupAgain() {
      return 'duplicate';
    }
  }

  @Module({ imports: [WorkerModule], providers: [SecondCleanupHandler] })
  class WorkerWithDuplicateModule {}

  it('refuses to boot when a job has two handlers, naming both', async () => {
    // Compiled but not initialised: the providers exist, the boot hook (QueueWorkerService) has not run.
    const context = await Test.createTestingModule({ imports: [WorkerWithDuplicateModule] }).compile();
    try {
      const discovered = context.get(JobHandlerDiscovery).discover();
      expect(() => bindJobHandlers(discovered)).toThrow(
        `${OperationsJobs.Cleanup} has 2 handlers (CleanupHandler.handleCleanup, SecondCleanupHandler.cleanupAgain)`,
      );
    } finally {
      await context.close();
    }
  });
});
