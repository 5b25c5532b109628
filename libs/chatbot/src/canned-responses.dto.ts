import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { CursorPageMetadataDto, CursorPageSizeQueryDto } from '@crescendo/platform';
import { MAX_TEMPLATE_LENGTH } from './auto-reply.dto';
import { present, trim } from './chatbot.dto-helpers';
import { templateVariables } from './template';

const bodyDoc = `Template; variables: ${Object.keys(templateVariables)
  .map((v) => `{{${v}}}`)
  .join(', ')} (unknown: 400 UNKNOWN_TEMPLATE_VARIABLE)`;

export class ListCannedResponsesQueryDto extends CursorPageSizeQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive match on name or body', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  search?: string;
}

export class UpdateCannedResponseDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    example: 'Welcome',
    description: 'Unique in the workspace (409)',
  })
  @present('name')
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: MAX_TEMPLATE_LENGTH,
    example: 'Welcome {{name}}!',
    description: bodyDoc,
  })
  @present('body')
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TEMPLATE_LENGTH)
  body?: string;
}

export class CreateCannedResponseDto extends UpdateCannedResponseDto {
  static readonly requiredFields = ['name', 'body'];
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Welcome' })
  declare name: string;
  @ApiProperty({ minLength: 1, maxLength: MAX_TEMPLATE_LENGTH, example: 'Welcome {{name}}!', description: bodyDoc })
  declare body: string;
}

export class RenderCannedResponseDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The conversation whose fan fills {{name}}, {{handle}}, {{platform}}; without it they render empty',
  })
  @IsOptional()
  @IsUUID()
  conversationId?: string;
}

export class CannedResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: [String], description: 'The variables the body uses', example: ['name'] }) variables: string[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class CannedResponseResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: CannedResponseDto }) data: CannedResponseDto;
}

export class CannedResponseListResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: [CannedResponseDto], description: 'By name' }) data: CannedResponseDto[];
  @ApiProperty({ type: CursorPageMetadataDto }) metadata: CursorPageMetadataDto;
}

export class RenderedTextDto {
  @ApiProperty({ example: 'Welcome Jane!' }) text: string;
}

export class RenderedCannedResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: RenderedTextDto }) data: RenderedTextDto;
}
