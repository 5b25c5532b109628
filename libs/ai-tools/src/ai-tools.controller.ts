import { Body, Controller, Get, Header, HttpCode, Post, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RateLimit, RequirePermissions } from '@crescendo/platform';
import { CurrentAiToolCall } from './ai-tool-call.decorator';
import {
  AiGenerateContentDto,
  AiGeneratedContentResponseDto,
  AiQuotaExceededResponseDto,
  AiQuotaResponseDto,
  AssistantGenerateDto,
  AssistantGenerateResponseDto,
  ContentIdeasResponseDto,
  GenerateContentIdeasDto,
  GenerateMessageDto,
  GeneratedMessageResponseDto,
  OptimizePricingDto,
  PricingOptimizationResponseDto,
} from './ai-tools.dto';
import { AiToolCall, AiToolsService } from './ai-tools.service';

const aiErrors =
  'AI errors: 503 AI_PROVIDER_NOT_CONFIGURED / AI_PROVIDER_UNAVAILABLE, 502 AI_PROVIDER_ERROR / AI_INVALID_OUTPUT ' +
  '(the answer failed validation twice), 504 AI_PROVIDER_TIMEOUT, 400 AI_PROVIDER_UNKNOWN / AI_MODEL_UNKNOWN.';

@ApiTags('ai-tools')
@Controller('content-ideas')
export class ContentIdeasController {
  constructor(private readonly tools: AiToolsService) {}

  @Post('generate')
  @HttpCode(200)
  @RequirePermissions(Permission.ChatUse)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Content ideas fitted to a creator profile (count 1–20, default 5)',
    description: `The model answers structured JSON, validated (asked once more when invalid). ${aiErrors}`,
  })
  @ApiOkResponse({ type: ContentIdeasResponseDto })
  @ApiErrors(400, 502, 503, 504)
  generateContentIdeas(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: GenerateContentIdeasDto,
  ): Promise<ContentIdeasResponseDto> {
    return this.tools.contentIdeas(call, dto, 'content:ideas');
  }
}

@ApiTags('ai-tools')
@Controller('ai-assistant')
export class AiAssistantController {
  constructor(private readonly tools: AiToolsService) {}

  @Post('generate')
  @HttpCode(200)
  @RequirePermissions(Permission.ChatUse)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Free prompt to the AI assistant; stream: true answers text/event-stream',
    description:
      'Streaming: `event: delta` with `{content}` per piece, then `event: done` with `{content, meta}` (usage, ' +
      'cost, duration); a failure after the first byte is an `event: error` with `{code, message, requestId}`. ' +
      `Errors before the stream starts are JSON. ${aiErrors}`,
  })
  @Header('Cache-Control', 'no-store')
  @Header('X-Accel-Buffering', 'no') // proxies must pass SSE deltas through as they come
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: AssistantGenerateResponseDto })
  @ApiErrors(400, 502, 503, 504)
  generateWithAssistant(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: AssistantGenerateDto,
  ): Promise<AssistantGenerateResponseDto | StreamableFile> {
    return this.tools.assistantGenerate(call, dto);
  }

  @Post('tools/content-ideas')
  @HttpCode(200)
  @RequirePermissions(Permission.ChatUse)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'The assistant’s content ideas tool (same body and answer as POST /api/content-ideas/generate)',
    description: aiErrors,
  })
  @ApiOkResponse({ type: ContentIdeasResponseDto })
  @ApiErrors(400, 502, 503, 504)
  generateAssistantContentIdeas(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: GenerateContentIdeasDto,
  ): Promise<ContentIdeasResponseDto> {
    return this.tools.contentIdeas(call, dto, 'assistant:content-ideas');
  }

  @Post('tools/message-generator')
  @HttpCode(200)
  @RequirePermissions(Permission.ChatUse)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'A personalised message from a template, a recipient and a context',
    description:
      'Placeholders ({{name}}, {{firstName}}, {{handle}}, {{tier}}, and `variables`) are filled before the model ' +
      `rewrites the message; one without a value is a 400 MESSAGE_TEMPLATE_VARIABLE_MISSING. ${aiErrors}`,
  })
  @ApiOkResponse({ type: GeneratedMessageResponseDto })
  @ApiErrors(400, 502, 503, 504)
  generatePersonalisedMessage(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: GenerateMessageDto,
  ): Promise<GeneratedMessageResponseDto> {
    return this.tools.generateMessage(call, dto);
  }

  @Post('tools/pricing-optimizer')
  @HttpCode(200)
  @RequirePermissions(Permission.ChatUse, Permission.LeadsRead)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Price recommendations from the workspace’s subscribers and earnings, with the model’s reasoning',
    description:
      'The figures (subscriber counts, MRR, price distribution, earnings by type over the period) are computed ' +
      `from the workspace's data in one currency and given to the model; the answer carries both. ${aiErrors}`,
  })
  @ApiOkResponse({ type: PricingOptimizationResponseDto })
  @ApiErrors(400, 502, 503, 504)
  optimizePricing(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: OptimizePricingDto,
  ): Promise<PricingOptimizationResponseDto> {
    return this.tools.optimizePricing(call, dto);
  }
}

@ApiTags('ai-tools')
@Controller('content/ai-generate')
export class ContentAiGenerateController {
  constructor(private readonly tools: AiToolsService) {}

  @Post()
  @HttpCode(200)
  @RequirePermissions(Permission.ChatUse)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Generate content (caption, post, message…) against the workspace’s monthly AI quota',
    description:
      'Each success uses one unit of the month’s quota (by plan: AI_QUOTA_FREE, AI_QUOTA_PRO, AI_QUOTA_ENTERPRISE; ' +
      'reset on the 1st, UTC); a failed generation gives it back. Used up: 402 AI_QUOTA_EXCEEDED with the limit, ' +
      `used and reset date in details. ${aiErrors}`,
  })
  @ApiOkResponse({ type: AiGeneratedContentResponseDto })
  @ApiResponse({ status: 402, description: 'AI_QUOTA_EXCEEDED', type: AiQuotaExceededResponseDto })
  @ApiErrors(400, 502, 503, 504)
  generateAiContent(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: AiGenerateContentDto,
  ): Promise<AiGeneratedContentResponseDto> {
    return this.tools.generateContent(call, dto);
  }

  @Get('quota')
  @RequirePermissions(Permission.ContentRead)
  @ApiOperation({ summary: 'The workspace’s monthly AI generation quota: plan, limit, used, remaining, reset date' })
  @ApiOkResponse({ type: AiQuotaResponseDto })
  @ApiErrors()
  getAiQuota(@CurrentPrincipal() principal: Principal): Promise<AiQuotaResponseDto> {
    return this.tools.readQuota(principal);
  }
}
