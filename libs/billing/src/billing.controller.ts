import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  ApiCursorPaginatedResponse,
  ApiErrors,
  CurrentPrincipal,
  CursorPaginated,
  Permission,
  Public,
  RateLimit,
  RequirePermissions,
  type Principal,
} from '@crescendo/platform';
import {
  CheckoutUrlResponseDto,
  CreateCheckoutSessionDto,
  CreditEntryResponseDto,
  InvoiceResponseDto,
  ListCreditsQueryDto,
  ListInvoicesQueryDto,
  MessagePackCheckoutDto,
  PlansResponseDto,
  PortalUrlResponseDto,
  SessionInfoQueryDto,
  SessionInfoResponseDto,
  SubscriptionResponseDto,
  WebhookReceivedDto,
} from './billing.dto';
import { BillingService } from './billing.service';
import { StripeWebhookService } from './stripe-webhook.service';

const NOT_CONFIGURED = '503 BILLING_NOT_CONFIGURED without STRIPE_SECRET_KEY.';

@ApiTags('billing')
@Controller('checkout')
export class CheckoutController {
  constructor(private readonly billing: BillingService) {}

  @Post('create-session')
  @HttpCode(200)
  @RequirePermissions(Permission.BillingManage)
  @ApiOperation({
    summary: 'Start a Stripe Checkout (subscription) for a plan and billing cycle; answers its url',
    description: `400 UNKNOWN_PLAN, PLAN_NOT_FOR_SALE (no price for that cycle) or UNKNOWN_AFFILIATE_CODE. ${NOT_CONFIGURED}`,
  })
  @ApiOkResponse({ type: CheckoutUrlResponseDto })
  @ApiErrors(400, 502, 503)
  createSession(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateCheckoutSessionDto,
  ): Promise<CheckoutUrlResponseDto> {
    return this.billing.createCheckoutSession(principal, dto);
  }

  @Get('session-info')
  @RequirePermissions(Permission.BillingManage)
  @ApiOperation({
    summary: 'A Checkout Session of this workspace (after the redirect back from Checkout)',
    description: `404 CHECKOUT_SESSION_NOT_FOUND for another workspace's or an unknown session. ${NOT_CONFIGURED}`,
  })
  @ApiOkResponse({ type: SessionInfoResponseDto })
  @ApiErrors(400, 404, 502, 503)
  sessionInfo(
    @CurrentPrincipal() principal: Principal,
    @Query() query: SessionInfoQueryDto,
  ): Promise<SessionInfoResponseDto> {
    return this.billing.sessionInfo(principal.workspaceId, query.session_id);
  }
}

@ApiTags('billing')
@Controller('billing')
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  @Get('plans')
  @RequirePermissions(Permission.BillingManage)
  @ApiOperation({ summary: 'The plan catalogue (prices per cycle, limits) and the message packs for sale' })
  @ApiOkResponse({ type: PlansResponseDto })
  plans(): PlansResponseDto {
    return this.billing.plans();
  }

  @Get('subscription')
  @RequirePermissions(Permission.BillingManage)
  @ApiOperation({
    summary: 'The workspace’s plan, subscription status, renewal, seats, credits and usage against every limit',
  })
  @ApiOkResponse({ type: SubscriptionResponseDto })
  subscription(@CurrentPrincipal() principal: Principal): Promise<SubscriptionResponseDto> {
    return this.billing.subscription(principal.workspaceId);
  }

  @Post('portal')
  @HttpCode(200)
  @RequirePermissions(Permission.BillingManage)
  @ApiOperation({ summary: 'Open a Stripe Customer Portal session; answers its url', description: NOT_CONFIGURED })
  @ApiOkResponse({ type: PortalUrlResponseDto })
  @ApiErrors(502, 503)
  portal(@CurrentPrincipal() principal: Principal): Promise<PortalUrlResponseDto> {
    return this.billing.portal(principal);
  }

  @Post('message-packs/checkout')
  @HttpCode(200)
  @RequirePermissions(Permission.BillingManage)
  @ApiOperation({
    summary: 'Start a one-off Stripe Checkout for a pack of AI generation credits; answers its url',
    description: `400 UNKNOWN_MESSAGE_PACK. ${NOT_CONFIGURED}`,
  })
  @ApiOkResponse({ type: CheckoutUrlResponseDto })
  @ApiErrors(400, 502, 503)
  messagePackCheckout(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: MessagePackCheckoutDto,
  ): Promise<CheckoutUrlResponseDto> {
    return this.billing.createMessagePackCheckout(principal, dto);
  }

  @Get('invoices')
  @RequirePermissions(Permission.BillingManage)
  @ApiOperation({ summary: 'The workspace’s invoices as Stripe’s webhooks reported them, newest first' })
  @ApiCursorPaginatedResponse(InvoiceResponseDto)
  @ApiErrors(400)
  invoices(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListInvoicesQueryDto,
  ): Promise<CursorPaginated<InvoiceResponseDto>> {
    return this.billing.invoices(principal.workspaceId, query);
  }

  @Get('credits')
  @RequirePermissions(Permission.BillingManage)
  @ApiOperation({ summary: 'The credit ledger (purchases, refunds, spending), newest first' })
  @ApiCursorPaginatedResponse(CreditEntryResponseDto)
  @ApiErrors(400)
  credits(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListCreditsQueryDto,
  ): Promise<CursorPaginated<CreditEntryResponseDto>> {
    return this.billing.credits(principal.workspaceId, query);
  }
}

const WEBHOOK_DESCRIPTION =
  'Called by Stripe. The Stripe-Signature header is checked on the raw body (300 s tolerance): a missing, ' +
  'wrong or stale one is a 400 STRIPE_SIGNATURE_INVALID and changes nothing. Each event id is applied once; ' +
  `a replay answers {received: true} and changes nothing. ${NOT_CONFIGURED}`;

/** Both documented webhook paths share one handler, so a Stripe account may point at either. */
function stripeWebhookRoute(summary: string) {
  return applyDecorators(
    Public(),
    HttpCode(200),
    // Stripe delivers from a few addresses in bursts; the signature check is the gate here.
    RateLimit(false),
    ApiOperation({ summary, description: WEBHOOK_DESCRIPTION }),
    ApiHeader({ name: 'stripe-signature', required: true, description: 't=<unix time>,v1=<HMAC-SHA256>' }),
    ApiBody({ schema: { type: 'object', description: 'A Stripe event', additionalProperties: true } }),
    ApiOkResponse({ type: WebhookReceivedDto }),
    ApiErrors(400, 503),
  );
}

@ApiTags('billing')
@Controller()
export class StripeWebhookController {
  constructor(private readonly webhooks: StripeWebhookService) {}

  @Post('stripe-webhook')
  @stripeWebhookRoute('Stripe webhook (checkout, subscriptions, invoices, refunds)')
  stripeWebhook(
    @Req() request: FastifyRequest,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<WebhookReceivedDto> {
    return this.webhooks.receive(request.rawBody, signature);
  }

  @Post('billing/stripe/webhook')
  @stripeWebhookRoute('Stripe webhook (same handler as POST /api/stripe-webhook)')
  billingStripeWebhook(
    @Req() request: FastifyRequest,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<WebhookReceivedDto> {
    return this.webhooks.receive(request.rawBody, signature);
  }
}
