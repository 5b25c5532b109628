import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintNumber } from '@crescendo/platform';

/** A workspace's billing state: its Stripe customer, its subscription as Stripe last said, its credit balance. */
@Entity('billing_accounts')
@Check('CHK_billing_accounts_credits', 'credits_balance >= 0')
export class BillingAccountEntity {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 255, nullable: true }) stripeCustomerId: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) stripeSubscriptionId: string | null;
  /** The plan subscribed to (the workspace's entitlement is identity's `workspaces.plan`). */
  @Column({ type: 'varchar', length: 32, nullable: true }) subscribedPlan: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) billingCycle: string | null;
  /** Stripe's subscription status (active, trialing, past_due, canceled…); null: never subscribed. */
  @Column({ type: 'varchar', length: 32, nullable: true }) subscriptionStatus: string | null;
  @Column({ type: 'timestamptz', nullable: true }) currentPeriodEnd: Date | null;
  @Column({ type: 'boolean', default: false }) cancelAtPeriodEnd: boolean;
  /** When Stripe produced the subscription state kept here (its event's `created`): an older event never overwrites it. */
  @Column({ type: 'timestamptz', nullable: true }) subscriptionStateAt: Date | null;
  @Column({ type: 'integer', default: 0 }) creditsBalance: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

/** Every Stripe event applied: its id under the primary key, written in the transaction of its effect. */
@Entity('stripe_events')
export class StripeEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 }) id: string;
  @Column({ type: 'varchar', length: 100 }) type: string;
  @Index() @Column({ type: 'uuid', nullable: true }) workspaceId: string | null;
  @Index() @CreateDateColumn({ type: 'timestamptz' }) receivedAt: Date;

  /** Unknown workspaces are refused by this key (the event is then recorded without one); kept after deletion. */
  @ManyToOne('WorkspaceEntity', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

/** An invoice as the Stripe webhooks last described it. */
@Entity('billing_invoices')
@Index('IDX_billing_invoices_list', ['workspaceId', 'issuedAt', 'id'])
export class BillingInvoiceEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Index({ unique: true }) @Column({ type: 'varchar', length: 255 }) stripeInvoiceId: string;
  @Column({ type: 'varchar', length: 100, nullable: true }) number: string | null;
  @Column({ type: 'varchar', length: 32 }) status: string;
  @Column({ type: 'bigint', transformer: bigintNumber }) amountDue: number;
  @Column({ type: 'bigint', transformer: bigintNumber }) amountPaid: number;
  @Column({ type: 'varchar', length: 3 }) currency: string;
  @Column({ type: 'varchar', length: 2048, nullable: true }) hostedInvoiceUrl: string | null;
  @Column({ type: 'varchar', length: 2048, nullable: true }) invoicePdf: string | null;
  @Column({ type: 'timestamptz' }) issuedAt: Date;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

export enum CreditEntryKind {
  Purchase = 'purchase',
  Refund = 'refund',
  Spend = 'spend',
  /** A spent credit given back: its job failed for good or was never queued. */
  Returned = 'returned',
}

/** The credit ledger: every change of a workspace's balance, with the balance after it. */
@Entity('credit_ledger')
@Index('IDX_credit_ledger_list', ['workspaceId', 'createdAt', 'id'])
@Index('IDX_credit_ledger_reference', ['reference'])
export class CreditLedgerEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 16 }) kind: CreditEntryKind;
  /** Credits added (> 0) or taken (< 0). */
  @Column({ type: 'integer' }) delta: number;
  @Column({ type: 'integer' }) balanceAfter: number;
  @Column({ type: 'varchar', length: 32, nullable: true }) packId: string | null;
  /** The Stripe payment intent of a purchase or refund; the job of a spend. */
  @Column({ type: 'varchar', length: 255, nullable: true }) reference: string | null;
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber }) amount: number | null;
  @Column({ type: 'varchar', length: 3, nullable: true }) currency: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}
