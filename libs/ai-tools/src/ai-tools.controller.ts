import { Body, Controller, Get, Header, Post, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RateLimit, RequirePermissions } from '@crescendo/platform';
import { AcceptsJob, JobAcceptedResponseDto, RespondAsync } from '@crescendo/jobs';
import { AiJobsService } from './ai-jobs.service';
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
const asJob =
  'With `Prefer: respond-async` the request is queued as a job and answered 202 (job id, statusUrl, Location); ' +
  'GET /api/jobs/:id (or its /events) then gives the 200 body as the job’s `result`, or the AI error’s code ' +
  'and message as its `error` (4xx at once, 5xx after the retries). Input errors are still answered at once.';

@ApiTags('ai-tools')
@Controller('content-ideas')
export class ContentIdeasController {
  constructor(private readonly jobs: AiJobsService) {}

  @Post('generate')
  @RequirePermissions(Permission.ChatUse)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Content ideas fitted to a creator profile (count 1–20, default 5)',
    description: `The model answers structured JSON, validated (asked once more when invalid). ${aiErrors} ${asJob}`,
  })
  @RespondAsync(ContentIdeasResponseDto)
  @ApiErrors(400, 502, 503, 504)
  generateContentIdeas(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: GenerateContentIdeasDto,
  ): Promise<ContentIdeasResponseDto | JobAcceptedResponseDto> {
    return this.jobs.perform(call, 'content-ideas', dto);
  }
}

@ApiTags('ai-tools')
@Controller('ai-assistant')
export class AiAssistantController {
  constructor(private readonly jobs: AiJobsService) {}

  @Post('generate')
  @RequirePermissions(Permission.ChatUse)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Free prompt to the AI assistant; stream: true answers text/event-stream',
    description:
      'Streaming: `event: delta` with `{content}` per piece, then `event: done` with `{content, meta}` (usage, ' +
      'cost, duration); a failure after the first byte is an `event: error` with `{code, message, requestId}`. ' +
      `Errors before the stream starts are JSON. ${aiErrors} ${asJob} A stream ignores Prefer: respond-async.`,
  })
  @Header('X-Accel-Buffering', 'no') // proxies must pass SSE deltas through as they come
  @ApiProduces('application/json', 'text/event-stream')
  @RespondAsync(AssistantGenerateResponseDto)
  @ApiErrors(400, 502, 503, 504)
  generateWithAssistant(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: AssistantGenerateDto,
  ): Promise<AssistantGenerateResponseDto | StreamableFile | JobAcceptedResponseDto> {
    return this.jobs.perform(call, 'assistant.generate', dto);
  }

  @Post('tools/content-ideas')
  @RequirePermissions(Permission.ChatUse)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'The assistant’s content ideas tool (same body and answer as POST /api/content-ideas/generate)',
    description: `${aiErrors} ${asJob}`,
  })
  @RespondAsync(ContentIdeasResponseDto)
  @ApiErrors(400, 502, 503, 504)
  generateAssistantContentIdeas(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: GenerateContentIdeasDto,
  ): Promise<ContentIdeasResponseDto | JobAcceptedResponseDto> {
    return this.jobs.perform(call, 'assistant.content-ideas', dto);
  }

  @Post('tools/message-generator')
  @RequirePermissions(Permission.ChatUse)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'A personalised message from a template, a recipient and a context',
    description:
      'Placeholders ({{name}}, {{firstName}}, {{handle}}, {{tier}}, and `variables`) are filled before the model ' +
      `rewrites the message; one without a value is a 400 MESSAGE_TEMPLATE_VARIABLE_MISSING. ${aiErrors} ${asJob}`,
  })
  @RespondAsync(GeneratedMessageResponseDto)
  @ApiErrors(400, 502, 503, 504)
  generatePersonalisedMessage(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: GenerateMessageDto,
  ): Promise<GeneratedMessageResponseDto | JobAcceptedResponseDto> {
    return this.jobs.perform(call, 'assistant.message', dto);
  }

  @Post('tools/pricing-optimizer')
  @RequirePermissions(Permission.ChatUse, Permission.LeadsRead)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Price recommendations from the workspace’s subscribers and earnings, with the model’s reasoning',
    description:
      'The figures (subscriber counts, MRR, price distribution, earnings by type over the period) are computed ' +
      `from the workspace's data in one currency and given to the model; the answer carries both. ${aiErrors} ` +
      asJob,
  })
  @RespondAsync(PricingOptimizationResponseDto)
  @ApiErrors(400, 502, 503, 504)
  optimizePricing(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: OptimizePricingDto,
  ): Promise<PricingOptimizationResponseDto | JobAcceptedResponseDto> {
    return this.jobs.perform(call, 'assistant.pricing', dto);
  }
}

@ApiTags('ai-tools')
@ApiExtraModels(AiGeneratedContentResponseDto) // the job's result: named in the document for clients
@Controller('content/ai-generate')
export class ContentAiGenerateController {
  constructor(
    private readonly tools: AiToolsService,
    private readonly jobs: AiJobsService,
  ) {}

  @Post()
  @RequirePermissions(Permission.ChatUse)
  @RateLimit('ai')
  @ApiOperation({
    summary: 'Generate content (caption, post, message…) against the workspace’s monthly AI quota, as a job',
    description:
      'Answers 202 at once with the job (statusUrl, Location); GET /api/jobs/:id (or its /events) gives, once ' +
      'COMPLETED, `result` = `{success, data: {type, content, quota}, meta}` (AiGeneratedContentResponseDto), ' +
      'or FAILED with the AI error’s code and message (5xx errors are retried with backoff first). One unit of ' +
      'the month’s quota (by plan: AI_QUOTA_FREE, AI_QUOTA_PRO, AI_QUOTA_ENTERPRISE; reset on the 1st, UTC) is ' +
      'reserved when the job is queued and given back if it finally fails; retries use no more. Used up: 402 ' +
      `AI_QUOTA_EXCEEDED at once, with the limit, used and reset date in details. Input errors, an unknown ` +
      `provider or model, and a missing AI configuration are answered at once too. The job's error codes: ${aiErrors}`,
  })
  @AcceptsJob('Queued: the job’s result will be an AiGeneratedContentResponseDto')
  @ApiResponse({ status: 402, description: 'AI_QUOTA_EXCEEDED', type: AiQuotaExceededResponseDto })
  @ApiErrors(400, 503)
  generateAiContent(
    @CurrentAiToolCall() call: AiToolCall,
    @Body() dto: AiGenerateContentDto,
  ): Promise<JobAcceptedResponseDto> {
    return this.jobs.submit(call, 'content.generate', dto);
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
