import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CursorPaginationQueryDto } from '@crescendo/platform';
import { LeadEventType, LeadStatus, leadStatuses } from './leads.types';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trimTags = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? [...new Set(value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)))] : value;
/** Present means not null: for columns that cannot be cleared. */
const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);

export const leadSortFields = ['createdAt', 'updatedAt', 'score', 'name'] as const;
export type LeadSortField = (typeof leadSortFields)[number];

export class ListLeadsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: LeadStatus, description: 'Only leads with this status' })
  @IsOptional()
  @IsIn(leadStatuses)
  status?: LeadStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only leads of this niche' })
  @IsOptional()
  @IsUUID()
  nicheId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only leads enrolled in this campaign' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional({ description: 'Only leads carrying this tag (case-insensitive)', example: 'vip' })
  @IsOptional()
  @Transform(lowerTrim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  tag?: string;

  @ApiPropertyOptional({ description: 'Only leads from this source (exact)', example: 'linkedin' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  source?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Score at least' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  scoreMin?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Score at most' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  scoreMax?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after (ISO 8601)' })
  @IsOptional()
  @IsDateString({ strict: true })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before (ISO 8601, exclusive)' })
  @IsOptional()
  @IsDateString({ strict: true })
  createdTo?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive match on name, e-mail or company', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: leadSortFields, default: 'createdAt' })
  @IsOptional()
  @IsIn(leadSortFields)
  sortBy: LeadSortField = 'createdAt';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';
}

export class ListLeadsByStatusQueryDto extends OmitType(ListLeadsQueryDto, ['status'] as const) {}

export class LeadStatusParamDto {
  @ApiProperty({ enum: LeadStatus })
  @IsIn(leadStatuses)
  status: LeadStatus;
}

/** The fields a create and an update share; name is required on create only. */
class LeadFieldsDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'grace@example.com',
    description: 'Stored lower-cased; unique among the workspace’s leads (409 LEAD_EMAIL_TAKEN)',
  })
  @IsOptional()
  @Transform(lowerTrim)
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 50, example: '+33 6 12 34 56 78' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200, example: 'Acme' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  company?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200, example: 'CTO' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  jobTitle?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100, example: 'linkedin' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  source?: string | null;

  @ApiPropertyOptional({ enum: LeadStatus, default: LeadStatus.New })
  @present('status')
  @IsIn(leadStatuses)
  status?: LeadStatus;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A niche of the workspace' })
  @IsOptional()
  @IsUUID()
  nicheId?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['vip'], description: 'Stored lower-cased, without duplicates' })
  @present('tags')
  @Transform(trimTags)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 0 })
  @present('score')
  @IsInt()
  @Min(0)
  @Max(100)
  score?: number;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  notes?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { budget: 5000 } })
  @present('customFields')
  @IsObject()
  customFields?: Record<string, unknown>;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A member of the workspace' })
  @IsOptional()
  @IsUUID()
  ownerId?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Last contact; set to now when the status becomes contacted and this is not given',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  lastContactedAt?: string | null;
}

export class CreateLeadDto extends LeadFieldsDto {
  @ApiProperty({ example: 'Grace Hopper', maxLength: 200 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

/** Every field optional: only what is sent changes; null clears a nullable field. */
export class UpdateLeadDto extends LeadFieldsDto {
  @ApiPropertyOptional({ example: 'Grace Hopper', maxLength: 200 })
  @present('name')
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}

export class LeadResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Grace Hopper' }) name: string;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) company: string | null;
  @ApiProperty({ type: String, nullable: true }) jobTitle: string | null;
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty({ enum: LeadStatus }) status: LeadStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) nicheId: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ minimum: 0, maximum: 100 }) score: number;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) customFields: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ownerId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastContactedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class LeadEventResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: LeadEventType }) type: LeadEventType;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'status_changed: {from, to}; updated: {changes: {field: {from, to}}}; automation: {ruleId, action, …what the action set}',
  })
  data: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorUserId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

/** A lead with its timeline, newest event first. */
export class LeadDetailResponseDto extends LeadResponseDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Campaigns the lead is enrolled in' })
  campaignIds: string[];
  @ApiProperty({ type: [LeadEventResponseDto] }) timeline: LeadEventResponseDto[];
}

/** The most leads one POST /api/leads/bulk takes (the SPA sends larger selections in chunks of this size). */
export const LEADS_BULK_MAX = 1000;

export const leadBulkActions = ['update', 'delete', 'restore'] as const;
export type LeadBulkAction = (typeof leadBulkActions)[number];

/** What a bulk update changes on every lead (the status only, for now). */
export class BulkLeadChangesDto {
  @ApiProperty({ enum: LeadStatus, description: 'Becoming contacted sets lastContactedAt to now, as PUT does' })
  @IsIn(leadStatuses)
  status: LeadStatus;
}

/** `changes` is required by the update action and refused by the others. */
const changesMatchAction = () =>
  ValidateBy({
    name: 'changesMatchAction',
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as { action?: unknown }).action === 'update'
          ? typeof value === 'object' && value !== null && !Array.isArray(value)
          : value === undefined,
      defaultMessage: (args) =>
        (args?.object as { action?: unknown }).action === 'update'
          ? 'changes must be an object for the update action'
          : 'changes is only accepted with the update action',
    },
  });

export class BulkLeadsDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: LEADS_BULK_MAX,
    uniqueItems: true,
    description: 'Leads of the workspace, each once',
  })
  // Lower-cased first, so that one id sent in two cases is a duplicate (400), not a missing lead (404).
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v)) : value,
  )
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LEADS_BULK_MAX)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  ids: string[];

  @ApiProperty({
    enum: leadBulkActions,
    description:
      'update: set `changes` on every lead (not deleted); delete: soft-delete them (restorable for 30 days); ' +
      'restore: bring back deleted ones',
  })
  @IsIn(leadBulkActions)
  action: LeadBulkAction;

  @ApiPropertyOptional({ type: BulkLeadChangesDto, description: 'Required with update, refused otherwise' })
  @changesMatchAction()
  @ValidateNested()
  @Type(() => BulkLeadChangesDto)
  changes?: BulkLeadChangesDto;
}

export class BulkLeadsResponseDto {
  @ApiProperty({ enum: leadBulkActions }) action: LeadBulkAction;
  @ApiProperty({ description: 'How many leads this request changed' }) changed: number;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The leads this request changed' }) ids: string[];
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'Leads already that way, left untouched (update: already of that status; restore: not deleted)',
  })
  unchangedIds: string[];
}
