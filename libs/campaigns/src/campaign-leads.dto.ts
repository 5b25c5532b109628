import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { LeadStatus } from '@crescendo/leads';
import { CursorPaginationQueryDto } from '@crescendo/platform';
import { CampaignLeadStage, campaignLeadStages } from './campaigns.types';

export class CampaignLeadParamsDto {
  @ApiProperty({ format: 'uuid', description: 'The campaign id' })
  @IsUUID()
  id: string;

  @ApiProperty({ format: 'uuid', description: 'The lead id' })
  @IsUUID()
  leadId: string;
}

export class ListCampaignLeadsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: CampaignLeadStage, description: 'Only enrollments at this stage' })
  @IsOptional()
  @IsIn(campaignLeadStages)
  stage?: CampaignLeadStage;
}

export class EnrollLeadsDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 1000, description: 'Leads of the workspace' })
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? [...new Set(value)] : value))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  leadIds: string[];
}

export class EnrollLeadsResponseDto {
  @ApiProperty({ description: 'Leads newly enrolled' }) enrolled: number;
  @ApiProperty({ description: 'Leads already enrolled, left as they were' }) skipped: number;
  @ApiProperty({ type: [String], format: 'uuid' }) enrolledLeadIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) skippedLeadIds: string[];
}

export class UpdateCampaignLeadDto {
  @ApiPropertyOptional({
    enum: CampaignLeadStage,
    description:
      'Forward only (enrolled → contacted → replied → converted); skipped stages get the same time. ' +
      'contacted sets the lead’s lastContactedAt; converted sets the lead’s status to converted.',
  })
  @ValidateIf((o: UpdateCampaignLeadDto) => o.stage !== undefined)
  @IsIn(campaignLeadStages)
  stage?: CampaignLeadStage;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'Attributed revenue in minor units; only for a converted enrollment',
  })
  @ValidateIf((o: UpdateCampaignLeadDto) => o.revenue !== undefined)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  revenue?: number;
}

export class CampaignLeadResponseDto {
  @ApiProperty({ format: 'uuid' }) leadId: string;
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ example: 'Grace Hopper' }) name: string;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) company: string | null;
  @ApiProperty({ enum: LeadStatus }) leadStatus: LeadStatus;
  @ApiProperty({ enum: CampaignLeadStage }) stage: CampaignLeadStage;
  @ApiProperty({ type: String, format: 'date-time' }) enrolledAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) contactedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) repliedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) convertedAt: string | null;
  @ApiProperty({ type: 'integer', description: 'Minor units of the campaign currency' }) revenue: number;
}
