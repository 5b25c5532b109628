import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import {
  AuthenticationGuard,
  ConfigModule,
  ListsModule,
  DatabaseModule,
  EventsModule,
  FilesModule,
  HttpExceptionFilter,
  JobsModule,
  LoggerModule,
  MetricsModule,
  PermissionsGuard,
  RateLimitGuard,
  RedisModule,
} from '@crescendo/platform';
import { AuditModule } from '@crescendo/audit';
import { IdentityModule } from '@crescendo/identity';
import { SettingsModule } from '@crescendo/settings';
import { OperationsModule } from '@crescendo/operations';
import { LeadsModule } from '@crescendo/leads';
import { CampaignsModule } from '@crescendo/campaigns';
import { TrackedJobsModule } from '@crescendo/jobs';
import { SegmentsModule } from '@crescendo/segments';
import { AutomationModule } from '@crescendo/automation';
import { WebhooksModule } from '@crescendo/webhooks';
import { SubscribersModule } from '@crescendo/subscribers';
import { AiModule } from '@crescendo/ai';
import { ChatModule } from '@crescendo/chat';
import { AiToolsModule } from '@crescendo/ai-tools';
import { ChatbotModule } from '@crescendo/chatbot';
import { AgentsModule } from '@crescendo/agents';
import { AnalyticsModule } from '@crescendo/analytics';
import { BillingModule } from '@crescendo/billing';
import { GdprModule } from '@crescendo/gdpr';
import { ForumModule } from '@crescendo/forum';
import { StudioModule } from '@crescendo/studio';
import { AiMediaModule } from '@crescendo/ai-media';

/** HTTP composition root: platform services, global guards and filter, and every feature module. */
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
    MetricsModule,
    AuditModule,
    IdentityModule,
    SettingsModule,
    OperationsModule,
    LeadsModule,
    CampaignsModule,
    TrackedJobsModule,
    SegmentsModule,
    AutomationModule,
    WebhooksModule,
    SubscribersModule,
    AiModule,
    ChatModule,
    AiToolsModule,
    ChatbotModule,
    AgentsModule,
    AnalyticsModule,
    BillingModule,
    GdprModule,
    ForumModule,
    StudioModule,
    AiMediaModule,
  ],
  providers: [
    // Order matters: who is calling, then how often, then what they may do.
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: PermissionsGuard },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
  ],
})
export class ApiModule {}
