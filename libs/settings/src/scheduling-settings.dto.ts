import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { IsIanaTimeZone, IsTimeOfDay, OptionalNotNull } from './settings.validators';

export const WEEK_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

export class WorkingHoursDto {
  @ApiProperty({ example: '09:00', description: 'HH:mm, before end' }) start: string;
  @ApiProperty({ example: '18:00', description: 'HH:mm, after start' }) end: string;
}

export class UpdateWorkingHoursDto {
  @ApiPropertyOptional({ example: '09:00' }) @OptionalNotNull() @IsTimeOfDay() start?: string;
  @ApiPropertyOptional({ example: '18:00' }) @OptionalNotNull() @IsTimeOfDay() end?: string;
}

export class SchedulingSettingsDto {
  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone the schedule is expressed in' })
  timezone: string;
  @ApiProperty({ enum: WEEK_DAYS, isArray: true, example: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] })
  workingDays: WeekDay[];
  @ApiProperty({ type: WorkingHoursDto })
  workingHours: WorkingHoursDto;
  @ApiProperty({ type: [String], example: ['09:00', '12:30', '18:00'], description: 'Preferred posting times, sorted' })
  postingSlots: string[];
  @ApiProperty({ minimum: 1, maximum: 100, example: 3 })
  maxPostsPerDay: number;
}

/** Partial update: absent fields keep their value; arrays are replaced whole. */
export class UpdateSchedulingSettingsDto {
  @ApiPropertyOptional({ example: 'Europe/Paris' })
  @OptionalNotNull()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ enum: WEEK_DAYS, isArray: true })
  @OptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(7)
  @IsIn(WEEK_DAYS, { each: true })
  workingDays?: WeekDay[];

  @ApiPropertyOptional({ type: UpdateWorkingHoursDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => UpdateWorkingHoursDto)
  workingHours?: UpdateWorkingHoursDto;

  @ApiPropertyOptional({ type: [String], example: ['09:00', '18:00'], maxItems: 48 })
  @OptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(48)
  @IsTimeOfDay({ each: true })
  postingSlots?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(100)
  maxPostsPerDay?: number;
}

export const defaultSchedulingSettings = (): SchedulingSettingsDto => ({
  timezone: 'UTC',
  workingDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
  workingHours: { start: '09:00', end: '18:00' },
  postingSlots: ['09:00', '12:00', '18:00'],
  maxPostsPerDay: 3,
});
