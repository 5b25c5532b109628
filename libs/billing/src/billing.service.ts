import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import {
  AppConfig,
  badRequest,
  BillingCycle,
  CataloguePlan,
  CataloguePrice,
  CursorCodec,
  CursorPaginated,
  effectivePlan,
  findPlan,
  notFound,
  queryBuilderList,
  type Principal,
} from '@crescendo/platform';
import { WorkspacePlanService } from '@crescendo/identity';
import { AiQuotaService } from '@crescendo/ai-tools';
import { AgentsService, ListAgentsQueryDto } from '@crescendo/agents';
import { StudioService } from '@crescendo/studio';
import { BillingInvoiceEntity, CreditLedgerEntity } from './billing.entity';
import { BillingRepository } from './billing.repository';
import {
  CheckoutUrlResponseDto,
  CreateCheckoutSessionDto,
  CreditEntryResponseDto,
  InvoiceResponseDto,
  ListCreditsQueryDto,
  ListInvoicesQueryDto,
  MessagePackCheckoutDto,
  PlanDto,
  PlansResponseDto,
  PortalUrlResponseDto,
  SessionInfoResponseDto,
  SubscriptionResponseDto,
} from './billing.dto';
import { StripeClient } from './stripe.client';

/** What every Checkout Session and subscription of a workspace carries, to find the workspace again. */
export const METADATA_WORKSPACE = 'workspaceId';
export const MESSAGE_PACK_KIND = 'message_pack';
const MEBIBYTE = 1024 * 1024;

/** The SPA's Billing page (a hash route, like the other links the API hands out). */
export function billingPageUrl(config: AppConfig): string {
  return `${config.env.APP_URL.replace(/\/+$/, '')}/#/billing`;
}

/** Plans, Checkout, the Customer Portal and what a workspace sees of its subscription, invoices and credits. */
@Injectable()
export class BillingService {
  constructor(
    private readonly config: AppConfig,
    private readonly stripeClient: StripeClient,
    private readonly repository: BillingRepository,
    private readonly workspaces: WorkspacePlanService,
    private readonly quota: AiQuotaService,
    private readonly agents: AgentsService,
    private readonly studio: StudioService,
    private readonly cursors: CursorCodec,
  ) {}

  plans(): PlansResponseDto {
    const catalogue = this.config.billingCatalogue;
    return {
      plans: catalogue.plans.map(toPlanDto),
      messagePacks: catalogue.messagePacks.map((p) => ({
        id: p.id,
        name: p.name,
        credits: p.credits,
        price: { amount: p.price.amount, currency: p.price.currency },
      })),
    };
  }

  async createCheckoutSession(principal: Principal, dto: CreateCheckoutSessionDto): Promise<CheckoutUrlResponseDto> {
    this.stripeClient.assertConfigured();
    const plan = findPlan(this.config.billingCatalogue, dto.planId);
    if (!plan) {
      throw badRequest('UNKNOWN_PLAN', `There is no plan ${dto.planId}`, [
        { field: 'planId', message: `Use a plan id of GET /api/billing/plans` },
      ]);
    }
    const price = plan.prices[dto.billingCycle];
    if (!price) {
      throw badRequest('PLAN_NOT_FOR_SALE', `The ${plan.id} plan has no ${dto.billingCycle} price`, [
        { field: 'billingCycle', message: `The ${plan.id} plan cannot be bought ${dto.billingCycle}` },
      ]);
    }
    const promotionCode = dto.affiliateCode ? await this.promotionCode(dto.affiliateCode) : undefined;
    const customer = await this.customerOf(principal);
    const metadata = { [METADATA_WORKSPACE]: principal.workspaceId, planId: plan.id, billingCycle: dto.billingCycle };
    const session = await this.stripeClient.call((stripe) =>
      stripe.checkout.sessions.create(
        {
          mode: 'subscription',
          customer,
          client_reference_id: principal.workspaceId,
          line_items: [
            { price: price.stripePriceId, price_data: priceData(plan.name, price, dto.billingCycle), quantity: 1 },
          ],
          metadata,
          subscription_data: { metadata },
          ...(promotionCode ? { discounts: [{ promotion_code: promotionCode }] } : { allow_promotion_codes: true }),
          success_url: `${this.billingPage}?session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${this.billingPage}?checkout=cancelled`,
        },
        { idempotencyKey: `checkout:${principal.workspaceId}:${randomUUID()}` },
      ),
    );
    return { url: checkoutUrl(session) };
  }

  async createMessagePackCheckout(principal: Principal, dto: MessagePackCheckoutDto): Promise<CheckoutUrlResponseDto> {
    this.stripeClient.assertConfigured();
    const pack = this.config.billingCatalogue.messagePacks.find((p) => p.id === dto.packId);
    if (!pack) {
      throw badRequest('UNKNOWN_MESSAGE_PACK', `There is no message pack ${dto.packId}`, [
        { field: 'packId', message: 'Use a message pack id of GET /api/billing/plans' },
      ]);
    }
    const customer = await this.customerOf(principal);
    const metadata = {
      [METADATA_WORKSPACE]: principal.workspaceId,
      kind: MESSAGE_PACK_KIND,
      packId: pack.id,
      credits: String(pack.credits),
    };
    const session = await this.stripeClient.call((stripe) =>
      stripe.checkout.sessions.create(
        {
          mode: 'payment',
          customer,
          client_reference_id: principal.workspaceId,
          line_items: [{ price: pack.price.stripePriceId, price_data: priceData(pack.name, pack.price), quantity: 1 }],
          metadata,
          payment_intent_data: { metadata },
          success_url: `${this.billingPage}?session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${this.billingPage}?checkout=cancelled`,
        },
        { idempotencyKey: `message-pack:${principal.workspaceId}:${randomUUID()}` },
      ),
    );
    return { url: checkoutUrl(session) };
  }

  /** A Checkout Session of the caller's workspace; any other (or unknown) id is a 404. */
  async sessionInfo(workspaceId: string, sessionId: string): Promise<SessionInfoResponseDto> {
    const missing = (error: unknown) => (error as { statusCode?: number }).statusCode === 404;
    let session: Stripe.Checkout.Session;
    try {
      session = await this.stripeClient.call((stripe) => stripe.checkout.sessions.retrieve(sessionId), missing);
    } catch (error) {
      if (missing(error)) throw sessionNotFound();
      throw error;
    }
    if (session.metadata?.[METADATA_WORKSPACE] !== workspaceId) throw sessionNotFound();
    return {
      sessionId: session.id,
      status: session.status ?? null,
      customerEmail: session.customer_details?.email ?? session.customer_email ?? null,
      amountTotal: session.amount_total ?? null,
      currency: session.currency ?? null,
      planId: session.metadata?.planId ?? null,
      billingCycle: session.metadata?.billingCycle ?? null,
    };
  }

  async portal(principal: Principal): Promise<PortalUrlResponseDto> {
    const customer = await this.customerOf(principal);
    const session = await this.stripeClient.call((stripe) =>
      stripe.billingPortal.sessions.create(
        { customer, return_url: this.billingPage },
        { idempotencyKey: `portal:${principal.workspaceId}:${randomUUID()}` },
      ),
    );
    return { url: session.url };
  }

  async subscription(workspaceId: string): Promise<SubscriptionResponseDto> {
    const catalogue = this.config.billingCatalogue;
    const [account, planId, seatsUsed, quota, agents, storageBytes] = await Promise.all([
      this.repository.findAccount(workspaceId),
      this.workspaces.planOf(workspaceId),
      this.workspaces.seatsUsed(workspaceId),
      this.quota.read(workspaceId),
      this.agents.list(workspaceId, Object.assign(new ListAgentsQueryDto(), { page: 1, limit: 1 })),
      this.studio.storageUsed(workspaceId),
    ]);
    const plan = effectivePlan(catalogue, planId);
    return {
      plan: planId,
      planName: plan.name,
      status: account?.subscriptionStatus ?? 'none',
      billingCycle: account?.billingCycle ?? null,
      currentPeriodEnd: account?.currentPeriodEnd?.toISOString() ?? null,
      cancelAtPeriodEnd: account?.cancelAtPeriodEnd ?? false,
      seats: { used: seatsUsed, allowed: plan.limits.seats },
      creditsBalance: account?.creditsBalance ?? 0,
      usage: [
        { limit: 'aiGenerationsPerMonth', used: quota.used, allowed: plan.limits.aiGenerationsPerMonth },
        { limit: 'seats', used: seatsUsed, allowed: plan.limits.seats },
        { limit: 'agents', used: agents.pagination.total, allowed: plan.limits.agents },
        // Whole megabytes, rounded up: one stored byte shows as 1 MB used.
        { limit: 'storageMb', used: Math.ceil(storageBytes / MEBIBYTE), allowed: plan.limits.storageMb },
      ],
      limits: { ...plan.limits },
    };
  }

  /** Newest first, by cursor or page number. */
  invoices(workspaceId: string, query: ListInvoicesQueryDto): Promise<CursorPaginated<InvoiceResponseDto>> {
    return queryBuilderList(this.repository.invoicesQuery(workspaceId), {
      codec: this.cursors,
      scope: `${workspaceId}:billing-invoices`,
      request: query,
      order: { columns: ['i.issued_at', 'i.id'], descending: true },
      map: toInvoiceDto,
    });
  }

  /** The credit ledger, newest first, by cursor or page number. */
  credits(workspaceId: string, query: ListCreditsQueryDto): Promise<CursorPaginated<CreditEntryResponseDto>> {
    return queryBuilderList(this.repository.creditsQuery(workspaceId), {
      codec: this.cursors,
      scope: `${workspaceId}:credit-ledger`,
      request: query,
      order: { columns: ['c.created_at', 'c.id'], descending: true },
      map: toCreditDto,
    });
  }

  private get billingPage(): string {
    return billingPageUrl(this.config);
  }

  /** The active promotion code with this code, or a 400 naming it. */
  private async promotionCode(code: string): Promise<string> {
    const codes = await this.stripeClient.call((stripe) =>
      stripe.promotionCodes.list({ code, active: true, limit: 1 }),
    );
    const found = codes.data[0];
    if (!found) {
      throw badRequest('UNKNOWN_AFFILIATE_CODE', `There is no active affiliate code ${code}`, [
        { field: 'affiliateCode', message: 'Not an active promotion code' },
      ]);
    }
    return found.id;
  }

  /** The workspace's one Stripe customer, created on first use (the idempotency key makes a race create one). */
  private async customerOf(principal: Principal): Promise<string> {
    const account = await this.repository.findAccount(principal.workspaceId);
    if (account?.stripeCustomerId) return account.stripeCustomerId;
    const customer = await this.stripeClient.call((stripe) =>
      stripe.customers.create(
        { metadata: { [METADATA_WORKSPACE]: principal.workspaceId } },
        { idempotencyKey: `customer:${principal.workspaceId}` },
      ),
    );
    return this.repository.attachCustomer(principal.workspaceId, customer.id);
  }
}

function priceData(
  name: string,
  price: CataloguePrice,
  cycle?: BillingCycle,
): Stripe.Checkout.SessionCreateParams.LineItem.PriceData | undefined {
  if (price.stripePriceId) return undefined;
  return {
    currency: price.currency,
    unit_amount: price.amount,
    product_data: { name },
    ...(cycle ? { recurring: { interval: cycle === 'yearly' ? 'year' : 'month' } } : {}),
  };
}

function checkoutUrl(session: Stripe.Checkout.Session): string {
  if (!session.url) throw new Error(`Stripe returned Checkout Session ${session.id} without a url`);
  return session.url;
}

const sessionNotFound = () => notFound('CHECKOUT_SESSION_NOT_FOUND', 'No such Checkout Session in this workspace');

function toPlanDto(plan: CataloguePlan): PlanDto {
  const prices: PlanDto['prices'] = {};
  for (const [cycle, price] of Object.entries(plan.prices) as [BillingCycle, CataloguePrice][]) {
    prices[cycle] = { amount: price.amount, currency: price.currency };
  }
  return { id: plan.id, name: plan.name, prices, limits: { ...plan.limits } };
}

function toInvoiceDto(i: BillingInvoiceEntity): InvoiceResponseDto {
  return {
    id: i.id,
    stripeInvoiceId: i.stripeInvoiceId,
    number: i.number,
    status: i.status,
    amountDue: i.amountDue,
    amountPaid: i.amountPaid,
    currency: i.currency,
    hostedInvoiceUrl: i.hostedInvoiceUrl,
    invoicePdf: i.invoicePdf,
    issuedAt: i.issuedAt.toISOString(),
  };
}

function toCreditDto(c: CreditLedgerEntity): CreditEntryResponseDto {
  return {
    id: c.id,
    kind: c.kind,
    delta: c.delta,
    balanceAfter: c.balanceAfter,
    packId: c.packId,
    amount: c.amount,
    currency: c.currency,
    createdAt: c.createdAt.toISOString(),
  };
}
