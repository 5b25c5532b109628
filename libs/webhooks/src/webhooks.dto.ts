import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { CursorPaginationQueryDto } from '@crescendo/platform';
import { CreateLeadDto } from '@crescendo/leads';
import { CampaignStatus, campaignStatuses } from '@crescendo/campaigns';
import { AttemptStatus, InboundSource, InboundStatus } from './webhooks.types';
import { everyDomainEvent } from './webhooks.events';

const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** Event ids identify a delivery to the sender; replays of one id are applied once. */
const EVENT_ID_DOC =
  'Sender’s id of the event, covered by the signature (as is an X-Crescendo-Event-Id header only when signed ' +
  'with it): a replay of an id is applied once';

class InboundEventIdDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'evt_01HZX3', description: EVENT_ID_DOC })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  eventId?: string;
}

/** A lead pushed by a source: created, or updated when a lead of the workspace has the e-mail. */
export class InboundLeadWebhookDto extends PickType(CreateLeadDto, [
  'name',
  'phone',
  'company',
  'jobTitle',
  'source',
  'status',
  'tags',
  'score',
  'notes',
  'customFields',
] as const) {
  @ApiPropertyOptional({ maxLength: 200, example: 'evt_01HZX3', description: EVENT_ID_DOC })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  eventId?: string;

  @ApiProperty({ example: 'grace@example.com', description: 'Identifies the lead: an existing lead is updated' })
  @Transform(lowerTrim)
  @IsEmail()
  @MaxLength(320)
  email: string;
}

export class InboundCampaignWebhookDto extends InboundEventIdDto {
  @ApiProperty({ format: 'uuid', description: 'A campaign of the workspace' })
  @IsUUID()
  campaignId: string;

  @ApiProperty({ enum: CampaignStatus, description: 'Target status; the campaign transition rules apply (409)' })
  @IsIn(campaignStatuses)
  status: CampaignStatus;
}

export class InboundWebhookResultDto {
  @ApiProperty({ example: true }) received: boolean;
  @ApiProperty({ description: 'True when this event id was already applied: nothing was changed again' })
  duplicate: boolean;
  @ApiProperty({ format: 'uuid', description: 'Row of GET /api/webhooks/inbound' }) deliveryId: string;
  @ApiPropertyOptional({ format: 'uuid' }) leadId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) campaignId?: string;
}

export class ListInboundDeliveriesQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: InboundSource })
  @IsOptional()
  @IsIn(Object.values(InboundSource))
  source?: InboundSource;
  @ApiPropertyOptional({ enum: InboundStatus })
  @IsOptional()
  @IsIn(Object.values(InboundStatus))
  status?: InboundStatus;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) eventId?: string;
}

export class InboundDeliveryResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: InboundSource }) source: InboundSource;
  @ApiProperty({ type: String, nullable: true }) eventId: string | null;
  @ApiProperty({ enum: InboundStatus }) status: InboundStatus;
  @ApiProperty({ type: String, nullable: true, example: 'WEBHOOK_SIGNATURE_INVALID' }) reason: string | null;
  @ApiProperty({ example: 200 }) httpStatus: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) leadId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) campaignId: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
}

export class RotatedSecretResponseDto {
  @ApiProperty({ description: 'The new signing secret: shown this once', example: 'whsec_…' }) secret: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until when the previous secret is still accepted (null when there was none)',
  })
  previousValidUntil: string | null;
}

const eventChoices = ['*', ...everyDomainEvent];

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://hooks.example.com/crescendo', maxLength: 2048 })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url: string;

  @ApiProperty({ enum: eventChoices, isArray: true, example: ['lead.created'], description: '`*` for every event' })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsIn(eventChoices, { each: true })
  events: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

/** Partial update; setting active back to true clears the failure count and the disabled reason. */
export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ maxLength: 2048 })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ enum: eventChoices, isArray: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsIn(eventChoices, { each: true })
  events?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class WebhookEndpointResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: [String], example: ['lead.created'] }) events: string[];
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'Deliveries that failed for good in a row' }) consecutiveFailures: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was disabled automatically' })
  disabledReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CreatedWebhookEndpointResponseDto extends WebhookEndpointResponseDto {
  @ApiProperty({ description: 'Signing secret of this endpoint: shown this once', example: 'whsec_…' })
  secret: string;
}

export class ListWebhookEndpointsQueryDto extends CursorPaginationQueryDto {}

export class ListDeliveryAttemptsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: AttemptStatus })
  @IsOptional()
  @IsIn(Object.values(AttemptStatus))
  status?: AttemptStatus;
}

export class DeliveryAttemptResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() eventId: string;
  @ApiProperty({ example: 'lead.created' }) eventType: string;
  @ApiProperty({ example: 1 }) attempt: number;
  @ApiProperty({ enum: AttemptStatus }) status: AttemptStatus;
  @ApiProperty({ type: Number, nullable: true, example: 200 }) responseStatus: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 120 }) durationMs: number | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextRetryAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PingResultDto {
  @ApiProperty({ description: 'The receiver answered 2xx' }) delivered: boolean;
  @ApiProperty({ type: Number, nullable: true }) responseStatus: number | null;
  @ApiProperty({ type: Number, nullable: true }) durationMs: number | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
}
