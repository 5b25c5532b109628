import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CursorPaginationQueryDto, IsOmittable } from '@crescendo/platform';
import { CampaignStatus, campaignStatuses, CampaignType, campaignTypes } from './campaigns.types';
import { deletableStatuses, enrollableStatuses } from './campaign-status';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const upperTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const unique = ({ value }: { value: unknown }) => (Array.isArray(value) ? [...new Set(value)] : value);
/** Present means not null: for columns that cannot be cleared. */
const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);
/** Minor units stay exact in a JS number up to 2^53. */
const MAX_MINOR = Number.MAX_SAFE_INTEGER;

export const campaignSortFields = ['createdAt', 'updatedAt', 'name', 'startAt', 'endAt'] as const;
export type CampaignSortField = (typeof campaignSortFields)[number];

export class ListCampaignsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: CampaignStatus })
  @IsOptional()
  @IsIn(campaignStatuses)
  status?: CampaignStatus;

  @ApiPropertyOptional({ enum: CampaignType })
  @IsOptional()
  @IsIn(campaignTypes)
  type?: CampaignType;

  @ApiPropertyOptional({ description: 'Only campaigns on this channel (exact, lower-cased)', example: 'email' })
  @IsOptional()
  @Transform(lowerTrim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  channel?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only campaigns targeting this niche' })
  @IsOptional()
  @IsUUID()
  nicheId?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive match on the name', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: campaignSortFields, default: 'createdAt' })
  @IsOptional()
  @IsIn(campaignSortFields)
  sortBy: CampaignSortField = 'createdAt';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';
}

export class CampaignGoalsDto {
  @ApiPropertyOptional({ minimum: 0, example: 500, description: 'Leads to enroll' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  targetLeads?: number;

  @ApiPropertyOptional({ minimum: 0, example: 50, description: 'Leads to convert' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  targetConversions?: number;

  @ApiPropertyOptional({ minimum: 0, example: 1_000_000, description: 'Revenue in minor units of the currency' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  targetRevenue?: number;
}

/** Fields a create and an update share; name and type are required on create only. */
class CampaignFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 50,
    example: 'instagram',
    description: 'Free short label, stored lower-cased',
  })
  @IsOptional()
  @Transform(lowerTrim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  channel?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @IsDateString({ strict: true })
  startAt?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'At or after startAt (400 INVALID_CAMPAIGN_WINDOW otherwise)',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  endAt?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    example: 250000,
    description: 'Minor units (cents) of currency; needs a currency',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  budget?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'EUR', description: 'ISO 4217 code, 3 letters' })
  @IsOptional()
  @Transform(upperTrim)
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code of 3 letters' })
  currency?: string | null;

  @ApiPropertyOptional({ type: CampaignGoalsDto })
  @present('goals')
  @IsObject()
  @ValidateNested()
  @Type(() => CampaignGoalsDto)
  goals?: CampaignGoalsDto;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Niches of the workspace (400 otherwise)' })
  @present('targetNicheIds')
  @Transform(unique)
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  targetNicheIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Audience segments (stored as given)' })
  @present('targetSegmentIds')
  @Transform(unique)
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  targetSegmentIds?: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'A member of the workspace; the creator by default',
  })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;
}

export class CreateCampaignDto extends CampaignFieldsDto {
  @ApiProperty({ example: 'Spring launch', maxLength: 200, description: 'Unique in the workspace' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: CampaignType })
  @IsIn(campaignTypes)
  type: CampaignType;
}

/** Every field optional: only what is sent changes; null clears a nullable field. Status has its own route. */
export class UpdateCampaignDto extends CampaignFieldsDto {
  @ApiPropertyOptional({ example: 'Spring launch', maxLength: 200 })
  @present('name')
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: CampaignType })
  @present('type')
  @IsIn(campaignTypes)
  type?: CampaignType;
}

/** A content campaign is created without a type (the route sets it). */
export class CreateContentCampaignDto extends OmitType(CreateCampaignDto, ['type'] as const) {}

export class UpdateCampaignStatusDto {
  @ApiProperty({ enum: CampaignStatus })
  @IsIn(campaignStatuses)
  status: CampaignStatus;
}

export class CampaignResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Spring launch' }) name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: CampaignType }) type: CampaignType;
  @ApiProperty({ type: String, nullable: true, example: 'email' }) channel: string | null;
  @ApiProperty({ enum: CampaignStatus }) status: CampaignStatus;
  @ApiProperty({
    enum: CampaignStatus,
    isArray: true,
    example: ['scheduled', 'active', 'archived'],
    description: 'The statuses PUT /status accepts from the current one (any other answers 409)',
  })
  allowedTransitions: CampaignStatus[];
  @ApiProperty({
    example: true,
    description:
      'Whether DELETE /campaigns/{id} is accepted in the current status (' +
      `${deletableStatuses.join(', ')}); ` +
      'otherwise it answers 409 CAMPAIGN_NOT_DELETABLE',
  })
  canDelete: boolean;
  @ApiProperty({
    example: true,
    description:
      'Whether POST /campaigns/{id}/leads accepts leads in the current status (' +
      `${enrollableStatuses.join(', ')}); ` +
      'otherwise it answers 409 CAMPAIGN_NOT_ENROLLABLE',
  })
  acceptsEnrollments: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endAt: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Minor units of currency' }) budget: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'EUR' }) currency: string | null;
  @ApiProperty({ type: CampaignGoalsDto }) goals: CampaignGoalsDto;
  @ApiProperty({ type: [String], format: 'uuid' }) targetNicheIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) targetSegmentIds: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ownerId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class CampaignStatsDayDto {
  @ApiProperty({ example: '2026-03-01', description: 'UTC day' }) date: string;
  @ApiProperty({ description: 'Leads enrolled that day' }) enrolled: number;
  @ApiProperty({ description: 'Leads first contacted that day' }) contacted: number;
  @ApiProperty() replied: number;
  @ApiProperty() converted: number;
  @ApiProperty({ description: 'Revenue of the leads converted that day (minor units)' }) revenue: number;
}

export class CampaignStatsResponseDto {
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ description: 'Leads enrolled' }) enrolled: number;
  @ApiProperty({ description: 'Leads that reached contacted (or further)' }) contacted: number;
  @ApiProperty({ description: 'Leads that reached replied (or further)' }) replied: number;
  @ApiProperty() converted: number;
  @ApiProperty({ example: 0.125, description: 'converted / enrolled, 0 when none enrolled' }) conversionRate: number;
  @ApiProperty({ description: 'Sum of attributed revenue, minor units of currency' }) attributedRevenue: number;
  @ApiProperty({ type: String, nullable: true }) currency: string | null;
  @ApiProperty({ example: '2026-03-01', description: 'First day of the series' }) from: string;
  @ApiProperty({ example: '2026-03-30', description: 'Last day of the series' }) to: string;
  @ApiProperty({
    type: [CampaignStatsDayDto],
    description:
      'One entry per UTC day of the campaign window (startAt..endAt) when both are set, else of the last 30 days; at most the last 366 days',
  })
  series: CampaignStatsDayDto[];
}
