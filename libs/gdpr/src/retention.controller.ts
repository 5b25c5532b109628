import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RequirePermissions } from '@crescendo/platform';
import { RetentionResponseDto, UpdateRetentionDto } from './gdpr.dto';
import { RetentionService } from './retention.service';

@ApiTags('gdpr')
@Controller('gdpr/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Get()
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({ summary: 'The workspace’s retention windows (null: kept until deleted)' })
  @ApiOkResponse({ type: RetentionResponseDto })
  getRetention(@CurrentPrincipal() principal: Principal): Promise<RetentionResponseDto> {
    return this.retention.get(principal.workspaceId);
  }

  @Put()
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({
    summary: 'Set retention windows (days, 1–3650; null: keep); a nightly job removes what they no longer allow',
    description: 'Fields left out stay as they are. What each nightly pass removed is in the audit log.',
  })
  @ApiOkResponse({ type: RetentionResponseDto })
  @ApiErrors(400)
  updateRetention(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateRetentionDto,
  ): Promise<RetentionResponseDto> {
    return this.retention.update(principal, dto);
  }
}
