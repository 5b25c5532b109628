import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO4217CurrencyCode, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsIanaTimeZone, IsLanguageTag, OptionalNotNull } from './settings.validators';

export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
export const TIME_FORMATS = ['24h', '12h'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];
export const WEEK_START_DAYS = ['monday', 'sunday', 'saturday'] as const;
export type WeekStartDay = (typeof WEEK_START_DAYS)[number];

export class GeneralSettingsDto {
  @ApiProperty({ type: String, nullable: true, example: 'Acme Studio', description: 'Shown on invoices and e-mails' })
  companyName: string | null;
  @ApiProperty({ example: 'en', description: 'BCP 47 language tag used for generated content and e-mails' })
  defaultLanguage: string;
  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone of the workspace' })
  timezone: string;
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 currency code for revenue and prices' })
  currency: string;
  @ApiProperty({ enum: DATE_FORMATS, example: 'DD/MM/YYYY' })
  dateFormat: DateFormat;
  @ApiProperty({ enum: TIME_FORMATS, example: '24h' })
  timeFormat: TimeFormat;
  @ApiProperty({ enum: WEEK_START_DAYS, example: 'monday' })
  weekStartsOn: WeekStartDay;
}

/** Partial update: absent fields keep their value. */
export class UpdateGeneralSettingsDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 200,
    example: 'Acme Studio',
    description: 'null clears it',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  companyName?: string | null;

  @ApiPropertyOptional({ example: 'fr-FR' })
  @OptionalNotNull()
  @IsLanguageTag()
  defaultLanguage?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris' })
  @OptionalNotNull()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ example: 'EUR' })
  @OptionalNotNull()
  @IsISO4217CurrencyCode({ message: 'currency must be an ISO 4217 currency code such as EUR' })
  currency?: string;

  @ApiPropertyOptional({ enum: DATE_FORMATS })
  @OptionalNotNull()
  @IsIn(DATE_FORMATS)
  dateFormat?: DateFormat;

  @ApiPropertyOptional({ enum: TIME_FORMATS })
  @OptionalNotNull()
  @IsIn(TIME_FORMATS)
  timeFormat?: TimeFormat;

  @ApiPropertyOptional({ enum: WEEK_START_DAYS })
  @OptionalNotNull()
  @IsIn(WEEK_START_DAYS)
  weekStartsOn?: WeekStartDay;
}

export const defaultGeneralSettings = (): GeneralSettingsDto => ({
  companyName: null,
  defaultLanguage: 'en',
  timezone: 'UTC',
  currency: 'USD',
  dateFormat: 'YYYY-MM-DD',
  timeFormat: '24h',
  weekStartsOn: 'monday',
});
