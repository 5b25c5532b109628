import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsDateString,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { CursorPageMetadataDto, CursorPageSizeQueryDto } from '@crescendo/platform';
import { IsCurrency, upperTrim } from './money';
import { SubscriberPlatform, subscriberPlatforms, SubscriberStatus, subscriberStatuses } from './subscribers.types';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const handleOf = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().replace(/^@/, '').toLowerCase() : value;
/** Present means not null: for columns that cannot be cleared. */
const present = (field: string) => ValidateIf((o: Record<string, unknown>) => o[field] !== undefined);

/** 10^9 minor units: a monthly price beyond that is a typo. */
const MAX_MONTHLY_PRICE = 1_000_000_000;

export const subscriberSortFields = ['subscribedSince', 'lifetimeSpend', 'monthlyPrice'] as const;
export type SubscriberSortField = (typeof subscriberSortFields)[number];

export class ListSubscribersQueryDto extends CursorPageSizeQueryDto {
  @ApiPropertyOptional({ enum: SubscriberStatus })
  @IsOptional()
  @IsIn(subscriberStatuses)
  status?: SubscriberStatus;

  @ApiPropertyOptional({ enum: SubscriberPlatform })
  @IsOptional()
  @IsIn(subscriberPlatforms)
  platform?: SubscriberPlatform;

  @ApiPropertyOptional({ description: 'Exact tier, case-insensitive', example: 'VIP', maxLength: 50 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  tier?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive match on display name, handle or e-mail', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: subscriberSortFields, default: 'subscribedSince' })
  @IsOptional()
  @IsIn(subscriberSortFields)
  sortBy: SubscriberSortField = 'subscribedSince';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'desc';
}

/** The fields a create and an update share; platform and handle are required on create only. */
class SubscriberFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200, example: 'Jane D.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  displayName?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'jane@example.com',
    description: 'Stored lower-cased; links the subscriber to the workspace’s lead with this e-mail (leadId)',
  })
  @IsOptional()
  @Transform(lowerTrim)
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 50, example: 'VIP' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  tier?: string | null;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_MONTHLY_PRICE,
    default: 0,
    example: 999,
    description: 'Minor units of currency (999 = 9.99 USD)',
  })
  @present('monthlyPrice')
  @IsInt()
  @Min(0)
  @Max(MAX_MONTHLY_PRICE)
  monthlyPrice?: number;

  @ApiPropertyOptional({
    example: 'USD',
    default: 'USD',
    description:
      'ISO 4217, upper-cased. Cannot change once the subscriber has earnings (409 SUBSCRIBER_CURRENCY_LOCKED)',
  })
  @present('currency')
  @Transform(upperTrim)
  @IsCurrency()
  currency?: string;

  @ApiPropertyOptional({ enum: SubscriberStatus, default: SubscriberStatus.Active })
  @present('status')
  @IsIn(subscriberStatuses)
  status?: SubscriberStatus;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Defaults to now on create' })
  @present('subscribedSince')
  @IsDateString({ strict: true })
  subscribedSince?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  notes?: string | null;
}

const handleDoc = {
  example: 'jane_doe',
  maxLength: 100,
  description: 'Username on the platform; stored lower-cased without a leading @; unique per platform (409)',
};

export class CreateSubscriberDto extends SubscriberFieldsDto {
  @ApiProperty({ enum: SubscriberPlatform })
  @IsIn(subscriberPlatforms)
  platform: SubscriberPlatform;

  @ApiProperty(handleDoc)
  @Transform(handleOf)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/^\S+$/, { message: 'handle must not contain spaces' })
  handle: string;
}

/** Every field optional: only what is sent changes; null clears a nullable field. */
export class UpdateSubscriberDto extends SubscriberFieldsDto {
  @ApiPropertyOptional({ enum: SubscriberPlatform })
  @present('platform')
  @IsIn(subscriberPlatforms)
  platform?: SubscriberPlatform;

  @ApiPropertyOptional(handleDoc)
  @present('handle')
  @Transform(handleOf)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/^\S+$/, { message: 'handle must not contain spaces' })
  handle?: string;
}

export class SubscriberDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: SubscriberPlatform }) platform: SubscriberPlatform;
  @ApiProperty({ example: 'jane_doe' }) handle: string;
  @ApiProperty({ type: String, nullable: true }) displayName: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) tier: string | null;
  @ApiProperty({ example: 999, description: 'Minor units of currency' }) monthlyPrice: number;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ enum: SubscriberStatus }) status: SubscriberStatus;
  @ApiProperty({ type: String, format: 'date-time' }) subscribedSince: string;
  @ApiProperty({ example: 3, description: 'Subscription events recorded in the earnings ledger' }) renewals: number;
  @ApiProperty({
    example: 4497,
    description: 'Sum of the subscriber’s earnings entries (refunds subtract), minor units of currency',
  })
  lifetimeSpend: number;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The workspace’s lead with the same e-mail, matched on create and on every e-mail change',
  })
  leadId: string | null;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class SubscriberResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: SubscriberDto }) data: SubscriberDto;
}

export class SubscriberListResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: [SubscriberDto] }) data: SubscriberDto[];
  @ApiProperty({ type: CursorPageMetadataDto }) metadata: CursorPageMetadataDto;
}
