import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AiChatRequest, AiChatResult, AiService, AiStreamEvent } from '@crescendo/ai';
import { AppException, Principal } from '@crescendo/platform';
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

const DAY_MS = 86_400_000;

/** The AI generation tools of seeds 000/001 on top of AiService. */
@Injectable()
export class AiToolsService {
  constructor(
    private readonly ai: AiService,
    private readonly quota: AiQuotaService,
    @InjectDataSource() private readonly db: DataSource,
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
    const currency = dto.currency ?? (await this.mainCurrency(workspaceId));
    const figures = await this.pricingFigures(workspaceId, currency, periodDays);
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

  /** The currency most of the workspace's subscribers pay in (then earnings), else USD. */
  private async mainCurrency(workspaceId: string): Promise<string> {
    const [row] = await this.db.query<{ currency: string }[]>(
      `SELECT currency FROM (
          SELECT currency, count(*) AS n, 0 AS rank FROM subscribers WHERE workspace_id = $1 GROUP BY currency
          UNION ALL
          SELECT currency, count(*) AS n, 1 AS rank FROM earnings WHERE workspace_id = $1 GROUP BY currency
        ) c ORDER BY rank, n DESC, currency LIMIT 1`,
      [workspaceId],
    );
    return row?.currency ?? 'USD';
  }

  /** Subscriber and earnings figures of one currency, all computed in SQL. */
  async pricingFigures(workspaceId: string, currency: string, periodDays: number): Promise<PricingFiguresDto> {
    const since = new Date(Date.now() - periodDays * DAY_MS);
    const [subs] = await this.db.query<Record<string, string | null>[]>(
      `SELECT count(*) AS total,
              count(*) FILTER (WHERE status = 'active') AS active,
              count(*) FILTER (WHERE status = 'expired') AS expired,
              count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
              count(*) FILTER (WHERE status = 'paused') AS paused,
              count(*) FILTER (WHERE subscribed_since >= $3) AS new_in_period,
              coalesce(sum(monthly_price) FILTER (WHERE status = 'active'), 0) AS mrr,
              round(avg(monthly_price) FILTER (WHERE status = 'active')) AS average_price,
              min(monthly_price) FILTER (WHERE status = 'active') AS min_price,
              max(monthly_price) FILTER (WHERE status = 'active') AS max_price
         FROM subscribers WHERE workspace_id = $1 AND currency = $2`,
      [workspaceId, currency, since],
    );
    const distribution = await this.db.query<{ price: number; subscribers: string }[]>(
      `SELECT monthly_price AS price, count(*) AS subscribers
         FROM subscribers WHERE workspace_id = $1 AND currency = $2 AND status = 'active'
        GROUP BY monthly_price ORDER BY count(*) DESC, monthly_price LIMIT 10`,
      [workspaceId, currency],
    );
    const byType = await this.db.query<{ type: string; amount: string; count: string }[]>(
      `SELECT type, sum(amount) AS amount, count(*) AS count
         FROM earnings WHERE workspace_id = $1 AND currency = $2 AND occurred_at >= $3
        GROUP BY type ORDER BY type`,
      [workspaceId, currency, since],
    );
    const [paying] = await this.db.query<{ paying: string }[]>(
      `SELECT count(DISTINCT subscriber_id) AS paying
         FROM earnings WHERE workspace_id = $1 AND currency = $2 AND occurred_at >= $3 AND amount > 0`,
      [workspaceId, currency, since],
    );
    const num = (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v));
    const periodEarnings = byType.reduce((sum, r) => sum + Number(r.amount), 0);
    const payingSubscribers = Number(paying.paying);
    return {
      subscribers: {
        total: Number(subs.total),
        active: Number(subs.active),
        expired: Number(subs.expired),
        cancelled: Number(subs.cancelled),
        paused: Number(subs.paused),
        newInPeriod: Number(subs.new_in_period),
      },
      mrr: Number(subs.mrr),
      averagePrice: num(subs.average_price),
      minPrice: num(subs.min_price),
      maxPrice: num(subs.max_price),
      priceDistribution: distribution.map((d) => ({ price: Number(d.price), subscribers: Number(d.subscribers) })),
      periodEarnings,
      earningsByType: byType.map((r) => ({ type: r.type, amount: Number(r.amount), count: Number(r.count) })),
      payingSubscribers,
      revenuePerPayingSubscriber: payingSubscribers ? Math.round(periodEarnings / payingSubscribers) : null,
    };
  }
}
