import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath, PartialType } from '@nestjs/swagger';
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
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CursorPageMetadataDto, CursorPageSizeQueryDto } from '@crescendo/platform';
import { LeadResponseDto } from '@crescendo/leads';
import {
  MAX_LIST,
  MAX_RULES,
  SegmentFieldType,
  segmentFields,
  segmentFieldTypes,
  segmentListOperators,
  segmentNoValueOperators,
  segmentPairOperators,
  SegmentOperator,
  segmentOperators,
} from './segment-rules';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SegmentConditionDto {
  @ApiProperty({
    example: 'score',
    description: `${Object.keys(segmentFields).join(', ')}, or customFields.<key>`,
  })
  field: string;

  @ApiProperty({ enum: segmentOperators, description: 'Operators fitting the field’s type' })
  operator: SegmentOperator;

  @ApiPropertyOptional({
    description:
      'Text, number, boolean, ISO date, or a list ([from, to] for between); absent for is_empty/is_not_empty',
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } },
    ],
  })
  value?: unknown;
}

/**
 * A group of rules. Only its shape is checked here; validateRuleTree checks the whole tree (depth ≤ 3,
 * ≤ 50 rules, field/operator/value types) and answers 400 INVALID_SEGMENT_RULES with the path of each bad rule.
 */
@ApiExtraModels(SegmentConditionDto)
export class SegmentRuleGroupDto {
  @ApiProperty({ enum: ['and', 'or'] })
  @IsIn(['and', 'or'])
  combinator: 'and' | 'or';

  @ApiProperty({
    type: 'array',
    minItems: 1,
    maxItems: MAX_RULES,
    items: { oneOf: [{ $ref: getSchemaPath(SegmentConditionDto) }, { $ref: getSchemaPath('SegmentRuleGroupDto') }] },
    example: [
      { field: 'status', operator: 'in', value: ['new', 'contacted'] },
      { field: 'score', operator: 'gte', value: 50 },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RULES)
  @IsObject({ each: true })
  rules: Array<SegmentConditionDto | SegmentRuleGroupDto>;
}

export class ListSegmentsQueryDto extends CursorPageSizeQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive match on the name', maxLength: 100 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;
}

export class CreateSegmentDto {
  @ApiProperty({ example: 'Hot SaaS leads', maxLength: 100, description: 'Unique in the workspace (409)' })
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

  @ApiProperty({
    type: SegmentRuleGroupDto,
    description: 'Groups nest at most 3 deep, with at most 50 rules in all (400 INVALID_SEGMENT_RULES)',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => SegmentRuleGroupDto)
  rules: SegmentRuleGroupDto;
}

/** Only what is sent changes. */
export class UpdateSegmentDto extends PartialType(CreateSegmentDto, { skipNullProperties: false }) {}

export class PreviewSegmentDto {
  @ApiProperty({
    type: SegmentRuleGroupDto,
    description: 'Groups nest at most 3 deep, with at most 50 rules in all (400 INVALID_SEGMENT_RULES)',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => SegmentRuleGroupDto)
  rules: SegmentRuleGroupDto;

  @ApiPropertyOptional({
    type: Number,
    minimum: 1,
    maximum: 50,
    default: 10,
    description: 'How many matching leads to return',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  limit: number = 10;
}

export class SegmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Hot SaaS leads' }) name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: SegmentRuleGroupDto }) rules: SegmentRuleGroupDto;
  @ApiProperty({
    example: 42,
    description:
      'Live leads matching now (not deleted): exact up to 10 000 (EXACT_TOTAL_CAP, counted with LIMIT 10 001), ' +
      'beyond it the planner’s estimate with leadCountIsEstimate true. Computed on each read; the verdict ' +
      '(large or not) is reused for up to 5 seconds, a count under the cap is always current.',
  })
  leadCount: number;
  @ApiProperty({ example: false, description: 'true when leadCount is an estimate (more than 10 000 leads match)' })
  leadCountIsEstimate: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdById: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class SegmentResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: SegmentDto }) data: SegmentDto;
}

export class SegmentListResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: [SegmentDto] }) data: SegmentDto[];
  @ApiProperty({ type: CursorPageMetadataDto }) metadata: CursorPageMetadataDto;
}

export class SegmentLeadsResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: [LeadResponseDto] }) data: LeadResponseDto[];
  @ApiProperty({ type: CursorPageMetadataDto }) metadata: CursorPageMetadataDto;
}

export class SegmentPreviewDto {
  @ApiProperty({ example: 42, description: 'How many leads match' }) count: number;
  @ApiProperty({ type: [LeadResponseDto], description: 'The first matching leads, newest first' })
  leads: LeadResponseDto[];
}

export class SegmentPreviewResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: SegmentPreviewDto }) data: SegmentPreviewDto;
}

export class SegmentFieldDto {
  @ApiProperty({ example: 'score', description: 'What a condition’s `field` names' }) field: string;
  @ApiProperty({ example: 'Score' }) label: string;
  @ApiProperty({ enum: segmentFieldTypes }) type: SegmentFieldType;
  @ApiProperty({
    type: [String],
    nullable: true,
    example: null,
    description: 'The values the field takes where they are a fixed set (status), else null',
  })
  values: string[] | null;
}

export class SegmentFieldTypeDto {
  @ApiProperty({ enum: segmentFieldTypes }) type: SegmentFieldType;
  @ApiProperty({ enum: segmentOperators, isArray: true, description: 'The operators a field of this type takes' })
  operators: SegmentOperator[];
}

export class SegmentFieldCatalogueDto {
  @ApiProperty({ type: [SegmentFieldDto], description: 'The lead fields, in form order' }) fields: SegmentFieldDto[];
  @ApiProperty({ type: [SegmentFieldTypeDto], description: 'Every field type with its operators' })
  types: SegmentFieldTypeDto[];
  @ApiProperty({
    enum: segmentOperators,
    isArray: true,
    example: [...segmentListOperators],
    description:
      `The operators whose \`value\` is a list (1 to ${MAX_LIST} values, each of the field’s type); ` +
      'the others take one value, none (is_empty, is_not_empty) or a [from, to] pair (between)',
  })
  listOperators: SegmentOperator[];
  @ApiProperty({
    enum: segmentOperators,
    isArray: true,
    example: [...segmentNoValueOperators],
    description: 'The operators that take no `value` (send none)',
  })
  noValueOperators: SegmentOperator[];
  @ApiProperty({
    enum: segmentOperators,
    isArray: true,
    example: [...segmentPairOperators],
    description: 'The operators whose `value` is a [from, to] pair, from ≤ to',
  })
  pairOperators: SegmentOperator[];
  @ApiProperty({
    example: 'customFields.',
    description: 'A custom field is named by this prefix and its key; its type is `custom`',
  })
  customFieldPrefix: string;
  @ApiProperty({
    type: [String],
    example: ['budget', 'plan'],
    description: 'The custom field keys on this workspace’s leads, sorted (at most 200)',
  })
  customFields: string[];
}

export class SegmentFieldsResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: SegmentFieldCatalogueDto }) data: SegmentFieldCatalogueDto;
}
