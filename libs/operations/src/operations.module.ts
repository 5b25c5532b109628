import { Module } from '@nestjs/common';
import { MailModule } from '@crescendo/platform';
import { AuditModule } from '@crescendo/audit';
import { AiModule } from '@crescendo/ai';
import { IdentityModule } from '@crescendo/identity';
import { InstanceAdminService } from './admin/instance-admin.service';
import { CleanupService } from './cleanup/cleanup.service';
import { CronController } from './cron/cron.controller';
import { CronSecretGuard } from './cron/cron-secret.guard';
import { CronService } from './cron/cron.service';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { InstanceMetricsService } from './instance-metrics/instance-metrics.service';
import { CleanupHandler } from './jobs/cleanup.handler';
import { CollectMetricsHandler } from './jobs/collect-metrics.handler';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsTokenGuard } from './metrics/metrics-token.guard';
import { PrometheusService } from './metrics/prometheus.service';
import { QueueStatusService } from './queues/queue-status.service';

/**
 * Operations: health, Prometheus metrics, the cron routes and their maintenance jobs, and the admin check
 * of the queue dashboard. Needs the platform's config, database, Redis, jobs and metrics modules.
 */
@Module({
  imports: [
    // Each table is cleaned and counted by its owner: identity (tokens, users), platform mail (the outbox).
    MailModule,
    AuditModule,
    IdentityModule,
    AiModule,
  ],
  controllers: [HealthController, MetricsController, CronController],
  providers: [
    QueueStatusService,
    HealthService,
    PrometheusService,
    CleanupService,
    InstanceMetricsService,
    CronService,
    CronSecretGuard,
    MetricsTokenGuard,
    InstanceAdminService,
    CleanupHandler,
    CollectMetricsHandler,
  ],
  exports: [CleanupService, InstanceMetricsService, InstanceAdminService, HealthService],
})
export class OperationsModule {}
