import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RequirePermissions } from '@crescendo/platform';
import { AiProviderRegistry } from './ai-provider.registry';
import { AiProvidersResponseDto, AiUsageQueryDto, AiUsageResponseDto } from './ai.dto';
import { AiUsageService } from './ai-usage.service';

@ApiTags('ai')
@Controller('ai')
export class AiController {
  constructor(
    private readonly registry: AiProviderRegistry,
    private readonly usage: AiUsageService,
  ) {}

  @Get('providers')
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({
    summary: 'The AI providers clients may choose by name, with their models and circuit breaker state (never a key)',
  })
  @ApiOkResponse({ type: AiProvidersResponseDto })
  @ApiErrors()
  listAiProviders(): AiProvidersResponseDto {
    return { data: this.registry.list() };
  }

  @Get('usage')
  @RequirePermissions(Permission.AnalyticsRead)
  @ApiOperation({
    summary: 'AI usage and cost of the workspace over a period: totals by provider, model and feature, and the calls',
    description: 'Default period: the last 30 days. Cached calls cost 0; failed calls are counted in errors.',
  })
  @ApiOkResponse({ type: AiUsageResponseDto })
  @ApiErrors(400)
  getAiUsage(@CurrentPrincipal() principal: Principal, @Query() query: AiUsageQueryDto): Promise<AiUsageResponseDto> {
    return this.usage.summary(principal.workspaceId, query);
  }
}
