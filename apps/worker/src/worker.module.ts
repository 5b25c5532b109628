import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import {
  ConfigModule,
  ListsModule,
  DatabaseModule,
  DomainEventDeliveryModule,
  EventsModule,
  FilesModule,
  JobsModule,
  LoggerModule,
  MetricsModule,
  RedisModule,
} from '@crescendo/platform';
import { OperationsModule } from '@crescendo/operations';
import { TrackedJobsModule } from '@crescendo/jobs';
import { AutomationModule } from '@crescendo/automation';
import { WebhookDeliveryModule } from '@crescendo/webhooks';
import { LeadsModule } from '@crescendo/leads';
import { AgentsModule } from '@crescendo/agents';
import { AiToolsModule } from '@crescendo/ai-tools';
import { NotificationsModule, RollupModule } from '@crescendo/analytics';
import { BillingCreditsModule } from '@crescendo/billing';
import { GdprModule } from '@crescendo/gdpr';
import { ForumModule } from '@crescendo/forum';
import { StudioModule } from '@crescendo/studio';
import { AiMediaModule } from '@crescendo/ai-media';
import { SegmentsModule } from '@crescendo/segments';
import { ChatbotModule } from '@crescendo/chatbot';
import { SettingsModule } from '@crescendo/settings';
import { CampaignsModule } from '@crescendo/campaigns';
import { ChatModule } from '@crescendo/chat';
import { SubscribersModule } from '@crescendo/subscribers';
import { JobHandlerDiscovery } from './job-handlers';
import { QueueWorkerService } from './queue-worker.service';
import { WorkerHealthServer } from './worker-health.server';

/** Job composition root: platform services, the feature modules that own job handlers, and the binder. */
@Module({
  imports: [
    ConfigModule,
    ListsModule,
    LoggerModule,
    DatabaseModule,
    RedisModule,
    JobsModule,
    EventsModule,
    FilesModule,
    DomainEventDeliveryModule,
    MetricsModule,
    DiscoveryModule,
    OperationsModule,
    TrackedJobsModule,
    AutomationModule,
    WebhookDeliveryModule,
    LeadsModule,
    AgentsModule,
    AiToolsModule,
    NotificationsModule,
    RollupModule,
    // Failed AI jobs give their message-pack credit back from here.
    BillingCreditsModule,
    // The export job asks every feature that holds personal data: their providers must be here too.
    GdprModule,
    SettingsModule,
    CampaignsModule,
    ChatModule,
    SubscribersModule,
    ForumModule,
    StudioModule,
    AiMediaModule,
    SegmentsModule,
    ChatbotModule,
  ],
  providers: [JobHandlerDiscovery, QueueWorkerService, WorkerHealthServer],
})
export class WorkerModule {}
