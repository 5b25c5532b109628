import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RequirePermissions } from '@crescendo/platform';
import { GeneralSettingsDto, UpdateGeneralSettingsDto } from './general-settings.dto';
import { IntegrationSettingsDto, UpdateIntegrationSettingsDto } from './integration-settings.dto';
import { NotificationSettingsDto, UpdateNotificationSettingsDto } from './notification-settings.dto';
import { SchedulingSettingsDto, UpdateSchedulingSettingsDto } from './scheduling-settings.dto';
import { WorkspaceSettingsService } from './workspace-settings.service';

@ApiTags('settings')
@Controller('settings')
export class WorkspaceSettingsController {
  constructor(private readonly settings: WorkspaceSettingsService) {}

  @Get('general')
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({ summary: 'General settings of the workspace; defaults until changed' })
  @ApiOkResponse({ type: GeneralSettingsDto })
  @ApiErrors()
  getGeneralSettings(@CurrentPrincipal() principal: Principal): Promise<GeneralSettingsDto> {
    return this.settings.getGeneral(principal.workspaceId);
  }

  @Put('general')
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({ summary: 'Change general settings: a partial update, answers the whole section' })
  @ApiOkResponse({ type: GeneralSettingsDto })
  @ApiErrors(400)
  updateGeneralSettings(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateGeneralSettingsDto,
  ): Promise<GeneralSettingsDto> {
    return this.settings.updateGeneral(principal, dto);
  }

  @Get('integrations')
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({ summary: 'Integration settings; secrets only as configured + masked' })
  @ApiOkResponse({ type: IntegrationSettingsDto })
  @ApiErrors()
  getIntegrationSettings(@CurrentPrincipal() principal: Principal): Promise<IntegrationSettingsDto> {
    return this.settings.getIntegrations(principal.workspaceId);
  }

  @Put('integrations')
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({
    summary: 'Change integration settings: secrets are encrypted at rest; absent keeps, null clears',
  })
  @ApiOkResponse({ type: IntegrationSettingsDto })
  @ApiErrors(400)
  updateIntegrationSettings(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateIntegrationSettingsDto,
  ): Promise<IntegrationSettingsDto> {
    return this.settings.updateIntegrations(principal, dto);
  }

  @Get('notifications')
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({ summary: 'Notification settings: e-mail and in-app per event, digest, quiet hours' })
  @ApiOkResponse({ type: NotificationSettingsDto })
  @ApiErrors()
  getNotificationSettings(@CurrentPrincipal() principal: Principal): Promise<NotificationSettingsDto> {
    return this.settings.getNotifications(principal.workspaceId);
  }

  @Put('notifications')
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({ summary: 'Change notification settings: a partial update, answers the whole section' })
  @ApiOkResponse({ type: NotificationSettingsDto })
  @ApiErrors(400)
  updateNotificationSettings(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateNotificationSettingsDto,
  ): Promise<NotificationSettingsDto> {
    return this.settings.updateNotifications(principal, dto);
  }

  @Get('scheduling')
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({ summary: 'Scheduling settings: time zone, working days and hours, posting slots' })
  @ApiOkResponse({ type: SchedulingSettingsDto })
  @ApiErrors()
  getSchedulingSettings(@CurrentPrincipal() principal: Principal): Promise<SchedulingSettingsDto> {
    return this.settings.getScheduling(principal.workspaceId);
  }

  @Put('scheduling')
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({ summary: 'Change scheduling settings: working hours start before they end' })
  @ApiOkResponse({ type: SchedulingSettingsDto })
  @ApiErrors(400)
  updateSchedulingSettings(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateSchedulingSettingsDto,
  ): Promise<SchedulingSettingsDto> {
    return this.settings.updateScheduling(principal, dto);
  }
}
