import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CursorPaginationQueryDto, IsOmittable } from '@crescendo/platform';
import { everyDomainEvent } from '@crescendo/webhooks';
import {
  AgentLogLevel,
  agentLogLevels,
  AgentReadOnlyReason,
  agentReadOnlyReasons,
  AgentStatus,
  AgentTool,
  agentTools,
  AgentTriggerType,
  agentTriggerTypes,
  AgentType,
  agentTypes,
} from './agents.types';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class AgentTriggerDto {
  @ApiProperty({ enum: agentTriggerTypes, example: AgentTriggerType.Event })
  @IsIn(agentTriggerTypes)
  type: AgentTriggerType;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '0 8 * * 1-5',
    description: 'Cron pattern (5 or 6 fields, UTC); required when type = schedule',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  schedule?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    enum: everyDomainEvent,
    example: 'lead.created',
    description: 'The domain event that starts a run; required when type = event',
  })
  @IsOptional()
  @IsIn(everyDomainEvent)
  eventType?: string | null;
}

export class AgentLimitsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 24, description: 'Runs that may start per UTC day' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  runsPerDay?: number;

  @ApiPropertyOptional({
    minimum: 100,
    maximum: 200000,
    default: 4000,
    description: 'Tokens (prompt + answer) one run may spend; the run stops and logs when reached',
  })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(200000)
  tokensPerRun?: number;
}

export class CreateAgentDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Inbound qualifier', description: 'Unique in the workspace' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: agentTypes, example: AgentType.LeadQualifier })
  @IsIn(agentTypes)
  type: AgentType;

  @ApiPropertyOptional({ example: 'GPT-4', description: 'A configured AI provider (default: the first one)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  provider?: string;

  @ApiPropertyOptional({ example: 'gpt-4o-mini', description: 'One of the provider’s models (default: its default)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  model?: string;

  @ApiPropertyOptional({ maxLength: 10000, description: 'Instructions given to the model on every call' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  systemPrompt?: string;

  @ApiPropertyOptional({
    enum: agentTools,
    isArray: true,
    description: 'Tools the agent may use (default: the ones its type needs)',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(agentTools.length)
  @ArrayUnique()
  @IsIn(agentTools, { each: true })
  tools?: AgentTool[];

  @ApiProperty({ type: AgentTriggerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AgentTriggerDto)
  trigger: AgentTriggerDto;

  @ApiPropertyOptional({ type: AgentLimitsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => AgentLimitsDto)
  limits?: AgentLimitsDto;

  @ApiPropertyOptional({
    enum: [AgentStatus.Active, AgentStatus.Inactive],
    default: AgentStatus.Active,
    description: 'Inactive agents never run on their own',
  })
  @IsOptional()
  @IsIn([AgentStatus.Active, AgentStatus.Inactive])
  status?: AgentStatus.Active | AgentStatus.Inactive;
}

/** Only the fields sent change; `trigger` and `limits` are replaced as a whole when sent. */
export class UpdateAgentDto extends PartialType(CreateAgentDto, { skipNullProperties: false }) {}

export class UpdateAgentStatusDto {
  @ApiProperty({
    enum: [AgentStatus.Active, AgentStatus.Inactive],
    description: '`error` is set by the runner only; use POST /api/agents/:id/restart to clear it',
  })
  @IsIn([AgentStatus.Active, AgentStatus.Inactive], { message: 'status must be active or inactive' })
  status: AgentStatus.Active | AgentStatus.Inactive;
}

export class ListAgentsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: Object.values(AgentStatus) })
  @IsOptional()
  @IsIn(Object.values(AgentStatus))
  status?: AgentStatus;

  @ApiPropertyOptional({ enum: agentTypes })
  @IsOptional()
  @IsIn(agentTypes)
  type?: AgentType;
}

export class ListAgentLogsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: agentLogLevels })
  @IsOptional()
  @IsIn(agentLogLevels)
  level?: AgentLogLevel;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the logs of this run' })
  @IsOptional()
  @IsUUID()
  runId?: string;
}

export class AgentTriggerResponseDto {
  @ApiProperty({ enum: agentTriggerTypes }) type: AgentTriggerType;
  @ApiProperty({ type: String, nullable: true, example: '0 8 * * 1-5' }) schedule: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'lead.created' }) eventType: string | null;
}

export class AgentLimitsResponseDto {
  @ApiProperty({ example: 24 }) runsPerDay: number;
  @ApiProperty({ example: 4000 }) tokensPerRun: number;
}

export class AgentResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Inbound qualifier' }) name: string;
  @ApiProperty({ enum: agentTypes }) type: AgentType;
  @ApiProperty({ example: 'GPT-4' }) provider: string;
  @ApiProperty({ example: 'gpt-4o-mini' }) model: string;
  @ApiProperty() systemPrompt: string;
  @ApiProperty({ enum: agentTools, isArray: true }) tools: AgentTool[];
  @ApiProperty({ type: AgentTriggerResponseDto }) trigger: AgentTriggerResponseDto;
  @ApiProperty({ type: AgentLimitsResponseDto }) limits: AgentLimitsResponseDto;
  @ApiProperty({ enum: Object.values(AgentStatus) }) status: AgentStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Why the agent is in error' }) errorReason: string | null;
  @ApiProperty({ example: 0 }) consecutiveFailures: number;
  @ApiProperty({
    description:
      'True when the plan allows fewer agents than the workspace has: the newest agents past the limit keep ' +
      'their data and their history but cannot run or be edited (403 AGENT_READ_ONLY) until the plan is raised ' +
      'or older agents are deleted',
  })
  readOnly: boolean;
  @ApiProperty({ enum: agentReadOnlyReasons, nullable: true, description: 'Why the agent is read-only' })
  readOnlyReason: AgentReadOnlyReason | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastRunAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AgentLogResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) runId: string | null;
  @ApiProperty({ enum: agentLogLevels }) level: AgentLogLevel;
  @ApiProperty({ example: 'Lead qualified' }) message: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
