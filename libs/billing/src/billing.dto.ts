import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { billingCycles, CursorPaginationQueryDto, type BillingCycle } from '@crescendo/platform';

export class CreateCheckoutSessionDto {
  @ApiProperty({ example: 'viral', description: 'A plan id of GET /api/billing/plans (400 UNKNOWN_PLAN otherwise)' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  planId: string;

  @ApiProperty({ enum: billingCycles, example: 'monthly' })
  @IsIn(billingCycles)
  billingCycle: BillingCycle;

  @ApiPropertyOptional({
    example: 'PROMO10',
    description: 'A Stripe promotion code applied to the subscription (400 UNKNOWN_AFFILIATE_CODE when no active code)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'affiliateCode must be 1 to 64 letters, digits, - or _' })
  affiliateCode?: string;
}

export class MessagePackCheckoutDto {
  @ApiProperty({ example: 'messages-100', description: 'A message pack id of GET /api/billing/plans' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  packId: string;
}

export class CheckoutUrlResponseDto {
  @ApiProperty({ example: 'https://checkout.stripe.com/c/pay/cs_test_a1b2' }) url: string;
}

export class PortalUrlResponseDto {
  @ApiProperty({ example: 'https://billing.stripe.com/p/session/test_a1b2' }) url: string;
}

export class SessionInfoQueryDto {
  @ApiProperty({ name: 'session_id', example: 'cs_test_a1b2', description: 'The Checkout Session id' })
  @IsString()
  @Matches(/^cs_[A-Za-z0-9_]{1,250}$/, { message: 'session_id must be a Checkout Session id (cs_…)' })
  session_id: string;
}

export class SessionInfoResponseDto {
  @ApiProperty({ example: 'cs_test_a1b2' }) sessionId: string;
  @ApiProperty({ type: String, nullable: true, enum: ['open', 'complete', 'expired'], example: 'complete' })
  status: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'user@example.com' }) customerEmail: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 3900, description: 'Minor units' })
  amountTotal: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'usd' }) currency: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'viral', description: 'null for a message pack' })
  planId: string | null;
  @ApiProperty({ type: String, nullable: true, enum: billingCycles, example: 'monthly' })
  billingCycle: string | null;
}

export class WebhookReceivedDto {
  @ApiProperty({ example: true }) received: boolean;
}

export class PriceDto {
  @ApiProperty({ example: 3900, description: 'Minor units' }) amount: number;
  @ApiProperty({ example: 'usd' }) currency: string;
}

export class PlanPricesDto {
  @ApiPropertyOptional({ type: PriceDto }) monthly?: PriceDto;
  @ApiPropertyOptional({ type: PriceDto }) yearly?: PriceDto;
}

export class PlanLimitsDto {
  @ApiProperty({ example: 2000 }) aiGenerationsPerMonth: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 25, description: 'null: no limit' }) seats: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 25, description: 'null: no limit' }) agents: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 51200, description: 'null: no limit' })
  storageMb: number | null;
}

export class PlanDto {
  @ApiProperty({ example: 'viral' }) id: string;
  @ApiProperty({ example: 'Viral' }) name: string;
  @ApiProperty({ type: PlanPricesDto, description: 'A cycle without a price cannot be bought' }) prices: PlanPricesDto;
  @ApiProperty({ type: PlanLimitsDto }) limits: PlanLimitsDto;
}

export class MessagePackDto {
  @ApiProperty({ example: 'messages-100' }) id: string;
  @ApiProperty({ example: '100 AI generations' }) name: string;
  @ApiProperty({ example: 100 }) credits: number;
  @ApiProperty({ type: PriceDto }) price: PriceDto;
}

export class PlansResponseDto {
  @ApiProperty({ type: [PlanDto] }) plans: PlanDto[];
  @ApiProperty({ type: [MessagePackDto] }) messagePacks: MessagePackDto[];
}

export class UsageDto {
  @ApiProperty({ example: 'aiGenerationsPerMonth', enum: ['aiGenerationsPerMonth', 'seats', 'agents', 'storageMb'] })
  limit: string;
  @ApiProperty({ example: 12, description: 'storageMb: megabytes stored, rounded up' }) used: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 2000, description: 'null: no limit' })
  allowed: number | null;
}

export class SeatsDto {
  @ApiProperty({ example: 3 }) used: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 25, description: 'null: no limit' }) allowed: number | null;
}

export class SubscriptionResponseDto {
  @ApiProperty({ example: 'viral', description: 'The plan in force (its limits apply)' }) plan: string;
  @ApiProperty({ example: 'Viral' }) planName: string;
  @ApiProperty({
    example: 'active',
    description: 'Stripe subscription status (active, trialing, past_due, canceled…); none: never subscribed',
  })
  status: string;
  @ApiProperty({ type: String, nullable: true, enum: billingCycles, example: 'monthly' }) billingCycle: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) currentPeriodEnd: string | null;
  @ApiProperty({ example: false }) cancelAtPeriodEnd: boolean;
  @ApiProperty({ type: SeatsDto }) seats: SeatsDto;
  @ApiProperty({ example: 40, description: 'Message-pack credits left (spent after the monthly AI quota)' })
  creditsBalance: number;
  @ApiProperty({ type: [UsageDto] }) usage: UsageDto[];
  @ApiProperty({ type: PlanLimitsDto }) limits: PlanLimitsDto;
}

export class ListInvoicesQueryDto extends CursorPaginationQueryDto {}
export class ListCreditsQueryDto extends CursorPaginationQueryDto {}

export class InvoiceResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'in_1Abc' }) stripeInvoiceId: string;
  @ApiProperty({ type: String, nullable: true, example: 'A1B2C3-0001' }) number: string | null;
  @ApiProperty({ example: 'paid', description: 'draft, open, paid, uncollectible or void' }) status: string;
  @ApiProperty({ example: 3900, description: 'Minor units' }) amountDue: number;
  @ApiProperty({ example: 3900, description: 'Minor units' }) amountPaid: number;
  @ApiProperty({ example: 'usd' }) currency: string;
  @ApiProperty({ type: String, nullable: true }) hostedInvoiceUrl: string | null;
  @ApiProperty({ type: String, nullable: true }) invoicePdf: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) issuedAt: string;
}

export class CreditEntryResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['purchase', 'refund', 'spend', 'returned'] }) kind: string;
  @ApiProperty({ example: 100, description: 'Credits added (> 0) or taken (< 0)' }) delta: number;
  @ApiProperty({ example: 100 }) balanceAfter: number;
  @ApiProperty({ type: String, nullable: true, example: 'messages-100' }) packId: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 500, description: 'Amount paid or refunded, minor units' })
  amount: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'usd' }) currency: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}
