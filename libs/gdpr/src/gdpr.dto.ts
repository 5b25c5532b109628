import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Equals, IsBoolean, IsEmail, IsInt, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { CursorPaginationQueryDto, IsOmittable } from '@crescendo/platform';

export const DELETE_CONFIRMATION = 'DELETE_MY_DATA';

export class DeleteMyDataDto {
  @ApiProperty({ enum: [DELETE_CONFIRMATION], description: 'Exactly DELETE_MY_DATA, or nothing is erased (400)' })
  @Equals(DELETE_CONFIRMATION, { message: `confirmation must be exactly ${DELETE_CONFIRMATION}` })
  confirmation: string;
}

export class DeleteMyDataResponseDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ example: 'All your data has been permanently deleted' }) message: string;
}

export class ConsentStateDto {
  @ApiProperty({ description: 'Always true: needed to run the service' }) necessary: boolean;
  @ApiProperty() analytics: boolean;
  @ApiProperty() marketing: boolean;
  @ApiProperty() preferences: boolean;
}

export class ConsentResponseDto {
  @ApiProperty({ type: ConsentStateDto }) consent: ConsentStateDto;
  @ApiProperty({ description: 'Version of the privacy policy the current choices were made under', example: '2026-01' })
  policyVersion: string;
}

export class UpdateConsentDto {
  @ApiPropertyOptional({ description: 'Cannot be withdrawn: only true is accepted', enum: [true] })
  @IsOmittable()
  @Equals(true, { message: 'necessary cookies cannot be refused' })
  necessary?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() analytics?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() marketing?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() preferences?: boolean;
}

export class UpdateConsentResponseDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ example: 'Consent preferences updated' }) message: string;
}

export class ConsentRecordResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['necessary', 'analytics', 'marketing', 'preferences'] }) purpose: string;
  @ApiProperty({ description: 'true: granted; false: withdrawn' }) granted: boolean;
  @ApiProperty() policyVersion: string;
  @ApiProperty({ type: String, nullable: true }) ip: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ConsentHistoryQueryDto extends CursorPaginationQueryDto {}

export class DataSubjectDto {
  @ApiProperty({ example: 'fan@example.com', description: 'The lead’s or subscriber’s e-mail (case-insensitive)' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail()
  @MaxLength(320)
  email: string;
}

export class EraseDataSubjectResponseDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({
    description: 'Records erased per feature',
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { leads: 1, subscribers: 3 },
  })
  erased: Record<string, number>;
}

const windowDays = (description: string) =>
  ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: 3650, description });

export class UpdateRetentionDto {
  @windowDays('Delete leads neither updated nor contacted for this many days; null: keep')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  inactiveLeadsDays?: number | null;
  @windowDays('Delete AI chat conversations without a message for this many days; null: keep')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  chatHistoryDays?: number | null;
  @windowDays('Delete fan conversations without a message for this many days; null: keep')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  fanConversationsDays?: number | null;
  @windowDays('Delete the workspace’s audit entries older than this many days; null: keep')
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  auditLogsDays?: number | null;
}

export class RetentionResponseDto {
  @ApiProperty({ type: 'integer', nullable: true }) inactiveLeadsDays: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) chatHistoryDays: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) fanConversationsDays: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) auditLogsDays: number | null;
}

export class SubjectConsentQueryDto extends CursorPaginationQueryDto {
  @ApiProperty({
    example: 'fan@example.com',
    description: 'The lead’s, fan’s or subscriber’s e-mail (case-insensitive)',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail()
  @MaxLength(320)
  email: string;
}

export class RecordSubjectConsentDto extends DataSubjectDto {
  @ApiPropertyOptional({ description: 'Consent to marketing e-mail; left out: unchanged' })
  @IsOmittable()
  @IsBoolean()
  marketingEmail?: boolean;
  @ApiPropertyOptional({ description: 'Consent to their data being sent to an AI provider; left out: unchanged' })
  @IsOmittable()
  @IsBoolean()
  aiProcessing?: boolean;
}

export class SubjectConsentStateDto {
  @ApiProperty({ example: 'fan@example.com' }) email: string;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null: never recorded' }) marketingEmail: boolean | null;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'null: never recorded (sent to AI unless the workspace requires consent)',
  })
  aiProcessing: boolean | null;
  @ApiProperty({ description: 'Whether AI features may send this person’s data now' }) aiAllowed: boolean;
}

export class SubjectConsentRecordResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['marketing_email', 'ai_processing'] }) purpose: string;
  @ApiProperty({ description: 'true: granted; false: withdrawn' }) granted: boolean;
  @ApiProperty({ enum: ['manual', 'import'] }) source: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) recordedById: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AiPrivacySettingsDto {
  @ApiProperty({ description: 'Replace e-mail addresses and phone numbers in prompts by placeholders' })
  aiRedactPii: boolean;
  @ApiProperty({ description: 'Send no lead, fan or subscriber to AI without their consent to AI processing' })
  aiRequiresConsent: boolean;
}

export class UpdateAiPrivacySettingsDto {
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() aiRedactPii?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() aiRequiresConsent?: boolean;
}
