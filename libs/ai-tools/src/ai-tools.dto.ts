import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ErrorDetailDto, ErrorResponseDto } from '@crescendo/platform';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const upperTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

// ---------- Shared: the documented envelope's meta ----------

export class AiTokenUsageDto {
  @ApiProperty({ example: 420 }) inputTokens: number;
  @ApiProperty({ example: 180 }) outputTokens: number;
}

export class AiToolMetaDto {
  @ApiProperty({ example: '5b3c9a1e-2f0e-4a43-9d53-8d7b7a3f5a10', description: 'The request id (X-Request-Id)' })
  requestId: string;
  @ApiProperty({ type: String, format: 'date-time' }) timestamp: string;
  @ApiProperty({ example: 1234, description: 'Time spent answering, in ms' }) duration: number;
  @ApiProperty({ example: 'GPT-4', description: 'The AI provider that answered' }) provider: string;
  @ApiProperty({ example: 'gpt-4o' }) model: string;
  @ApiProperty({ type: AiTokenUsageDto }) usage: AiTokenUsageDto;
  @ApiProperty({ example: 0.0018, description: 'USD; 0 when served from the cache' }) costUsd: number;
}

/** Which provider/model answers (AI_PROVIDERS names; default: the first provider and its default model). */
class AiChoiceDto {
  @ApiPropertyOptional({ example: 'GPT-4', description: 'An AI provider name (GET /api/ai/providers)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  provider?: string;

  @ApiPropertyOptional({ example: 'gpt-4o', description: 'One of the provider’s models' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  model?: string;
}

// ---------- Content ideas ----------

export const contentTypes = ['photo', 'video', 'story', 'live'] as const;
export type ContentType = (typeof contentTypes)[number];
export const ideaPlatforms = ['onlyfans', 'instagram', 'tiktok'] as const;
export type IdeaPlatform = (typeof ideaPlatforms)[number];
export const creativities = ['conservative', 'balanced', 'creative'] as const;
export type Creativity = (typeof creativities)[number];
export const difficulties = ['easy', 'medium', 'hard'] as const;

export class PerformanceHistoryDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    maxItems: 20,
    description: 'Free-form descriptions of the best performing posts',
  })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  topPerformingContent?: Record<string, unknown>[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { bestDay: 'friday' } })
  @IsOptional()
  @IsObject()
  engagementPatterns?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { cosplay: 1200, fitness: 300 },
  })
  @IsOptional()
  @IsObject()
  revenueByCategory?: Record<string, number>;
}

export class CreatorConstraintsDto {
  @ApiPropertyOptional({ type: [String], example: ['ring light', 'phone'] })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  equipment?: string[];

  @ApiPropertyOptional({ type: [String], example: ['home studio'] })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  location?: string[];

  @ApiPropertyOptional({ example: '5 hours a week', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  timeAvailability?: string;
}

export class CreatorProfileDto {
  @ApiProperty({ example: 'creator-42', maxLength: 100, description: 'The client’s id of the profile' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  id: string;

  @ApiProperty({ type: [String], example: ['fitness', 'cosplay'], minItems: 1, maxItems: 10 })
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  niche: string[];

  @ApiProperty({ enum: contentTypes, isArray: true, example: ['photo', 'video'], minItems: 1 })
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(contentTypes, { each: true })
  contentTypes: ContentType[];

  @ApiPropertyOptional({ type: [String], example: ['behind the scenes'], maxItems: 20 })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  audiencePreferences?: string[];

  @ApiPropertyOptional({ type: PerformanceHistoryDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PerformanceHistoryDto)
  performanceHistory?: PerformanceHistoryDto;

  @ApiPropertyOptional({ type: [String], example: ['grow subscribers'], maxItems: 10 })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  currentGoals?: string[];

  @ApiPropertyOptional({ type: CreatorConstraintsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreatorConstraintsDto)
  constraints?: CreatorConstraintsDto;
}

export class ContentIdeasOptionsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 20, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  count?: number;

  @ApiPropertyOptional({
    enum: creativities,
    default: 'balanced',
    description: 'The sampling temperature: 0.3, 0.7 or 1.0',
  })
  @IsOptional()
  @IsIn(creativities)
  creativity?: Creativity;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  includeHashtags?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  includeCaptions?: boolean;

  @ApiPropertyOptional({ enum: ideaPlatforms, isArray: true, default: ['onlyfans'] })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ideaPlatforms, { each: true })
  targetPlatforms?: IdeaPlatform[];
}

export class GenerateContentIdeasDto extends AiChoiceDto {
  @ApiProperty({ type: CreatorProfileDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CreatorProfileDto)
  creatorProfile: CreatorProfileDto;

  @ApiPropertyOptional({ type: ContentIdeasOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContentIdeasOptionsDto)
  options?: ContentIdeasOptionsDto;
}

export class ContentIdeaDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Gym morning routine, unfiltered' }) title: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: contentTypes }) contentType: ContentType;
  @ApiProperty({ enum: ideaPlatforms }) platform: IdeaPlatform;
  @ApiProperty({ example: 'carousel', description: 'Format on the platform (carousel, reel, PPV message…)' })
  format: string;
  @ApiProperty({ example: 7.5, description: 'Expected engagement rate, %' }) estimatedEngagement: number;
  @ApiProperty({ example: 250, description: 'Expected revenue, in the workspace’s main currency units' })
  estimatedRevenue: number;
  @ApiProperty({ enum: difficulties }) difficulty: 'easy' | 'medium' | 'hard';
  @ApiProperty({ example: '2 hours' }) timeRequired: string;
  @ApiPropertyOptional({ description: 'When options.includeCaptions' }) caption?: string;
  @ApiPropertyOptional({ type: [String], description: 'When options.includeHashtags' }) hashtags?: string[];
  @ApiProperty({ type: [String] }) tips: string[];
  @ApiProperty({ type: String, format: 'date-time' }) generatedAt: string;
}

export class ResolvedIdeasOptionsDto {
  @ApiProperty({ example: 5 }) count: number;
  @ApiProperty({ enum: creativities }) creativity: Creativity;
  @ApiProperty() includeHashtags: boolean;
  @ApiProperty() includeCaptions: boolean;
  @ApiProperty({ enum: ideaPlatforms, isArray: true }) targetPlatforms: IdeaPlatform[];
}

export class ContentIdeasMetadataDto {
  @ApiProperty({ type: String, format: 'date-time' }) generatedAt: string;
  @ApiProperty({ example: 5 }) count: number;
  @ApiProperty({ example: 'creator-42', description: 'creatorProfile.id' }) profile: string;
  @ApiProperty({ type: ResolvedIdeasOptionsDto, description: 'The options applied (defaults filled in)' })
  options: ResolvedIdeasOptionsDto;
}

export class ContentIdeasDataDto {
  @ApiProperty({ type: [ContentIdeaDto] }) ideas: ContentIdeaDto[];
  @ApiProperty({ type: ContentIdeasMetadataDto }) metadata: ContentIdeasMetadataDto;
}

export class ContentIdeasResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: ContentIdeasDataDto }) data: ContentIdeasDataDto;
  @ApiProperty({ type: AiToolMetaDto }) meta: AiToolMetaDto;
}

// ---------- Free prompt ----------

export class AssistantGenerateDto extends AiChoiceDto {
  @ApiProperty({ minLength: 1, maxLength: 8000, example: 'Write a teaser for Friday’s live' })
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  prompt: string;

  @ApiPropertyOptional({ maxLength: 4000, description: 'Instructions sent as the system message' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  systemPrompt?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 2, default: 0.7 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 4096 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4096)
  maxTokens?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'true: answer text/event-stream (`delta` events, then one `done` event with meta)',
  })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;
}

export class AssistantGenerateDataDto {
  @ApiProperty({ example: 'Friday night, 9 pm: …' }) content: string;
}

export class AssistantGenerateResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: AssistantGenerateDataDto }) data: AssistantGenerateDataDto;
  @ApiProperty({ type: AiToolMetaDto }) meta: AiToolMetaDto;
}

// ---------- Message generator ----------

export const messagePurposes = [
  'welcome',
  'renewal',
  'upsell',
  're_engagement',
  'thank_you',
  'promotion',
  'custom',
] as const;
export const messageTones = ['friendly', 'flirty', 'playful', 'professional', 'casual'] as const;

export class MessageRecipientDto {
  @ApiProperty({ example: 'Jane Doe', maxLength: 200, description: 'Fills {{name}} and {{firstName}}' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'jane_doe', maxLength: 100, description: 'Fills {{handle}}' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  handle?: string;

  @ApiPropertyOptional({ example: 'VIP', maxLength: 50, description: 'Fills {{tier}}' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  tier?: string;

  @ApiPropertyOptional({ type: [String], example: ['cosplay'], maxItems: 20 })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  interests?: string[];

  @ApiPropertyOptional({ example: 4, minimum: 0, description: 'Months subscribed' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1200)
  monthsSubscribed?: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class MessageContextDto {
  @ApiPropertyOptional({ enum: messagePurposes, default: 'custom' })
  @IsOptional()
  @IsIn(messagePurposes)
  purpose?: (typeof messagePurposes)[number];

  @ApiPropertyOptional({ enum: messageTones, default: 'friendly' })
  @IsOptional()
  @IsIn(messageTones)
  tone?: (typeof messageTones)[number];

  @ApiPropertyOptional({ example: 'onlyfans', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  platform?: string;

  @ApiPropertyOptional({ example: '30% off the bundle this weekend', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  offer?: string;

  @ApiPropertyOptional({ example: 'Tipped on last night’s live', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  recentInteraction?: string;

  @ApiPropertyOptional({ example: 'en', default: 'en', description: 'Language of the message (BCP 47)' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'language must be a language tag (en, fr-FR)' })
  language?: string;

  @ApiPropertyOptional({ minimum: 20, maximum: 2000, default: 500, description: 'Characters at most' })
  @IsOptional()
  @IsInt()
  @Min(20)
  @Max(2000)
  maxLength?: number;
}

export class GenerateMessageDto extends AiChoiceDto {
  @ApiProperty({
    example: 'Hey {{firstName}}! Thanks for {{months}} months together 💕',
    maxLength: 4000,
    description:
      'Placeholders {{name}}, {{firstName}}, {{handle}}, {{tier}} come from the recipient, others from `variables`; ' +
      'one without a value is a 400 MESSAGE_TEMPLATE_VARIABLE_MISSING',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  template: string;

  @ApiProperty({ type: MessageRecipientDto })
  @IsObject()
  @ValidateNested()
  @Type(() => MessageRecipientDto)
  recipient: MessageRecipientDto;

  @ApiPropertyOptional({ type: MessageContextDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => MessageContextDto)
  context?: MessageContextDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { months: '6' },
    description: 'Extra placeholder values (names: letters, digits, _; values: 500 characters at most)',
  })
  @IsOptional()
  @IsObject()
  variables?: Record<string, string>;
}

export class GeneratedMessageDataDto {
  @ApiProperty({ description: 'The personalised message' }) message: string;
  @ApiProperty({ description: 'The template with its placeholders filled in, as given to the model' })
  filledTemplate: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The placeholder values used',
  })
  variables: Record<string, string>;
  @ApiProperty({ enum: messagePurposes }) purpose: string;
  @ApiProperty({ enum: messageTones }) tone: string;
}

export class GeneratedMessageResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: GeneratedMessageDataDto }) data: GeneratedMessageDataDto;
  @ApiProperty({ type: AiToolMetaDto }) meta: AiToolMetaDto;
}

// ---------- Pricing optimizer ----------

export const pricingGoals = ['maximize_revenue', 'grow_subscribers', 'reduce_churn'] as const;
export type PricingGoal = (typeof pricingGoals)[number];

export class OptimizePricingDto extends AiChoiceDto {
  @ApiPropertyOptional({
    example: 'USD',
    description: 'Currency of the figures (ISO 4217). Default: the currency most of the workspace’s subscribers pay in',
  })
  @IsOptional()
  @Transform(upperTrim)
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code (e.g. USD)' })
  currency?: string;

  @ApiPropertyOptional({ enum: pricingGoals, default: 'maximize_revenue' })
  @IsOptional()
  @IsIn(pricingGoals)
  goal?: PricingGoal;

  @ApiPropertyOptional({ minimum: 7, maximum: 365, default: 90, description: 'Days of earnings considered' })
  @IsOptional()
  @IsInt()
  @Min(7)
  @Max(365)
  periodDays?: number;

  @ApiPropertyOptional({ maxLength: 1000, description: 'Anything the model should know (new content, season…)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string;
}

export class SubscriberCountsDto {
  @ApiProperty() total: number;
  @ApiProperty() active: number;
  @ApiProperty() expired: number;
  @ApiProperty() cancelled: number;
  @ApiProperty() paused: number;
  @ApiProperty({ description: 'Subscribed within the period' }) newInPeriod: number;
}

export class PricePointCountDto {
  @ApiProperty({ example: 999, description: 'Monthly price, minor units' }) price: number;
  @ApiProperty({ example: 12 }) subscribers: number;
}

export class EarningsByTypeDto {
  @ApiProperty({ example: 'subscription' }) type: string;
  @ApiProperty({ description: 'Minor units (negative for refunds)' }) amount: number;
  @ApiProperty() count: number;
}

export class PricingFiguresDto {
  @ApiProperty({ type: SubscriberCountsDto }) subscribers: SubscriberCountsDto;
  @ApiProperty({ description: 'Sum of the active subscribers’ monthly prices, minor units' }) mrr: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Average active monthly price, minor units' })
  averagePrice: number | null;
  @ApiProperty({ type: Number, nullable: true }) minPrice: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxPrice: number | null;
  @ApiProperty({ type: [PricePointCountDto], description: 'Active subscribers by monthly price (10 most common)' })
  priceDistribution: PricePointCountDto[];
  @ApiProperty({ description: 'Net earnings of the period, minor units' }) periodEarnings: number;
  @ApiProperty({ type: [EarningsByTypeDto] }) earningsByType: EarningsByTypeDto[];
  @ApiProperty({ description: 'Distinct subscribers with earnings in the period' }) payingSubscribers: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Average net earnings per paying subscriber over the period, minor units',
  })
  revenuePerPayingSubscriber: number | null;
}

export class RecommendedPricePointDto {
  @ApiProperty({ example: 'Standard' }) label: string;
  @ApiProperty({ example: 1299, description: 'Monthly price, minor units' }) price: number;
  @ApiProperty({ example: 'Most current subscribers' }) audience: string;
  @ApiProperty() rationale: string;
}

export class PricingRecommendationDto {
  @ApiProperty({ example: 1299, description: 'Monthly price, minor units' }) recommendedPrice: number;
  @ApiProperty({ type: [RecommendedPricePointDto] }) pricePoints: RecommendedPricePointDto[];
  @ApiProperty({ description: 'The model’s reasoning from the figures' }) reasoning: string;
  @ApiProperty() expectedImpact: string;
  @ApiProperty({ enum: ['low', 'medium', 'high'] }) confidence: 'low' | 'medium' | 'high';
}

export class PricingOptimizationDataDto {
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ enum: pricingGoals }) goal: PricingGoal;
  @ApiProperty({ example: 90 }) periodDays: number;
  @ApiProperty({ type: PricingFiguresDto, description: 'Computed from the workspace’s subscribers and earnings' })
  figures: PricingFiguresDto;
  @ApiProperty({ type: PricingRecommendationDto }) recommendation: PricingRecommendationDto;
}

export class PricingOptimizationResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: PricingOptimizationDataDto }) data: PricingOptimizationDataDto;
  @ApiProperty({ type: AiToolMetaDto }) meta: AiToolMetaDto;
}

// ---------- Quota'd generation ----------

export const aiContentTypes = ['caption', 'post', 'message', 'bio', 'script', 'story', 'hashtags'] as const;
export const aiContentLengths = ['short', 'medium', 'long'] as const;

export class AiGenerateContentDto extends AiChoiceDto {
  @ApiProperty({ enum: aiContentTypes, example: 'caption' })
  @IsIn(aiContentTypes)
  type: (typeof aiContentTypes)[number];

  @ApiProperty({ minLength: 1, maxLength: 4000, example: 'Beach photoshoot, golden hour' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  prompt: string;

  @ApiPropertyOptional({ enum: messageTones, default: 'friendly' })
  @IsOptional()
  @IsIn(messageTones)
  tone?: (typeof messageTones)[number];

  @ApiPropertyOptional({ example: 'instagram', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  platform?: string;

  @ApiPropertyOptional({ enum: aiContentLengths, default: 'medium' })
  @IsOptional()
  @IsIn(aiContentLengths)
  length?: (typeof aiContentLengths)[number];
}

export class AiQuotaDto {
  @ApiProperty({ example: 'free', description: 'The workspace’s plan' }) plan: string;
  @ApiProperty({ example: 20, description: 'Generations a month (AI_QUOTA_FREE / _PRO / _ENTERPRISE)' })
  limit: number;
  @ApiProperty({ example: 3 }) used: number;
  @ApiProperty({ example: 17 }) remaining: number;
  @ApiProperty({ example: '2026-11', description: 'The calendar month (UTC) counted' }) period: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the count starts again (1st, 00:00 UTC)' })
  resetAt: string;
}

export class AiQuotaResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: AiQuotaDto }) data: AiQuotaDto;
}

export class AiGeneratedContentDataDto {
  @ApiProperty({ enum: aiContentTypes }) type: string;
  @ApiProperty() content: string;
  @ApiProperty({ type: AiQuotaDto, description: 'The quota after this generation' }) quota: AiQuotaDto;
}

export class AiGeneratedContentResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: AiGeneratedContentDataDto }) data: AiGeneratedContentDataDto;
  @ApiProperty({ type: AiToolMetaDto }) meta: AiToolMetaDto;
}

export class AiQuotaErrorDetailDto extends ErrorDetailDto {
  @ApiPropertyOptional({ example: 20 }) limit?: number;
  @ApiPropertyOptional({ example: 20 }) used?: number;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) resetAt?: string;
}

export class AiQuotaExceededResponseDto extends ErrorResponseDto {
  @ApiProperty({ type: [AiQuotaErrorDetailDto], description: 'AI_QUOTA_EXCEEDED: the limit, used and reset date' })
  declare details: AiQuotaErrorDetailDto[];
}
