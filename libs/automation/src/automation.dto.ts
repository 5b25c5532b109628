import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CursorPageMetadataDto, CursorPageSizeQueryDto } from '@crescendo/platform';
import { LeadStatus, leadStatuses } from '@crescendo/leads';
import { SegmentRuleGroupDto } from '@crescendo/segments';
import { AutomationActionType, AutomationStatus, AutomationTriggerType, AutomationRunStatus } from './automation.types';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const forAction =
  (...types: AutomationActionType[]) =>
  (o: { type?: AutomationActionType }) =>
    types.includes(o.type as AutomationActionType);

export class AutomationTriggerDto {
  @ApiProperty({ enum: AutomationTriggerType })
  @IsIn(Object.values(AutomationTriggerType))
  type: AutomationTriggerType;

  @ApiPropertyOptional({ enum: LeadStatus, description: 'lead.status_changed only: from this status' })
  @IsOptional()
  @IsIn(leadStatuses)
  from?: LeadStatus;

  @ApiPropertyOptional({ enum: LeadStatus, description: 'lead.status_changed only: to this status' })
  @IsOptional()
  @IsIn(leadStatuses)
  to?: LeadStatus;

  @ApiPropertyOptional({ example: 'vip', description: 'lead.tag_added only: when this tag is added' })
  @IsOptional()
  @Transform(lowerTrim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  tag?: string;

  @ApiPropertyOptional({
    example: '0 9 * * 1-5',
    description: 'schedule only (required): five-field cron, UTC, minute granularity',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cron?: string;
}

export class AutomationActionDto {
  @ApiProperty({ enum: AutomationActionType })
  @IsIn(Object.values(AutomationActionType))
  type: AutomationActionType;

  @ApiPropertyOptional({ example: 'vip', description: 'add_tag, remove_tag' })
  @ValidateIf(forAction(AutomationActionType.AddTag, AutomationActionType.RemoveTag))
  @Transform(lowerTrim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  tag?: string;

  @ApiPropertyOptional({ enum: LeadStatus, description: 'change_status' })
  @ValidateIf(forAction(AutomationActionType.ChangeStatus))
  @IsIn(leadStatuses)
  status?: LeadStatus;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'set_score' })
  @ValidateIf(forAction(AutomationActionType.SetScore))
  @IsInt()
  @Min(0)
  @Max(100)
  score?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'enroll_in_campaign: a campaign of the workspace (404 CAMPAIGN_NOT_FOUND otherwise)',
  })
  @ValidateIf(forAction(AutomationActionType.EnrollInCampaign))
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional({
    example: 'https://hooks.example.com/crescendo',
    description:
      'call_webhook: http(s) URL, POSTed a JSON body signed with the workspace signing secret ' +
      '(x-crescendo-signature); private and local addresses are refused unless the instance allows them',
  })
  @ValidateIf(forAction(AutomationActionType.CallWebhook))
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({
    enum: ['email', 'audit'],
    description: 'notify: an e-mail to the workspace’s active members, or an audit log entry',
  })
  @ValidateIf(forAction(AutomationActionType.Notify))
  @IsIn(['email', 'audit'])
  channel?: 'email' | 'audit';

  @ApiPropertyOptional({ maxLength: 200, description: 'notify (email): subject' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  subject?: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    example: 'New hot lead: {{lead.name}} <{{lead.email}}>',
    description: 'notify: text; {{lead.name}}, {{lead.email}}, {{lead.status}}, {{rule.name}} are replaced',
  })
  @ValidateIf(forAction(AutomationActionType.Notify))
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  message?: string;
}

export class CreateAutomationRuleDto {
  @ApiProperty({ example: 'Tag hot leads', maxLength: 100, description: 'Unique in the workspace (409)' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;

  @ApiProperty({ type: AutomationTriggerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AutomationTriggerDto)
  trigger: AutomationTriggerDto;

  @ApiPropertyOptional({
    type: SegmentRuleGroupDto,
    nullable: true,
    description: 'A segment rule tree the lead must match when the rule runs (null: every lead)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SegmentRuleGroupDto)
  conditions?: SegmentRuleGroupDto | null;

  @ApiProperty({ type: [AutomationActionDto], minItems: 1, maxItems: 20, description: 'Run in order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AutomationActionDto)
  actions: AutomationActionDto[];

  @ApiPropertyOptional({ enum: AutomationStatus, default: AutomationStatus.Active })
  @IsOptional()
  @IsIn(Object.values(AutomationStatus))
  status?: AutomationStatus;
}

/** Only what is sent changes; status has its own route. */
export class UpdateAutomationRuleDto extends PartialType(CreateAutomationRuleDto, { skipNullProperties: false }) {}

export class SetAutomationStatusDto {
  @ApiProperty({ enum: AutomationStatus, description: 'active resets the failure count and the pause reason' })
  @IsIn(Object.values(AutomationStatus))
  status: AutomationStatus;
}

export class ListAutomationRulesQueryDto extends CursorPageSizeQueryDto {
  @ApiPropertyOptional({ enum: AutomationStatus })
  @IsOptional()
  @IsIn(Object.values(AutomationStatus))
  status?: AutomationStatus;

  @ApiPropertyOptional({ enum: AutomationTriggerType })
  @IsOptional()
  @IsIn(Object.values(AutomationTriggerType))
  triggerType?: AutomationTriggerType;
}

export class ListAutomationRunsQueryDto extends CursorPageSizeQueryDto {
  @ApiPropertyOptional({ enum: AutomationRunStatus })
  @IsOptional()
  @IsIn(Object.values(AutomationRunStatus))
  status?: AutomationRunStatus;
}

export class AutomationTriggerResponseDto {
  @ApiProperty({ enum: AutomationTriggerType }) type: AutomationTriggerType;
  @ApiPropertyOptional({ enum: LeadStatus }) from?: LeadStatus;
  @ApiPropertyOptional({ enum: LeadStatus }) to?: LeadStatus;
  @ApiPropertyOptional() tag?: string;
  @ApiPropertyOptional() cron?: string;
}

export class AutomationActionResponseDto {
  @ApiProperty({ enum: AutomationActionType }) type: AutomationActionType;
  @ApiPropertyOptional() tag?: string;
  @ApiPropertyOptional({ enum: LeadStatus }) status?: LeadStatus;
  @ApiPropertyOptional() score?: number;
  @ApiPropertyOptional({ format: 'uuid' }) campaignId?: string;
  @ApiPropertyOptional() url?: string;
  @ApiPropertyOptional({ enum: ['email', 'audit'] }) channel?: 'email' | 'audit';
  @ApiPropertyOptional() subject?: string;
  @ApiPropertyOptional() message?: string;
}

export class AutomationRuleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: AutomationStatus }) status: AutomationStatus;
  @ApiProperty({ type: AutomationTriggerResponseDto }) trigger: AutomationTriggerResponseDto;
  @ApiProperty({ type: SegmentRuleGroupDto, nullable: true }) conditions: SegmentRuleGroupDto | null;
  @ApiProperty({ type: [AutomationActionResponseDto] }) actions: AutomationActionResponseDto[];
  @ApiProperty({ description: 'Failed runs in a row; at 5 the rule pauses itself' }) consecutiveFailures: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the rule is paused' }) pausedReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastRunAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdById: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class AutomationRuleResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: AutomationRuleDto }) data: AutomationRuleDto;
}

export class AutomationRuleListResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: [AutomationRuleDto] }) data: AutomationRuleDto[];
  @ApiProperty({ type: CursorPageMetadataDto }) metadata: CursorPageMetadataDto;
}

export class AutomationActionResultDto {
  @ApiProperty({ enum: AutomationActionType }) type: AutomationActionType;
  @ApiProperty({ enum: ['done', 'unchanged'] }) outcome: 'done' | 'unchanged';
  @ApiPropertyOptional() detail?: string;
}

export class AutomationRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ruleId: string;
  @ApiProperty({ description: 'The domain event id, or schedule-<tick>-<leadId>' }) triggerEventId: string;
  @ApiProperty({ example: 'lead.created' }) triggerType: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) leadId: string | null;
  @ApiProperty({ enum: AutomationRunStatus }) status: AutomationRunStatus;
  @ApiProperty({ type: [AutomationActionResultDto], description: 'The actions that succeeded, in order' })
  actionsDone: AutomationActionResultDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Why it failed or was skipped' }) error: string | null;
  @ApiProperty() durationMs: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class AutomationRunListResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: [AutomationRunDto] }) data: AutomationRunDto[];
  @ApiProperty({ type: CursorPageMetadataDto }) metadata: CursorPageMetadataDto;
}
