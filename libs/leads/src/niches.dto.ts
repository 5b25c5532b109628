import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { CursorPaginationQueryDto } from '@crescendo/platform';
import { LeadStatus } from './leads.types';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimKeywords = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? [...new Set(value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)))] : value;

export const nicheSortFields = ['name', 'createdAt', 'updatedAt'] as const;
export type NicheSortField = (typeof nicheSortFields)[number];

export class ListNichesQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive match on the name or description', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: nicheSortFields, default: 'name' })
  @IsOptional()
  @IsIn(nicheSortFields)
  sortBy: NicheSortField = 'name';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';
}

export class CreateNicheDto {
  @ApiProperty({ example: 'SaaS founders', maxLength: 100, description: 'Unique in the workspace, case-insensitive' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['b2b', 'saas'], description: 'Stored lower-cased, deduplicated' })
  @ValidateIf((o: CreateNicheDto) => o.keywords !== undefined)
  @Transform(trimKeywords)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  keywords?: string[];
}

export class UpdateNicheDto {
  @ApiPropertyOptional({ example: 'SaaS founders', maxLength: 100 })
  @ValidateIf((o: UpdateNicheDto) => o.name !== undefined)
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['b2b', 'saas'] })
  @ValidateIf((o: UpdateNicheDto) => o.keywords !== undefined)
  @Transform(trimKeywords)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  keywords?: string[];
}

export class NicheResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SaaS founders' }) name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: [String] }) keywords: string[];
  @ApiProperty({ description: 'Leads of this niche that are not deleted' }) leadCount: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class LeadsByStatusDto {
  @ApiProperty() new: number;
  @ApiProperty() contacted: number;
  @ApiProperty() qualified: number;
  @ApiProperty() converted: number;
  @ApiProperty() lost: number;
}

export class NicheStatsResponseDto {
  @ApiProperty({ format: 'uuid' }) nicheId: string;
  @ApiProperty({ description: 'Leads of the niche that are not deleted' }) total: number;
  @ApiProperty({ type: LeadsByStatusDto }) byStatus: LeadsByStatusDto;
  @ApiProperty({ description: 'converted / total, 0 when there are no leads (0..1, 4 decimals)', example: 0.25 })
  conversionRate: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Mean score (2 decimals); null with no leads' })
  averageScore: number | null;
}

export class SourcePerformanceDto {
  @ApiProperty({ type: String, nullable: true, description: 'null groups the leads with no source' })
  source: string | null;
  @ApiProperty() total: number;
  @ApiProperty() converted: number;
  @ApiProperty({ description: 'converted / total (4 decimals)' }) conversionRate: number;
  @ApiProperty({ description: 'Mean score (2 decimals)' }) averageScore: number;
}

export class StaleLeadDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: [LeadStatus.New, LeadStatus.Contacted, LeadStatus.Qualified] }) status: LeadStatus;
  @ApiProperty() score: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastContactedAt: string | null;
  @ApiProperty({ description: 'Whole days since the last contact (or since creation when never contacted)' })
  daysSinceContact: number;
}

export class RecommendedActionDto {
  @ApiProperty({
    enum: ['add_leads', 'recontact_stale', 'focus_source', 'review_source', 'qualify_new', 'follow_up_qualified'],
  })
  type: string;
  @ApiProperty({ enum: ['high', 'medium', 'low'] }) priority: 'high' | 'medium' | 'low';
  @ApiProperty({ description: 'The advice, citing the figures it rests on' }) message: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The figures behind the advice',
  })
  figures: Record<string, unknown>;
}

export class NicheRecommendationsResponseDto {
  @ApiProperty({ format: 'uuid' }) nicheId: string;
  @ApiProperty({ type: String, format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: NicheStatsResponseDto, description: 'The niche’s figures the advice is computed from' })
  stats: NicheStatsResponseDto;
  @ApiProperty({ description: 'Days without contact after which an open lead is stale', example: 30 })
  staleAfterDays: number;
  @ApiProperty({ type: [SourcePerformanceDto], description: 'Sources by conversion rate, best first (up to 5)' })
  bestSources: SourcePerformanceDto[];
  @ApiProperty({ description: 'Open leads (not converted nor lost) with no contact for staleAfterDays' })
  staleLeadCount: number;
  @ApiProperty({ type: [StaleLeadDto], description: 'The stale leads to re-contact first: highest score (up to 10)' })
  staleLeads: StaleLeadDto[];
  @ApiProperty({ type: [RecommendedActionDto] }) actions: RecommendedActionDto[];
}
