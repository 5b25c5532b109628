import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
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
import { CursorPageMetadataDto, CursorPageSizeQueryDto } from '@crescendo/platform';
import { IsIanaTimeZone, IsTimeOfDay } from '@crescendo/settings';
import { Weekday, weekdays } from './active-hours';
import { ReplyType, replyTypes } from './chatbot.types';
import { present, trim } from './chatbot.dto-helpers';
import { Intent, intents } from './intent-classifier';
import { MatchType, matchTypes } from './rule-matcher';
import { MAX_PATTERN_LENGTH } from './safe-regex';
import { templateVariables } from './template';

export const MAX_TEMPLATE_LENGTH = 2000;
const variablesDoc = Object.entries(templateVariables)
  .map(([name, doc]) => `{{${name}}}: ${doc}`)
  .join('; ');

export class ActiveHoursDto {
  @ApiProperty({ enum: weekdays, isArray: true, example: ['mon', 'tue', 'wed', 'thu', 'fri'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(weekdays, { each: true })
  days: Weekday[];

  @ApiProperty({ example: '09:00', description: 'HH:mm, inclusive' })
  @IsTimeOfDay()
  from: string;

  @ApiProperty({ example: '18:00', description: 'HH:mm, exclusive; before `from` = the window spans midnight' })
  @IsTimeOfDay()
  to: string;
}

export class ListAutoReplyRulesQueryDto extends CursorPageSizeQueryDto {
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

@ApiExtraModels(ActiveHoursDto)
/** Every field of a rule; which are required depends on matchType/replyType (checked by the service). */
export class UpdateAutoReplyRuleDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    example: 'Pricing questions',
    description: 'Unique in the workspace (409)',
  })
  @present('name')
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({
    enum: MatchType,
    description:
      'keyword: any of `keywords` as a whole word/phrase, case- and accent-insensitive; regex: `pattern` ' +
      '(flags iu, checked against catastrophic backtracking, run on the first 300 characters); intent: the ' +
      'built-in classifier finds `intent`',
  })
  @present('matchType')
  @IsIn(matchTypes)
  matchType?: MatchType;

  @ApiPropertyOptional({ type: [String], nullable: true, example: ['price', 'how much'], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  keywords?: string[] | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_PATTERN_LENGTH, example: '\\bvip\\b' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PATTERN_LENGTH)
  pattern?: string | null;

  @ApiPropertyOptional({ enum: Intent, nullable: true })
  @IsOptional()
  @IsIn(intents)
  intent?: Intent | null;

  @ApiPropertyOptional({ minimum: -1000, maximum: 1000, default: 0, description: 'Higher is tried first' })
  @present('priority')
  @IsInt()
  @Min(-1000)
  @Max(1000)
  priority?: number;

  @ApiPropertyOptional({
    nullable: true,
    allOf: [{ $ref: getSchemaPath(ActiveHoursDto) }],
    description: 'null: always active',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ActiveHoursDto)
  activeHours?: ActiveHoursDto | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Europe/Paris',
    description: 'IANA zone of activeHours and {{time}}; null: the workspace’s general settings timezone',
  })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string | null;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10080,
    default: 0,
    description: 'Minutes before this rule answers the same fan again',
  })
  @present('cooldownMinutes')
  @IsInt()
  @Min(0)
  @Max(10080)
  cooldownMinutes?: number;

  @ApiPropertyOptional({ default: true })
  @present('active')
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ enum: ReplyType, description: 'template: render `template`; ai: generate with `aiPrompt`' })
  @present('replyType')
  @IsIn(replyTypes)
  replyType?: ReplyType;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_TEMPLATE_LENGTH,
    example: 'Hi {{name}}! The VIP tier is $20/month.',
    description: `Variables: ${variablesDoc}. Unknown variables: 400 UNKNOWN_TEMPLATE_VARIABLE`,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEMPLATE_LENGTH)
  template?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_TEMPLATE_LENGTH,
    description: 'Instructions for AI replies',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEMPLATE_LENGTH)
  aiPrompt?: string | null;
}

export class CreateAutoReplyRuleDto extends UpdateAutoReplyRuleDto {
  static readonly requiredFields = ['name', 'matchType', 'replyType'];
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Pricing questions' })
  declare name: string;
  @ApiProperty({ enum: MatchType })
  declare matchType: MatchType;
  @ApiProperty({ enum: ReplyType })
  declare replyType: ReplyType;
}

/** PUT /api/chatbot/auto-reply (no :id, the id travels in the body, as documented). */
export class UpdateAutoReplyRuleWithIdDto extends UpdateAutoReplyRuleDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

@ApiExtraModels(ActiveHoursDto)
export class AutoReplyRuleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: MatchType }) matchType: MatchType;
  @ApiProperty({ type: [String], nullable: true }) keywords: string[] | null;
  @ApiProperty({ type: String, nullable: true }) pattern: string | null;
  @ApiProperty({ enum: Intent, nullable: true }) intent: Intent | null;
  @ApiProperty() priority: number;
  @ApiProperty({ nullable: true, allOf: [{ $ref: getSchemaPath(ActiveHoursDto) }], description: 'null: always active' })
  activeHours: ActiveHoursDto | null;
  @ApiProperty({ type: String, nullable: true }) timezone: string | null;
  @ApiProperty() cooldownMinutes: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ enum: ReplyType }) replyType: ReplyType;
  @ApiProperty({ type: String, nullable: true }) template: string | null;
  @ApiProperty({ type: String, nullable: true }) aiPrompt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class AutoReplyRuleResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: AutoReplyRuleDto }) data: AutoReplyRuleDto;
}

export class AutoReplyRuleListResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: [AutoReplyRuleDto], description: 'Priority order: higher first, then oldest' })
  data: AutoReplyRuleDto[];
  @ApiProperty({ type: CursorPageMetadataDto }) metadata: CursorPageMetadataDto;
}
