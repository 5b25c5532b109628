import { Module } from '@nestjs/common';
import {
  ConfigModule,
  DatabaseModule,
  EventsModule,
  FilesModule,
  JobsModule,
  ListsModule,
  LoggerModule,
  MetricsModule,
  RedisModule,
} from '@crescendo/platform';
import { AiModule } from '@crescendo/ai';
import { AuditModule } from '@crescendo/audit';
import { IdentityModule } from '@crescendo/identity';
import { SettingsModule } from '@crescendo/settings';
import { LeadsModule } from '@crescendo/leads';
import { CampaignsModule } from '@crescendo/campaigns';
import { SegmentsModule } from '@crescendo/segments';
import { AutomationModule } from '@crescendo/automation';
import { SubscribersModule } from '@crescendo/subscribers';
import { ChatbotModule } from '@crescendo/chatbot';
import { DemoSeeder } from './demo-seeder';

/** Composition root of `npm run seed:demo`: the platform and the feature modules whose services it calls. */
@Module({
  imports: [
    ConfigModule,
    LoggerModule,
    DatabaseModule,
    RedisModule,
    JobsModule,
    ListsModule,
    EventsModule,
    FilesModule,
    MetricsModule,
    AuditModule,
    IdentityModule,
    SettingsModule,
    LeadsModule,
    CampaignsModule,
    SegmentsModule,
    AutomationModule,
    SubscribersModule,
    ChatbotModule,
    AiModule,
  ],
  providers: [DemoSeeder],
})
export class DemoSeedModule {}
