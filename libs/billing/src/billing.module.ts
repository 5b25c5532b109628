import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '@crescendo/platform';
import { IdentityModule } from '@crescendo/identity';
import { AiToolsModule } from '@crescendo/ai-tools';
import { AgentsModule } from '@crescendo/agents';
import { StudioModule } from '@crescendo/studio';
import { NotificationsModule } from '@crescendo/analytics';
import { BillingAccountEntity, BillingInvoiceEntity, CreditLedgerEntity, StripeEventEntity } from './billing.entity';
import { BillingController, CheckoutController, StripeWebhookController } from './billing.controller';
import { BillingRepository } from './billing.repository';
import { BillingService } from './billing.service';
import { BillingCreditsModule } from './billing-credits.module';
import { StripeClient } from './stripe.client';
import { StripeWebhookService } from './stripe-webhook.service';

/** Plans, Stripe Checkout and Customer Portal, Stripe webhooks, invoices and the message-pack credit ledger. */
@Module({
  imports: [
    TypeOrmModule.forFeature([BillingAccountEntity, StripeEventEntity, BillingInvoiceEntity, CreditLedgerEntity]),
    MailModule,
    IdentityModule,
    AiToolsModule,
    AgentsModule,
    StudioModule,
    NotificationsModule,
    BillingCreditsModule,
  ],
  controllers: [CheckoutController, BillingController, StripeWebhookController],
  providers: [BillingService, BillingRepository, StripeClient, StripeWebhookService],
  exports: [BillingService],
})
export class BillingModule {}
