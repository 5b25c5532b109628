import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule, SecretBox } from '@crescendo/platform';
import { AuditModule } from '@crescendo/audit';
import { UserEntity } from '@crescendo/identity';
import { ManagementController } from './management.controller';
import { ManagementService } from './management.service';
import { SlackNotificationsHandler } from './slack-notifications.handler';
import { UserSettingsEntity, WorkspaceSettingsEntity } from './settings.entity';
import { UserSessionGuard } from './user-session.guard';
import { WorkspaceSettingsController } from './workspace-settings.controller';
import { WorkspaceSettingsService } from './workspace-settings.service';

/** Workspace settings (seed 004) and the signed-in user's preferences and profile (seed 000). */
@Module({
  imports: [
    TypeOrmModule.forFeature([WorkspaceSettingsEntity, UserSettingsEntity, UserEntity]),
    AuditModule,
    MailModule,
  ],
  controllers: [WorkspaceSettingsController, ManagementController],
  providers: [WorkspaceSettingsService, ManagementService, SecretBox, UserSessionGuard, SlackNotificationsHandler],
  exports: [WorkspaceSettingsService],
})
export class SettingsModule {}
