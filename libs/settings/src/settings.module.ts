import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBox } from '@crescendo/platform';
import { AuditModule } from '@crescendo/audit';
import { UserEntity } from '@crescendo/identity';
import { ManagementController } from './management.controller';
import { ManagementService } from './management.service';
import { UserSettingsEntity, WorkspaceSettingsEntity } from './settings.entity';
import { UserSessionGuard } from './user-session.guard';
import { WorkspaceSettingsController } from './workspace-settings.controller';
import { WorkspaceSettingsService } from './workspace-settings.service';
import { SettingsPersonalData } from './settings-personal-data.provider';

/** Workspace settings (seed 004) and the signed-in user's preferences and profile (seed 000). */
@Module({
  imports: [TypeOrmModule.forFeature([WorkspaceSettingsEntity, UserSettingsEntity, UserEntity]), AuditModule],
  controllers: [WorkspaceSettingsController, ManagementController],
  providers: [SettingsPersonalData, WorkspaceSettingsService, ManagementService, SecretBox, UserSessionGuard],
  exports: [WorkspaceSettingsService],
})
export class SettingsModule {}
