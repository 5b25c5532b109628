import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import {
  AppConfig,
  badRequest,
  type CataloguePlan,
  findPlan,
  formatMoney,
  FREE_PLAN,
  LruMap,
  MailService,
  stableUuid,
} from '@crescendo/platform';
import { WorkspacePlanService } from '@crescendo/identity';
import { type NewNotification, NotificationsService, type WrittenNotification } from '@crescendo/analytics';
import { BillingAccountEntity, CreditEntryKind } from './billing.entity';
import { BillingRepository, InvoiceState, SubscriptionState } from './billing.repository';
import { billingMails } from './billing-mails';
import { billingPageUrl, MESSAGE_PACK_KIND, METADATA_WORKSPACE } from './billing.service';
import { StripeClient } from './stripe.client';

/** The routes whose raw bytes are kept for the Stripe signature (see keepRawBody). */
export const STRIPE_WEBHOOK_PATHS = ['/api/stripe-webhook', '/api/billing/stripe/webhook'] as const;

const FOREIGN_KEY_VIOLATION = '23503';
/** Stripe retries a delivery within minutes to days: the recent ones are what a replay asks about. */
const SETTLED_EVENTS_KEPT = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Subscription statuses that keep the plan's entitlements (past_due: Stripe is still retrying). */
const ENTITLED = new Set(['active', 'trialing', 'past_due']);
/** Final statuses: a subscription never leaves them. */
const ENDED = new Set(['canceled', 'incomplete_expired']);
/** Statuses a paid invoice ends. */
const RECOVERABLE = new Set(['past_due', 'unpaid', 'incomplete']);

/** Work to do once the event's transaction has committed (mails), so a rolled-back event sends nothing. */
type AfterCommit = () => Promise<void>;

/**
 * Stripe webhooks: the signature is checked on the raw body, then each event id is claimed under the primary
 * key of stripe_events in the same transaction as its effect, so a replay (or ten concurrent deliveries)
 * applies once. Subscription events converge to Stripe's latest state without calling Stripe: each carries the
 * subscription as it was at the event's `created`, applied under the account's row lock only when it is not older
 * than the state kept, so a late, older event cannot roll a newer state back.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger(StripeWebhookService.name);
  /** Events whose id this process saw claimed in stripe_events (a row never removed). */
  private readonly settled = new LruMap<true>(SETTLED_EVENTS_KEPT);

  constructor(
    private readonly config: AppConfig,
    private readonly stripeClient: StripeClient,
    private readonly repository: BillingRepository,
    private readonly workspaces: WorkspacePlanService,
    private readonly mail: MailService,
    private readonly notifications: NotificationsService,
  ) {}

  async receive(rawBody: Buffer | undefined, signature: string | string[] | undefined): Promise<{ received: true }> {
    const secret = this.stripeClient.webhookSecret;
    const stripe = this.stripeClient.stripe;
    if (!rawBody || typeof signature !== 'string' || !signature) {
      throw badRequest(
        'STRIPE_SIGNATURE_INVALID',
        'Send the event as Stripe signs it, with its Stripe-Signature header',
      );
    }
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(rawBody, signature, secret);
    } catch (error) {
      throw badRequest('STRIPE_SIGNATURE_INVALID', `The Stripe signature does not verify: ${(error as Error).message}`);
    }
    if (this.settled.get(event.id)) return { received: true };
    const after = await this.apply(event);
    // Claimed now or before, committed either way: a replay to this process changes nothing, and is answered here.
    this.settled.set(event.id, true);
    if (after) await after();
    return { received: true };
  }

  private async apply(event: Stripe.Event): Promise<AfterCommit | null> {
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
        return this.checkoutCompleted(event, event.data.object);
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
        return this.subscriptionChanged(event, event.data.object);
      case 'invoice.paid':
      case 'invoice.payment_succeeded':
      case 'invoice.payment_failed':
      case 'invoice.finalized':
      case 'invoice.voided':
        return this.invoiceChanged(event, event.data.object);
      case 'charge.refunded':
        return this.chargeRefunded(event, event.data.object);
      default:
        this.logger.log({ eventId: event.id, type: event.type }, 'Stripe event acknowledged, not handled');
        await this.recordOnly(event);
        return null;
    }
  }

  private async checkoutCompleted(event: Stripe.Event, session: Stripe.Checkout.Session): Promise<AfterCommit | null> {
    const workspaceId = await this.workspaceOf(session.metadata, idOf(session.customer));
    const customer = idOf(session.customer);
    if (session.mode === 'subscription' && session.subscription) {
      return this.withEvent(event, workspaceId, async (manager, ws) => {
        if (customer) await this.repository.attachCustomer(ws, customer, manager);
        const account = await this.repository.lockAccount(manager, ws);
        const state = this.checkoutState(event, session, account);
        return state
          ? [this.planChanged(ws, event.id, await this.applySubscription(manager, ws, account, state, customer))]
          : [];
      });
    }
    const credits = this.packCredits(event, session);
    if (credits === null) {
      return this.withEvent(event, workspaceId, async (manager, ws) => {
        if (customer) await this.repository.attachCustomer(ws, customer, manager);
      });
    }
    return this.once(event, workspaceId, (ws) =>
      this.repository.claimWithCredits(event, ws, {
        kind: CreditEntryKind.Purchase,
        delta: credits,
        customer,
        packId: session.metadata?.packId ?? null,
        reference: idOf(session.payment_intent) ?? session.id,
        amount: session.amount_total ?? null,
        currency: session.currency ?? null,
      }),
    );
  }

  /** The credits of a paid message-pack session; null for anything else. */
  private packCredits(event: Stripe.Event, session: Stripe.Checkout.Session): number | null {
    if (session.metadata?.kind !== MESSAGE_PACK_KIND || session.payment_status !== 'paid') return null;
    const pack = this.config.billingCatalogue.messagePacks.find((p) => p.id === session.metadata?.packId);
    const credits = pack?.credits ?? Number(session.metadata?.credits);
    if (Number.isInteger(credits) && credits > 0) return credits;
    this.logger.warn({ eventId: event.id, sessionId: session.id }, 'Message pack without a credit count');
    return null;
  }

  /** The subscription object of the event is its state at `event.created`: applied unless a newer one is kept. */
  private async subscriptionChanged(event: Stripe.Event, sub: Stripe.Subscription): Promise<AfterCommit | null> {
    const workspaceId = await this.workspaceOf(sub.metadata, idOf(sub.customer));
    return this.withEvent(event, workspaceId, async (manager, ws) => {
      const account = await this.repository.lockAccount(manager, ws);
      const state = this.subscriptionState(event, sub);
      return [
        this.planChanged(ws, event.id, await this.applySubscription(manager, ws, account, state, idOf(sub.customer))),
      ];
    });
  }

  private async invoiceChanged(event: Stripe.Event, invoice: Stripe.Invoice): Promise<AfterCommit | null> {
    const subscriptionMeta = invoice.parent?.subscription_details?.metadata ?? null;
    const workspaceId = await this.workspaceOf(subscriptionMeta ?? invoice.metadata, idOf(invoice.customer));
    const subscription = invoice.parent?.subscription_details?.subscription;
    const paid = event.type === 'invoice.paid' || event.type === 'invoice.payment_succeeded';
    if (!subscription) {
      // The payment's notification is written by the statement that claims the event: with it or not at all.
      const outcome: { written: WrittenNotification | null } = { written: null };
      const after = await this.once(event, workspaceId, async (ws) => {
        const notice = paid ? paymentSucceeded(ws, invoice) : null;
        const { claimed, written } = await this.repository.claimWithInvoice<WrittenNotification>(
          event,
          ws,
          toInvoiceState(invoice),
          notice ? this.notifications.insertion(notice) : undefined,
        );
        outcome.written = written;
        return claimed;
      });
      const { written } = outcome;
      return written ? this.followedBy(after, async () => void this.notifications.announce(written)) : after;
    }
    const failed = event.type === 'invoice.payment_failed';
    const after = await this.withEvent(event, workspaceId, async (manager, ws) => {
      // The invoice row is its own (upserted under its unique id); only a subscription change needs the account.
      await this.repository.upsertInvoice(manager, ws, toInvoiceState(invoice));
      const account = await this.repository.lockAccount(manager, ws);
      const plan = await this.invoiceStatus(manager, ws, account, event, idOf(subscription) as string);
      if (failed) return [paymentFailed(ws, event.id, invoice)];
      return paid ? [paymentSucceeded(ws, invoice), this.planChanged(ws, event.id, plan)] : [];
    });
    if (!failed || !workspaceId) return after;
    return this.followedBy(after, () => this.mailPaymentFailed(workspaceId, invoice));
  }

  /** A refunded message pack takes back its share of the credits, as far as they are unspent. */
  private async chargeRefunded(event: Stripe.Event, charge: Stripe.Charge): Promise<AfterCommit | null> {
    const reference = idOf(charge.payment_intent);
    const workspaceId = await this.workspaceOf(charge.metadata, idOf(charge.customer));
    return this.withEvent(event, workspaceId, async (manager, ws) => {
      if (!reference) return;
      const purchase = await this.repository.purchaseOf(manager, reference);
      if (!purchase || purchase.workspaceId !== ws) return;
      const account = await this.repository.lockAccount(manager, ws);
      const share =
        purchase.amount > 0 && charge.amount_refunded < purchase.amount
          ? Math.floor((purchase.credits * charge.amount_refunded) / purchase.amount)
          : purchase.credits;
      const take = Math.min(share - purchase.revoked, account.creditsBalance);
      if (take <= 0) return;
      await this.repository.addCredits(manager, ws, {
        kind: CreditEntryKind.Refund,
        delta: -take,
        reference,
        amount: -charge.amount_refunded,
        currency: charge.currency,
      });
    });
  }

  /**
   * Claims the event and runs its effect in one transaction; a replay seen before stops at a read. An event whose
   * workspace is unknown is recorded (acknowledged) with no effect.
   */
  private async withEvent(
    event: Stripe.Event,
    workspaceId: string | null,
    effect: (manager: EntityManager, workspaceId: string) => Promise<(NewNotification | null)[] | void>,
  ): Promise<AfterCommit | null> {
    if (await this.repository.eventSeen(event.id)) return null;
    let written: WrittenNotification[] = [];
    const after = await this.once(event, workspaceId, (ws) =>
      this.repository.transaction(async (manager) => {
        written = [];
        if (!(await this.repository.claimEvent(manager, event.id, event.type, ws))) return false;
        // The effect's notifications are written in its transaction: with it or not at all.
        for (const notice of (await effect(manager, ws)) ?? []) {
          const row = notice && (await this.notifications.notifyWithin(manager, notice));
          if (row) written.push(row);
        }
        return true;
      }),
    );
    return this.followedBy(after, async () => {
      for (const row of written) this.notifications.announce(row);
    });
  }

  /**
   * Runs `claimAndApply` (true when it claimed the event) for the workspace. The claim's foreign key refuses a
   * workspace that does not exist (nothing of the effect stays): the event is then recorded with no workspace.
   */
  private async once(
    event: Stripe.Event,
    workspaceId: string | null,
    claimAndApply: (workspaceId: string) => Promise<boolean>,
  ): Promise<AfterCommit | null> {
    if (workspaceId) {
      try {
        return (await claimAndApply(workspaceId)) ? async () => undefined : null;
      } catch (error) {
        if ((error as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw error;
      }
    }
    this.logger.warn({ eventId: event.id, type: event.type }, 'Stripe event for no known workspace');
    await this.recordOnly(event);
    return null;
  }

  private recordOnly(event: Stripe.Event): Promise<boolean> {
    return this.repository.transaction((m) => this.repository.claimEvent(m, event.id, event.type, null));
  }

  /**
   * Puts the account and the workspace's plan in a subscription state taken from an event's payload, unless the
   * account already holds a newer one: Stripe delivers out of order, so the event's `created` orders the states,
   * and a subscription once ended stays ended (Stripe never reactivates it). Same-second events apply in arrival
   * order. Answers the workspace's new plan when it changed, else null.
   */
  private async applySubscription(
    manager: EntityManager,
    workspaceId: string,
    account: BillingAccountEntity,
    state: SubscriptionState,
    customer: string | null,
  ): Promise<string | null> {
    const sameSubscription = account.stripeSubscriptionId === state.stripeSubscriptionId;
    if (sameSubscription && ENDED.has(account.subscriptionStatus ?? '')) return null;
    if (account.subscriptionStateAt && state.stateAt < account.subscriptionStateAt) return null;
    const entitled = ENTITLED.has(state.subscriptionStatus);
    // An old subscription ending after the workspace moved to a new one changes nothing.
    if (!entitled && account.stripeSubscriptionId && !sameSubscription) return null;
    await this.repository.saveSubscription(manager, workspaceId, state, customer);
    const next = entitled && state.subscribedPlan ? state.subscribedPlan : FREE_PLAN;
    return (await this.workspaces.setPlan(manager, workspaceId, next)) ? next : null;
  }

  /**
   * An invoice of the account's subscription moves its status: a failed payment makes it past_due (Stripe retries;
   * the plan stays), a paid one brings a past_due or unpaid subscription back to active (and its plan back).
   * Answers the workspace's new plan when it changed, else null.
   */
  private async invoiceStatus(
    manager: EntityManager,
    workspaceId: string,
    account: BillingAccountEntity,
    event: Stripe.Event,
    subscriptionId: string,
  ): Promise<string | null> {
    const stateAt = eventTime(event);
    if (account.stripeSubscriptionId !== subscriptionId || ENDED.has(account.subscriptionStatus ?? '')) return null;
    if (account.subscriptionStateAt && stateAt < account.subscriptionStateAt) return null;
    const status =
      event.type === 'invoice.payment_failed'
        ? 'past_due'
        : RECOVERABLE.has(account.subscriptionStatus ?? '')
          ? 'active'
          : null;
    if (!status || status === account.subscriptionStatus) return null;
    await this.repository.setSubscriptionStatus(manager, workspaceId, status, stateAt);
    const next = account.subscribedPlan ?? FREE_PLAN;
    return (await this.workspaces.setPlan(manager, workspaceId, next)) ? next : null;
  }

  /** `after` (the event applied), then `more`; nothing when the event was not applied (a replay). */
  private followedBy(after: AfterCommit | null, more: () => Promise<void>): AfterCommit | null {
    if (!after) return null;
    return async () => {
      await after();
      await more();
    };
  }

  /** A subscription object as the account keeps it, dated by its event. */
  private subscriptionState(event: Stripe.Event, sub: Stripe.Subscription): SubscriptionState {
    const item = sub.items?.data?.[0];
    return {
      stripeSubscriptionId: sub.id,
      subscribedPlan: this.planOf(sub)?.id ?? null,
      billingCycle: item?.price?.recurring?.interval === 'year' ? 'yearly' : item ? 'monthly' : null,
      subscriptionStatus: sub.status,
      currentPeriodEnd: item?.current_period_end ? new Date(item.current_period_end * 1000) : null,
      cancelAtPeriodEnd: sub.cancel_at_period_end ?? false,
      stateAt: eventTime(event),
    };
  }

  /**
   * What a paid subscription Checkout says of its subscription: the plan and cycle it was bought with, active. The
   * period end and cancellation come with customer.subscription.* (Stripe sends customer.subscription.created
   * beside it); those of the same subscription are kept. Null when it tells nothing (unpaid, unknown plan).
   */
  private checkoutState(
    event: Stripe.Event,
    session: Stripe.Checkout.Session,
    account: BillingAccountEntity,
  ): SubscriptionState | null {
    if (session.payment_status !== 'paid' && session.payment_status !== 'no_payment_required') return null;
    const plan = session.metadata?.planId ? findPlan(this.config.billingCatalogue, session.metadata.planId) : undefined;
    if (!plan) return null;
    const subscriptionId = idOf(session.subscription) as string;
    const same = account.stripeSubscriptionId === subscriptionId;
    return {
      stripeSubscriptionId: subscriptionId,
      subscribedPlan: plan.id,
      billingCycle: session.metadata?.billingCycle === 'yearly' ? 'yearly' : 'monthly',
      subscriptionStatus:
        same && ENTITLED.has(account.subscriptionStatus ?? '') ? (account.subscriptionStatus as string) : 'active',
      currentPeriodEnd: same ? account.currentPeriodEnd : null,
      cancelAtPeriodEnd: same ? account.cancelAtPeriodEnd : false,
      stateAt: eventTime(event),
    };
  }

  /** The catalogue plan of a subscription: by its Stripe price id, else by the plan id it was bought with. */
  private planOf(sub: Stripe.Subscription): CataloguePlan | undefined {
    const plans = this.config.billingCatalogue.plans;
    const priceId = sub.items?.data?.[0]?.price?.id;
    const byPrice = priceId
      ? plans.find((p) => Object.values(p.prices).some((price) => price?.stripePriceId === priceId))
      : undefined;
    return byPrice ?? plans.find((p) => p.id === sub.metadata?.planId);
  }

  private async workspaceOf(
    metadata: Stripe.Metadata | null | undefined,
    customer: string | null,
  ): Promise<string | null> {
    const fromMetadata = metadata?.[METADATA_WORKSPACE];
    if (fromMetadata && UUID.test(fromMetadata)) return fromMetadata;
    return customer ? this.repository.workspaceOfCustomer(customer) : null;
  }

  /** The notification of a plan change (none when the plan did not change), keyed by its Stripe event. */
  private planChanged(workspaceId: string, eventId: string, plan: string | null): NewNotification | null {
    if (!plan) return null;
    const name = this.config.billingCatalogue.plans.find((p) => p.id === plan)?.name ?? plan;
    return {
      workspaceId,
      eventId: stableUuid(`stripe:${eventId}:plan`),
      kind: 'billing.plan_changed',
      level: 'info',
      params: { plan: name },
      data: { plan },
    };
  }

  /** To each owner and admin, in their language (else the workspace's). */
  private async mailPaymentFailed(workspaceId: string, invoice: Stripe.Invoice): Promise<void> {
    const contacts = await this.workspaces.billingContacts(workspaceId);
    const languages = await this.mail.languagesOf(
      contacts.map((c) => c.userId),
      workspaceId,
    );
    const link = invoice.hosted_invoice_url ?? billingPageUrl(this.config);
    for (const contact of contacts) {
      const language = languages.get(contact.userId)!;
      await this.mail.send({
        to: contact.email,
        template: 'billing_payment_failed',
        ...billingMails(language).paymentFailed({
          name: contact.name,
          amount: formatMoney(invoice.amount_due, invoice.currency, language),
          link,
        }),
      });
    }
  }
}

/** The notification of a paid invoice, keyed by it: invoice.paid and invoice.payment_succeeded notify once. */
function paymentSucceeded(workspaceId: string, invoice: Stripe.Invoice): NewNotification | null {
  if (!invoice.amount_paid) return null;
  return {
    workspaceId,
    eventId: stableUuid(`stripe-invoice-paid:${invoice.id}`),
    kind: 'billing.payment_succeeded',
    level: 'success',
    params: { amount: invoice.amount_paid, currency: invoice.currency },
    data: { invoiceId: invoice.id, hostedInvoiceUrl: invoice.hosted_invoice_url ?? null },
  };
}

/** The notification of a failed payment, keyed by its Stripe event. */
function paymentFailed(workspaceId: string, eventId: string, invoice: Stripe.Invoice): NewNotification {
  return {
    workspaceId,
    eventId: stableUuid(`stripe:${eventId}`),
    kind: 'billing.payment_failed',
    level: 'error',
    params: { amount: invoice.amount_due, currency: invoice.currency },
    data: { invoiceId: invoice.id, hostedInvoiceUrl: invoice.hosted_invoice_url ?? null },
  };
}

/** When Stripe produced the event (its `created`, in seconds). */
function eventTime(event: Stripe.Event): Date {
  return new Date(event.created * 1000);
}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

function toInvoiceState(invoice: Stripe.Invoice): InvoiceState {
  return {
    stripeInvoiceId: invoice.id as string,
    number: invoice.number ?? null,
    status: invoice.status ?? 'open',
    amountDue: invoice.amount_due ?? 0,
    amountPaid: invoice.amount_paid ?? 0,
    currency: invoice.currency ?? 'usd',
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    invoicePdf: invoice.invoice_pdf ?? null,
    issuedAt: new Date((invoice.created ?? Math.floor(Date.now() / 1000)) * 1000),
  };
}
