import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsSlackWebhookUrl, OptionalNotNull } from './settings.validators';

/** How a secret is shown back: never its value, only whether it is set and a recognisable mask. */
export class SecretStatusDto {
  @ApiProperty({ description: 'Whether a value is stored' }) configured: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'sk-…abcd', description: 'Start and end of the value' })
  masked: string | null;
}

export class SmtpSettingsDto {
  @ApiProperty({ type: String, nullable: true, example: 'smtp.example.com' }) host: string | null;
  @ApiProperty({ example: 587 }) port: number;
  @ApiProperty({ description: 'TLS from the first byte (port 465) rather than STARTTLS' }) secure: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'mailer@example.com' }) username: string | null;
  @ApiProperty({ type: SecretStatusDto }) password: SecretStatusDto;
  @ApiProperty({ type: String, nullable: true, example: 'hello@example.com' }) fromEmail: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Acme Studio' }) fromName: string | null;
}

export class IntegrationSettingsDto {
  @ApiProperty({ type: SecretStatusDto, description: 'OpenAI (or compatible) API key of the workspace' })
  openaiApiKey: SecretStatusDto;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'http://localhost:11434/v1',
    description: 'OpenAI-compatible server',
  })
  openaiBaseUrl: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'org-123' }) openaiOrganization: string | null;
  @ApiProperty({ type: SecretStatusDto, description: 'Slack incoming webhook URL (a credential)' })
  slackWebhookUrl: SecretStatusDto;
  @ApiProperty({ type: SecretStatusDto, description: 'Secret that signs inbound lead and campaign webhooks' })
  webhookSigningSecret: SecretStatusDto;
  @ApiProperty({ type: SmtpSettingsDto, description: 'Overrides the instance SMTP server for this workspace' })
  smtp: SmtpSettingsDto;
}

const SECRET_DOC = 'A string sets it, null clears it, absent keeps it';

export class UpdateSmtpSettingsDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'smtp.example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  host?: string | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 65535, example: 587 })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() secure?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  username?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, writeOnly: true, description: SECRET_DOC })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  password?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'email' })
  @IsOptional()
  @IsEmail()
  fromEmail?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  fromName?: string | null;
}

/** Partial update: absent fields keep their value; for secrets a string sets, null clears. */
export class UpdateIntegrationSettingsDto {
  @ApiPropertyOptional({ type: String, nullable: true, writeOnly: true, example: 'sk-proj-…', description: SECRET_DOC })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(500)
  openaiApiKey?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://api.openai.com/v1' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  openaiBaseUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  openaiOrganization?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    writeOnly: true,
    example: 'https://hooks.slack.com/services/…',
    description: SECRET_DOC,
  })
  @IsOptional()
  @IsSlackWebhookUrl()
  @MaxLength(2048)
  slackWebhookUrl?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, writeOnly: true, minLength: 16, description: SECRET_DOC })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(500)
  webhookSigningSecret?: string | null;

  @ApiPropertyOptional({ type: UpdateSmtpSettingsDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateSmtpSettingsDto)
  smtp?: UpdateSmtpSettingsDto;
}

/** The integrations as stored: secrets sealed by SecretBox. */
export interface StoredIntegrations {
  openaiApiKey: string | null;
  openaiBaseUrl: string | null;
  openaiOrganization: string | null;
  slackWebhookUrl: string | null;
  webhookSigningSecret: string | null;
  /** The secret a rotation replaced, still accepted until `webhookSigningSecretPreviousUntil` (ISO date). */
  webhookSigningSecretPrevious: string | null;
  webhookSigningSecretPreviousUntil: string | null;
  smtp: {
    host: string | null;
    port: number;
    secure: boolean;
    username: string | null;
    password: string | null;
    fromEmail: string | null;
    fromName: string | null;
  };
}

/** The same values with secrets opened, for the features that call those services (never for an answer). */
export type ResolvedIntegrations = StoredIntegrations;

export const defaultIntegrations = (): StoredIntegrations => ({
  openaiApiKey: null,
  openaiBaseUrl: null,
  openaiOrganization: null,
  slackWebhookUrl: null,
  webhookSigningSecret: null,
  webhookSigningSecretPrevious: null,
  webhookSigningSecretPreviousUntil: null,
  smtp: { host: null, port: 587, secure: false, username: null, password: null, fromEmail: null, fromName: null },
});
