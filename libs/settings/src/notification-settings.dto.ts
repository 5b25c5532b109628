import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, ValidateNested } from 'class-validator';
import { IsTimeOfDay, OptionalNotNull } from './settings.validators';

export const DIGEST_FREQUENCIES = ['none', 'daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** One switch per event the platform notifies about. */
export class NotificationEventsDto {
  @ApiProperty({ description: 'A lead arrives (form, import, webhook)' }) newLead: boolean;
  @ApiProperty({ description: "A lead's status changes" }) leadStatusChanged: boolean;
  @ApiProperty({ description: 'A campaign starts, pauses or completes' }) campaignStatusChanged: boolean;
  @ApiProperty({ description: 'An AI agent fails' }) agentError: boolean;
  @ApiProperty({ description: 'An automation rule fails (its first failure in a row, and the one that pauses it)' })
  automationFailed: boolean;
  @ApiProperty({ description: 'The monthly AI generation quota reaches 80 % or 100 %' }) aiQuota: boolean;
  @ApiProperty({ description: 'A generation, import or export job finishes' }) jobCompleted: boolean;
  @ApiProperty({ description: 'A payment succeeds' }) paymentSucceeded: boolean;
  @ApiProperty({ description: 'A payment fails' }) paymentFailed: boolean;
  @ApiProperty({ description: 'The weekly performance report is ready' }) weeklyReport: boolean;
}

export class UpdateNotificationEventsDto {
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() newLead?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() leadStatusChanged?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() campaignStatusChanged?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() agentError?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() automationFailed?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() aiQuota?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() jobCompleted?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() paymentSucceeded?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() paymentFailed?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() weeklyReport?: boolean;
}

/** The events Slack can be told about (posted to the workspace's Slack incoming webhook). */
export class SlackNotificationEventsDto {
  @ApiProperty({ description: 'A lead is created (form, API, webhook)' }) newLead: boolean;
  @ApiProperty({ description: "A lead's status changes" }) leadStatusChanged: boolean;
  @ApiProperty({ description: 'A campaign starts, pauses or completes' }) campaignStatusChanged: boolean;
  @ApiProperty({ description: 'A leads import finishes' }) importCompleted: boolean;
}

export class UpdateSlackNotificationEventsDto {
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() newLead?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() leadStatusChanged?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() campaignStatusChanged?: boolean;
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() importCompleted?: boolean;
}

export class QuietHoursDto {
  @ApiProperty({ description: 'When on, only urgent notifications are sent between start and end' }) enabled: boolean;
  @ApiProperty({ example: '22:00', description: 'HH:mm in the workspace time zone' }) start: string;
  @ApiProperty({ example: '07:00', description: 'HH:mm; may be earlier than start (spans midnight)' }) end: string;
}

export class UpdateQuietHoursDto {
  @ApiPropertyOptional() @OptionalNotNull() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ example: '22:00' }) @OptionalNotNull() @IsTimeOfDay() start?: string;
  @ApiPropertyOptional({ example: '07:00' }) @OptionalNotNull() @IsTimeOfDay() end?: string;
}

export class NotificationSettingsDto {
  @ApiProperty({ type: NotificationEventsDto, description: 'E-mail notifications per event' })
  email: NotificationEventsDto;
  @ApiProperty({ type: NotificationEventsDto, description: 'In-app notifications per event' })
  inApp: NotificationEventsDto;
  @ApiProperty({
    type: SlackNotificationEventsDto,
    description: 'Slack messages per event, sent when settings › integrations has a Slack webhook URL',
  })
  slack: SlackNotificationEventsDto;
  @ApiProperty({ enum: DIGEST_FREQUENCIES, description: 'How often a summary e-mail is sent' })
  digestFrequency: DigestFrequency;
  @ApiProperty({ type: QuietHoursDto })
  quietHours: QuietHoursDto;
}

/** Partial update: absent fields (at any depth) keep their value. */
export class UpdateNotificationSettingsDto {
  @ApiPropertyOptional({ type: UpdateNotificationEventsDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateNotificationEventsDto)
  email?: UpdateNotificationEventsDto;

  @ApiPropertyOptional({ type: UpdateNotificationEventsDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateNotificationEventsDto)
  inApp?: UpdateNotificationEventsDto;

  @ApiPropertyOptional({ type: UpdateSlackNotificationEventsDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateSlackNotificationEventsDto)
  slack?: UpdateSlackNotificationEventsDto;

  @ApiPropertyOptional({ enum: DIGEST_FREQUENCIES })
  @OptionalNotNull()
  @IsIn(DIGEST_FREQUENCIES)
  digestFrequency?: DigestFrequency;

  @ApiPropertyOptional({ type: UpdateQuietHoursDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateQuietHoursDto)
  quietHours?: UpdateQuietHoursDto;
}

export const defaultNotificationSettings = (): NotificationSettingsDto => ({
  email: {
    newLead: true,
    leadStatusChanged: false,
    campaignStatusChanged: true,
    agentError: true,
    automationFailed: true,
    aiQuota: true,
    jobCompleted: false,
    paymentSucceeded: true,
    paymentFailed: true,
    weeklyReport: true,
  },
  inApp: {
    newLead: true,
    leadStatusChanged: true,
    campaignStatusChanged: true,
    agentError: true,
    automationFailed: true,
    aiQuota: true,
    jobCompleted: true,
    paymentSucceeded: true,
    paymentFailed: true,
    weeklyReport: false,
  },
  slack: { newLead: true, leadStatusChanged: false, campaignStatusChanged: true, importCompleted: false },
  digestFrequency: 'weekly',
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
});
