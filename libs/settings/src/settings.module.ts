import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule, SecretBox } from '@crescendo/platform';
import { AuditModule } from '@crescendo/audit';
import { IdentityModule } from '@crescendo/identity';
import { ManagementController } from './management.controller';
import { ManagementService } from './management.service';
import { SlackNotificationsHandler } from './slack-notifications.handler';
import { UserSettingsEntity, WorkspaceSettingsEntity } from './settings.entity';
import { SettingsRepository } from './settings.repository';
import { UserSessionGuard } from './user-session.guard';
import { WorkspaceSettingsController } from './workspace-settings.controller';
import { WorkspaceSettingsService } from './workspace-settings.service';
import { SettingsPersonalData } from './settings-personal-data.provider';

/** Workspace settings and the signed-in user's preferences and profile. */
@Module({
  imports: [
    TypeOrmModule.forFeature([WorkspaceSettingsEntity, UserSettingsEntity]),
    AuditModule,
    IdentityModule,
    MailModule,
  ],
  controllers: [WorkspaceSettingsController, ManagementController],
  providers: [
    SettingsPersonalData,
    SettingsRepository,
    WorkspaceSettingsService,
    ManagementService,
    SecretBox,
    UserSessionGuard,
    SlackNotificationsHandler,
  ],
  exports: [WorkspaceSettingsService, ManagementService],
})
export class SettingsModule {}
