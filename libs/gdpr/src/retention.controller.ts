import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RequirePermissions } from '@crescendo/platform';
import { AiPrivacySettingsDto, RetentionResponseDto, UpdateAiPrivacySettingsDto, UpdateRetentionDto } from './gdpr.dto';
import { RetentionService } from './retention.service';
import { SubjectConsentService } from './subject-consent.service';

@ApiTags('gdpr')
@Controller('gdpr/ai-privacy')
export class AiPrivacyController {
  constructor(private readonly consents: SubjectConsentService) {}

  @Get()
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({ summary: 'What the workspace lets reach an AI provider' })
  @ApiOkResponse({ type: AiPrivacySettingsDto })
  getAiPrivacy(@CurrentPrincipal() principal: Principal): Promise<AiPrivacySettingsDto> {
    return this.consents.aiSettings(principal.workspaceId);
  }

  @Put()
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({
    summary: 'Turn identifier redaction off or on; require consent to AI processing',
    description: 'Fields left out stay as they are. Redaction is on by default; consent is not required by default.',
  })
  @ApiOkResponse({ type: AiPrivacySettingsDto })
  @ApiErrors(400)
  updateAiPrivacy(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: UpdateAiPrivacySettingsDto,
  ): Promise<AiPrivacySettingsDto> {
    return this.consents.updateAiSettings(principal, dto);
  }
}

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
