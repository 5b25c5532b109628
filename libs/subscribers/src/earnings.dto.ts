import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { CursorPageMetadataDto, CursorPageSizeQueryDto } from '@crescendo/platform';
import { EarningType, earningTypes } from './subscribers.types';
import { IsCurrency, upperTrim } from './money';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** |amount| cap (10^11 minor units = 1 billion in a 2-decimal currency): beyond it is a typo. */
export const MAX_EARNING_AMOUNT = 100_000_000_000;

export const earningGranularities = ['day', 'week', 'month'] as const;
export type EarningGranularity = (typeof earningGranularities)[number];

export class EarningsQueryDto extends CursorPageSizeQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Start, inclusive (ISO 8601). Default: `to` minus 30 days' })
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End, exclusive (ISO 8601). Default: now' })
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    enum: earningGranularities,
    default: 'day',
    description: 'Size of the byPeriod buckets (UTC; weeks start on Monday). day allows 366 days at most',
  })
  @IsOptional()
  @IsIn(earningGranularities)
  period: EarningGranularity = 'day';

  @ApiPropertyOptional({
    example: 'USD',
    description:
      'ISO 4217. Entries and totals are always in one currency; default: the currency with the most entries in the range',
  })
  @IsOptional()
  @Transform(upperTrim)
  @IsCurrency()
  currency?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this subscriber’s entries (404 if not in the workspace)' })
  @IsOptional()
  @IsUUID()
  subscriberId?: string;
}

export class CreateEarningDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A subscriber of the workspace (404 otherwise)' })
  @IsOptional()
  @IsUUID()
  subscriberId?: string;

  @ApiProperty({ enum: EarningType })
  @IsIn(earningTypes)
  type: EarningType;

  @ApiProperty({
    example: 999,
    minimum: -MAX_EARNING_AMOUNT,
    maximum: MAX_EARNING_AMOUNT,
    description: 'Minor units of currency: > 0, except refund entries which are < 0',
  })
  @IsInt()
  @Min(-MAX_EARNING_AMOUNT)
  @Max(MAX_EARNING_AMOUNT)
  amount: number;

  @ApiPropertyOptional({
    example: 'USD',
    description:
      'ISO 4217. Default: the subscriber’s currency; required without a subscriber. Must equal the subscriber’s currency',
  })
  @IsOptional()
  @Transform(upperTrim)
  @IsCurrency()
  currency?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the money was earned. Default: now' })
  @IsOptional()
  @IsDateString({ strict: true })
  occurredAt?: string;

  @ApiPropertyOptional({ maxLength: 500, example: 'Tip on the Friday live' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    example: 'of-payout-2026-11-0042',
    description:
      'Id in the source system, unique per workspace. Sending it again with the same figures returns the ' +
      'existing entry (200); with different figures, 409 EARNING_EXTERNAL_ID_TAKEN',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  externalId?: string;
}

export class EarningDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) subscriberId: string | null;
  @ApiProperty({ enum: EarningType }) type: EarningType;
  @ApiProperty({ example: 999, description: 'Minor units; negative for refunds' }) amount: number;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: String, nullable: true }) externalId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class EarningResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: EarningDto }) data: EarningDto;
}

export class TypeTotalDto {
  @ApiProperty({ example: 2997, description: 'Minor units' }) amount: number;
  @ApiProperty({ example: 3 }) count: number;
}

export class TypeTotalsDto {
  @ApiProperty({ type: TypeTotalDto }) subscription: TypeTotalDto;
  @ApiProperty({ type: TypeTotalDto }) tip: TypeTotalDto;
  @ApiProperty({ type: TypeTotalDto }) message: TypeTotalDto;
  @ApiProperty({ type: TypeTotalDto }) pay_per_view: TypeTotalDto;
  @ApiProperty({ type: TypeTotalDto }) other: TypeTotalDto;
  @ApiProperty({ type: TypeTotalDto, description: 'Amount is negative or 0' }) refund: TypeTotalDto;
}

export class PeriodTotalDto {
  @ApiProperty({ example: '2026-11-02', description: 'First day of the bucket (UTC)' }) period: string;
  @ApiProperty({ example: 1998, description: 'Net: earnings minus refunds, minor units' }) amount: number;
  @ApiProperty({ example: 2 }) count: number;
}

export class EarningsTotalsDto {
  @ApiProperty({ example: 5994, description: 'Every entry but refunds, minor units' }) gross: number;
  @ApiProperty({ example: -999, description: 'Sum of refunds (≤ 0), minor units' }) refunds: number;
  @ApiProperty({ example: 4995, description: 'gross + refunds' }) net: number;
  @ApiProperty({ example: 7, description: 'Entries in the range' }) count: number;
  @ApiProperty({ type: TypeTotalsDto }) byType: TypeTotalsDto;
  @ApiProperty({ type: [PeriodTotalDto], description: 'Every bucket of the range, oldest first, empty ones at 0' })
  byPeriod: PeriodTotalDto[];
}

export class EarningsReportDto {
  @ApiProperty({ type: [EarningDto], description: 'One page of the range’s entries, newest first' })
  entries: EarningDto[];
  @ApiProperty({ type: EarningsTotalsDto }) totals: EarningsTotalsDto;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'USD',
    description: 'The currency of entries and totals; null when the range has no entry and none was asked',
  })
  currency: string | null;
  @ApiProperty({
    type: [String],
    example: ['EUR', 'USD'],
    description: 'Every currency with entries in the range (ask for each with ?currency=)',
  })
  currencies: string[];
  @ApiProperty({ type: String, format: 'date-time' }) from: string;
  @ApiProperty({ type: String, format: 'date-time' }) to: string;
  @ApiProperty({ enum: earningGranularities }) period: EarningGranularity;
}

export class EarningsReportResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: EarningsReportDto }) data: EarningsReportDto;
  @ApiProperty({ type: CursorPageMetadataDto, description: 'Pages of data.entries' }) metadata: CursorPageMetadataDto;
}
