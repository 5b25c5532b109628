import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { AppConfig, serviceUnavailable } from '@crescendo/platform';

export const BILLING_NOT_CONFIGURED = 'BILLING_NOT_CONFIGURED';

/** The Stripe SDK as configured (STRIPE_SECRET_KEY, and STRIPE_API_* for a local stand-in), or a 503. */
@Injectable()
export class StripeClient {
  private readonly client: Stripe | null;

  constructor(private readonly config: AppConfig) {
    const env = config.env;
    this.client = env.STRIPE_SECRET_KEY
      ? new Stripe(env.STRIPE_SECRET_KEY, {
          host: env.STRIPE_API_HOST,
          port: env.STRIPE_API_PORT,
          protocol: env.STRIPE_API_PROTOCOL,
          // The SDK retries network errors and 409/5xx with the same idempotency key.
          maxNetworkRetries: 2,
          timeout: 15_000,
          appInfo: { name: 'crescendo' },
        })
      : null;
  }

  get configured(): boolean {
    return this.client !== null;
  }

  get stripe(): Stripe {
    if (!this.client) {
      throw serviceUnavailable(BILLING_NOT_CONFIGURED, 'Billing is not configured on this instance (no Stripe key)');
    }
    return this.client;
  }

  /** The webhook signing secret, or a 503 when billing or its webhook is not configured. */
  get webhookSecret(): string {
    const secret = this.config.env.STRIPE_WEBHOOK_SECRET;
    if (!this.client || !secret) {
      throw serviceUnavailable(BILLING_NOT_CONFIGURED, 'The Stripe webhook is not configured on this instance');
    }
    return secret;
  }
}
