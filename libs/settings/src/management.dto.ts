import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUrl, MaxLength, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { IsIanaTimeZone, IsLanguageTag, OptionalNotNull } from './settings.validators';

export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];

/** The signed-in user's own preferences. */
export class ManagementSettingsDto {
  @ApiProperty({ enum: THEMES, example: 'system' }) theme: Theme;
  @ApiProperty({ example: 'en', description: 'Language of the interface (BCP 47)' }) language: string;
  @ApiProperty({ description: 'Receive notification e-mails' }) emailNotifications: boolean;
  @ApiProperty({ description: 'Receive push notifications' }) pushNotifications: boolean;
  @ApiProperty({ description: 'Receive product news and offers' }) marketingEmails: boolean;
  @ApiProperty({ description: 'Denser lists and tables in the interface' }) compactMode: boolean;
  @ApiProperty({ description: 'An in-app notification when someone mentions me (@name) in the forum' })
  forumMentions: boolean;
}

export class UpdateManagementSettingsDto {
  @ApiPropertyOptional({ enum: THEMES }) @OptionalNotNull() @IsIn(THEMES) theme?: Theme;
  @ApiPropertyOptional({ example: 'fr' }) @OptionalNotNull() @IsLanguageTag() language?: string;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() emailNotifications?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() pushNotifications?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() marketingEmails?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() compactMode?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() forumMentions?: boolean;
}

export const defaultManagementSettings = (): ManagementSettingsDto => ({
  theme: 'system',
  language: 'en',
  emailNotifications: true,
  pushNotifications: false,
  marketingEmails: false,
  compactMode: false,
  forumMentions: true,
});

export class ManagementSettingsResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: ManagementSettingsDto }) data: ManagementSettingsDto;
}

export class ProfileDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'email', description: 'Read-only here' }) email: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: 'Creator of analytical engines' }) bio: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'https://cdn.example.com/ada.png' }) avatarUrl: string | null;
  @ApiProperty({ example: 'Europe/London' }) timezone: string;
  @ApiProperty({ example: 'en-GB' }) locale: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class ProfileResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: ProfileDto }) data: ProfileDto;
}

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Partial update of the profile; the e-mail is not changed here. */
export class UpdateProfileDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @OptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  bio?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2048, description: 'An https URL; null clears it' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'avatarUrl must be an https URL' })
  @MaxLength(2048)
  avatarUrl?: string | null;

  @ApiPropertyOptional({ example: 'Europe/Paris' })
  @OptionalNotNull()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ example: 'fr-FR' })
  @OptionalNotNull()
  @IsLanguageTag()
  locale?: string;
}
