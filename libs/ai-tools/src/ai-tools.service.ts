import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable, StreamableFile } from '@nestjs/common';
import { AiChatRequest, AiChatResult, AiService, AiStreamEvent } from '@crescendo/ai';
import { AppException, Principal } from '@crescendo/platform';
import { SubscriberLookupsService } from '@crescendo/subscribers';
import { AiQuotaService } from './ai-quota.service';
import {
  AiGenerateContentDto,
  AiGeneratedContentResponseDto,
  AiQuotaResponseDto,
  AiToolMetaDto,
  AssistantGenerateDto,
  AssistantGenerateResponseDto,
  ContentIdeasResponseDto,
  GenerateContentIdeasDto,
  GenerateMessageDto,
  GeneratedMessageResponseDto,
  OptimizePricingDto,
  PricingFiguresDto,
  PricingOptimizationResponseDto,
  PricingRecommendationDto,
  ResolvedIdeasOptionsDto,
} from './ai-tools.dto';
import {
  contentMessages,
  creativityTemperature,
  fillTemplate,
  ideasMessages,
  ideasSchema,
  messageMessages,
  messageSchema,
  ModelIdea,
  pricingMessages,
  pricingSchema,
} from './ai-tools.prompts';

/**
 * Who asks, for which request: the envelope's meta and the abort signal of a client that leaves. In the
 * worker (a tracked job) it is rebuilt from the job: the queuing request's id, the attempt's start.
 */
export interface AiToolCall {
  workspaceId: string;
  /** null for an API key. */
  userId: string | null;
  requestId: string;
  signal: AbortSignal;
  started: number;
  /** The caller asked `Prefer: respond-async` (a job instead of waiting). */
  respondAsync: boolean;
}

/** The AI generation tools on top of AiService. */
@Injectable()
export class AiToolsService {
  constructor(
    private readonly ai: AiService,
    private readonly quota: AiQuotaService,
    private readonly subscribers: SubscriberLookupsService,
  ) {}

  async contentIdeas(
    call: AiToolCall,
    dto: GenerateContentIdeasDto,
    feature: string,
  ): Promise<ContentIdeasResponseDto> {
    const o = dto.options ?? {};
    const options: ResolvedIdeasOptionsDto = {
      count: o.count ?? 5,
      creativity: o.creativity ?? 'balanced',
      includeHashtags: o.includeHashtags ?? true,
      includeCaptions: o.includeCaptions ?? true,
      targetPlatforms: o.targetPlatforms ?? ['onlyfans'],
    };
    const result = await this.ai.structured<{ ideas: ModelIdea[] }>(
      this.request(call, dto, {
        messages: ideasMessages(dto.creatorProfile, options),
        temperature: creativityTemperature[options.creativity],
        feature,
      }),
      { name: 'content_ideas', schema: ideasSchema(options, dto.creatorProfile.contentTypes) },
    );
    const generatedAt = new Date().toISOString();
    const ideas = result.data.ideas.map(({ caption, hashtags, ...idea }) => ({
      id: randomUUID(),
      ...idea,
      contentType: idea.contentType as ContentIdeasResponseDto['data']['ideas'][number]['contentType'],
      platform: idea.platform as ContentIdeasResponseDto['data']['ideas'][number]['platform'],
      ...(options.includeCaptions && caption ? { caption } : {}),
      ...(options.includeHashtags ? { hashtags } : {}),
      generatedAt,
    }));
    return {
      success: true,
      data: {
        ideas,
        metadata: { generatedAt, count: ideas.length, profile: dto.creatorProfile.id, options },
      },
      meta: this.meta(call, result),
    };
  }

  /** JSON, or (stream: true) a text/event-stream of `delta` events then one `done` event with the meta. */
  async assistantGenerate(
    call: AiToolCall,
    dto: AssistantGenerateDto,
  ): Promise<AssistantGenerateResponseDto | StreamableFile> {
    const request = this.request(call, dto, {
      messages: [
        ...(dto.systemPrompt ? [{ role: 'system' as const, content: dto.systemPrompt }] : []),
        { role: 'user', content: dto.prompt },
      ],
      temperature: dto.temperature ?? 0.7,
      maxTokens: dto.maxTokens,
      feature: 'assistant:generate',
    });
    if (!dto.stream) {
      const result = await this.ai.chat(request);
      return { success: true, data: { content: result.content }, meta: this.meta(call, result) };
    }
    // Resolves once the provider accepted: its errors are still JSON answers.
    const stream = await this.ai.chatStream(request);
    return new StreamableFile(Readable.from(this.sse(call, stream)), { type: 'text/event-stream' });
  }

  async generateMessage(call: AiToolCall, dto: GenerateMessageDto): Promise<GeneratedMessageResponseDto> {
    const { filled, used } = fillTemplate(dto);
    const ctx = {
      purpose: dto.context?.purpose ?? 'custom',
      tone: dto.context?.tone ?? 'friendly',
      language: dto.context?.language ?? 'en',
      maxLength: dto.context?.maxLength ?? 500,
    };
    const result = await this.ai.structured<{ message: string }>(
      this.request(call, dto, {
        messages: messageMessages(dto, filled, ctx),
        temperature: 0.7,
        feature: 'assistant:message',
      }),
      { name: 'personalised_message', schema: messageSchema(ctx.maxLength) },
    );
    return {
      success: true,
      data: {
        message: result.data.message,
        filledTemplate: filled,
        variables: used,
        purpose: ctx.purpose,
        tone: ctx.tone,
      },
      meta: this.meta(call, result),
    };
  }

  async optimizePricing(call: AiToolCall, dto: OptimizePricingDto): Promise<PricingOptimizationResponseDto> {
    const workspaceId = call.workspaceId;
    const periodDays = dto.periodDays ?? 90;
    const goal = dto.goal ?? 'maximize_revenue';
    const currency = dto.currency ?? (await this.subscribers.mainCurrency(workspaceId));
    const figures: PricingFiguresDto = await this.subscribers.pricingFigures(workspaceId, currency, periodDays);
    const result = await this.ai.structured<PricingRecommendationDto>(
      this.request(call, dto, {
        messages: pricingMessages(figures, { currency, goal, periodDays, notes: dto.notes }),
        temperature: 0.3,
        feature: 'assistant:pricing',
      }),
      { name: 'pricing_recommendation', schema: pricingSchema },
    );
    return {
      success: true,
      data: { currency, goal, periodDays, figures, recommendation: result.data },
      meta: this.meta(call, result),
    };
  }

  /** The generation itself: the quota unit was reserved when the job was queued (see AiJobsService). */
  async generateContent(call: AiToolCall, dto: AiGenerateContentDto): Promise<AiGeneratedContentResponseDto> {
    const result = await this.ai.chat(
      this.request(call, dto, { messages: contentMessages(dto), temperature: 0.8, feature: `content:${dto.type}` }),
    );
    return {
      success: true,
      data: { type: dto.type, content: result.content, quota: await this.quota.read(call.workspaceId) },
      meta: this.meta(call, result),
    };
  }

  async readQuota(principal: Principal): Promise<AiQuotaResponseDto> {
    return { success: true, data: await this.quota.read(principal.workspaceId) };
  }

  private request(
    call: AiToolCall,
    choice: { provider?: string; model?: string },
    rest: Pick<AiChatRequest, 'messages' | 'temperature' | 'maxTokens' | 'feature'>,
  ): AiChatRequest {
    return {
      workspaceId: call.workspaceId,
      userId: call.userId,
      provider: choice.provider,
      model: choice.model,
      signal: call.signal,
      ...rest,
    };
  }

  private meta(call: AiToolCall, result: AiChatResult): AiToolMetaDto {
    return {
      requestId: call.requestId,
      timestamp: new Date().toISOString(),
      duration: Date.now() - call.started,
      provider: result.provider,
      model: result.model,
      usage: result.usage,
      costUsd: result.costUsd,
    };
  }

  private async *sse(call: AiToolCall, stream: AsyncIterable<AiStreamEvent>): AsyncGenerator<string> {
    const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    try {
      for await (const e of stream) {
        if (e.type === 'delta') yield event('delta', { content: e.content });
        else yield event('done', { content: e.content, meta: this.meta(call, e) });
      }
    } catch (error) {
      // Headers are gone: the failure is told in the stream.
      const known = error instanceof AppException;
      yield event('error', {
        code: known ? error.code : 'AI_STREAM_FAILED',
        message: known ? error.message : 'The AI stream failed',
        requestId: call.requestId,
      });
    }
  }
}
