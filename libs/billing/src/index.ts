export * from './billing.module';
export * from './billing-credits.module';
export * from './billing.dto';
export { BillingService } from './billing.service';
export { CreditsService } from './credits.service';
export { StripeWebhookService, STRIPE_WEBHOOK_PATHS } from './stripe-webhook.service';
export { BILLING_NOT_CONFIGURED } from './stripe.client';
