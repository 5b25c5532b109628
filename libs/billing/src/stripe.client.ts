import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { AppConfig, badGateway, serviceUnavailable } from '@crescendo/platform';

export const BILLING_NOT_CONFIGURED = 'BILLING_NOT_CONFIGURED';
export const STRIPE_ERROR = 'STRIPE_ERROR';

/** The Stripe SDK as configured (STRIPE_SECRET_KEY, and STRIPE_API_* for a local stand-in), or a 503. */
@Injectable()
export class StripeClient {
  private client: Stripe | null = null;

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return Boolean(this.config.env.STRIPE_SECRET_KEY);
  }

  /** 503 BILLING_NOT_CONFIGURED without a key: checked before anything else a Stripe route does. */
  assertConfigured(): void {
    if (!this.configured) {
      throw serviceUnavailable(BILLING_NOT_CONFIGURED, 'Billing is not configured on this instance (no Stripe key)');
    }
  }

  /** The SDK (≈ 17 MB of RSS) is loaded by the first Stripe call, not at boot of every API and worker process. */
  get stripe(): Stripe {
    this.assertConfigured();
    this.client ??= this.createClient();
    return this.client;
  }

  private createClient(): Stripe {
    const env = this.config.env;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const StripeSdk: typeof Stripe = require('stripe');
    return new StripeSdk(env.STRIPE_SECRET_KEY as string, {
      host: env.STRIPE_API_HOST,
      port: env.STRIPE_API_PORT,
      protocol: env.STRIPE_API_PROTOCOL,
      // The SDK retries network errors and 409/5xx with the same idempotency key.
      maxNetworkRetries: 2,
      timeout: 15_000,
      appInfo: { name: 'crescendo' },
    });
  }

  /** The webhook signing secret, or a 503 when billing or its webhook is not configured. */
  get webhookSecret(): string {
    const secret = this.config.env.STRIPE_WEBHOOK_SECRET;
    if (!this.configured || !secret) {
      throw serviceUnavailable(BILLING_NOT_CONFIGURED, 'The Stripe webhook is not configured on this instance');
    }
    return secret;
  }

  /**
   * Runs a call to Stripe; a failure (Stripe down, refused, a request it rejects) leaves as a 502 STRIPE_ERROR
   * naming Stripe's message, after the SDK's own retries. `keep` lets some failures through (a 404 the caller maps).
   */
  async call<T>(work: (stripe: Stripe) => Promise<T>, keep: (error: unknown) => boolean = () => false): Promise<T> {
    const stripe = this.stripe;
    try {
      return await work(stripe);
    } catch (error) {
      if (keep(error) || !(error instanceof (stripe.errors as typeof Stripe.errors).StripeError)) throw error;
      throw badGateway(STRIPE_ERROR, `Stripe refused or failed the request: ${error.message}`);
    }
  }
}
