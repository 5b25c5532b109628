import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { pgPool, preparedStatement, type SqlPartBuilder } from '@crescendo/platform';
import { BillingAccountEntity, BillingInvoiceEntity, CreditEntryKind, CreditLedgerEntity } from './billing.entity';

/** The fields of a subscription the account keeps. */
export interface SubscriptionState {
  stripeSubscriptionId: string;
  subscribedPlan: string | null;
  billingCycle: string | null;
  subscriptionStatus: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** When Stripe produced this state (the event's `created`). */
  stateAt: Date;
}

export interface InvoiceState {
  stripeInvoiceId: string;
  number: string | null;
  status: string;
  amountDue: number;
  amountPaid: number;
  currency: string;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
  issuedAt: Date;
}

export interface CreditChange {
  kind: CreditEntryKind;
  /** A Stripe customer to attach to the account if it has none. */
  customer?: string | null;
  delta: number;
  packId?: string | null;
  reference?: string | null;
  amount?: number | null;
  currency?: string | null;
}

export interface ClaimedEvent {
  id: string;
  type: string;
}

/** Billing's SQL: accounts, applied Stripe events, invoices and the credit ledger. */
@Injectable()
export class BillingRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  findAccount(workspaceId: string, manager: EntityManager = this.db.manager): Promise<BillingAccountEntity | null> {
    return manager.getRepository(BillingAccountEntity).findOne({ where: { workspaceId } });
  }

  async workspaceOfCustomer(stripeCustomerId: string): Promise<string | null> {
    const account = await this.db
      .getRepository(BillingAccountEntity)
      .findOne({ where: { stripeCustomerId }, select: { workspaceId: true } });
    return account?.workspaceId ?? null;
  }

  /** Records the workspace's Stripe customer unless it already has one; answers the one it keeps. */
  async attachCustomer(workspaceId: string, stripeCustomerId: string, manager = this.db.manager): Promise<string> {
    const [row] = await manager.query<{ stripe_customer_id: string }[]>(
      `INSERT INTO billing_accounts (workspace_id, stripe_customer_id) VALUES ($1, $2)
       ON CONFLICT (workspace_id) DO UPDATE
         SET stripe_customer_id = COALESCE(billing_accounts.stripe_customer_id, EXCLUDED.stripe_customer_id),
             updated_at = now()
       RETURNING stripe_customer_id`,
      [workspaceId, stripeCustomerId],
    );
    return row.stripe_customer_id;
  }

  /** The account row, created if missing, locked until the transaction ends: one writer per workspace. */
  async lockAccount(manager: EntityManager, workspaceId: string): Promise<BillingAccountEntity> {
    await manager.query(
      `INSERT INTO billing_accounts (workspace_id) VALUES ($1) ON CONFLICT (workspace_id) DO NOTHING`,
      [workspaceId],
    );
    return manager
      .getRepository(BillingAccountEntity)
      .createQueryBuilder('a')
      .setLock('pessimistic_write')
      .where('a.workspace_id = :workspaceId', { workspaceId })
      .getOneOrFail();
  }

  async eventSeen(eventId: string): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(`SELECT 1 FROM stripe_events WHERE id = $1`, [eventId]);
    return rows.length > 0;
  }

  /**
   * Claims an event for this transaction. A concurrent delivery of the same id waits on the primary key until
   * this one commits, then finds it taken: false, and it applies nothing.
   */
  async claimEvent(manager: EntityManager, id: string, type: string, workspaceId: string | null): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO stripe_events (id, type, workspace_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, type, workspaceId],
    );
    return rows.length > 0;
  }

  async saveSubscription(
    manager: EntityManager,
    workspaceId: string,
    state: SubscriptionState,
    stripeCustomerId: string | null,
  ): Promise<void> {
    await manager.query(
      `UPDATE billing_accounts
          SET stripe_subscription_id = $2, subscribed_plan = $3, billing_cycle = $4, subscription_status = $5,
              current_period_end = $6, cancel_at_period_end = $7,
              stripe_customer_id = COALESCE(stripe_customer_id, $8), subscription_state_at = $9, updated_at = now()
        WHERE workspace_id = $1`,
      [
        workspaceId,
        state.stripeSubscriptionId,
        state.subscribedPlan,
        state.billingCycle,
        state.subscriptionStatus,
        state.currentPeriodEnd,
        state.cancelAtPeriodEnd,
        stripeCustomerId,
        state.stateAt,
      ],
    );
  }

  async setSubscriptionStatus(
    manager: EntityManager,
    workspaceId: string,
    status: string,
    stateAt: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE billing_accounts SET subscription_status = $2, subscription_state_at = $3, updated_at = now()
        WHERE workspace_id = $1`,
      [workspaceId, status, stateAt],
    );
  }

  /** Inserts or refreshes an invoice; a paid invoice never goes back to another status (events arrive out of order). */
  async upsertInvoice(manager: EntityManager, workspaceId: string, invoice: InvoiceState): Promise<void> {
    await manager.query(invoiceSql(false), invoiceParams(workspaceId, invoice));
  }

  /**
   * Claims the event and upserts its invoice in one statement (atomic on its own, one round trip): false when
   * the event was claimed before. A workspace that does not exist fails the foreign key (23503). `also`: another
   * feature's row written by the same statement when it claims the event (a notification), answered as `written`.
   */
  async claimWithInvoice<Written = never>(
    event: ClaimedEvent,
    workspaceId: string,
    invoice: InvoiceState,
    also?: SqlPartBuilder,
  ): Promise<{ claimed: boolean; written: Written | null }> {
    const params = [...invoiceParams(workspaceId, invoice), event.id, event.type];
    const part = also?.(params.length + 1, 'claimed');
    const { rows } = await pgPool(this.db).query<{ claimed: number } & Record<string, unknown>>(
      preparedStatement(part ? claimWithInvoiceAndSql(part.sql) : CLAIM_WITH_INVOICE_SQL, [
        ...params,
        ...(part?.params ?? []),
      ]),
    );
    const { claimed, ...written } = rows[0];
    return { claimed: claimed > 0, written: part && written.id ? (written as Written) : null };
  }

  /**
   * Moves the balance and writes the ledger line in one statement, creating the account if it has none (and
   * attaching the customer if it has none): the row lock it takes lasts until the transaction commits. A caller
   * taking credits back reads the balance under lockAccount first and never asks for more; the CHECK constraint
   * refuses a negative balance anyway.
   */
  async addCredits(manager: EntityManager, workspaceId: string, change: CreditChange): Promise<number> {
    const [row] = await manager.query<{ balance_after: number }[]>(
      creditsSql(false),
      creditParams(workspaceId, change),
    );
    return row.balance_after;
  }

  /**
   * Claims the event and adds its credits in one statement (see claimWithInvoice): false when claimed before.
   * The two claim statements go straight to the pg pool as prepared statements (the hot path of a burst of
   * webhooks): no TypeORM query runner per event, and Postgres parses and plans each once per connection.
   */
  async claimWithCredits(event: ClaimedEvent, workspaceId: string, change: CreditChange): Promise<boolean> {
    const { rows } = await pgPool(this.db).query(
      preparedStatement(CLAIM_WITH_CREDITS_SQL, [...creditParams(workspaceId, change), event.id, event.type]),
    );
    return rows.length > 0;
  }

  /**
   * Spends one credit if the balance has one, without a lock first: the conditional update serialises
   * concurrent spenders on the row, so N parallel calls on a balance of M spend exactly min(N, M).
   */
  async spendCredit(manager: EntityManager, workspaceId: string, reference: string): Promise<boolean> {
    const [row] = updatedRows<{ credits_balance: number }>(
      await manager.query(
        `UPDATE billing_accounts SET credits_balance = credits_balance - 1, updated_at = now()
          WHERE workspace_id = $1 AND credits_balance >= 1 RETURNING credits_balance`,
        [workspaceId],
      ),
    );
    if (!row) return false;
    await manager.query(
      `INSERT INTO credit_ledger (workspace_id, kind, delta, balance_after, reference) VALUES ($1, $2, -1, $3, $4)`,
      [workspaceId, CreditEntryKind.Spend, row.credits_balance, reference],
    );
    return true;
  }

  /** The purchase of a payment intent, and the credits already taken back from it. */
  async purchaseOf(
    manager: EntityManager,
    reference: string,
  ): Promise<{ workspaceId: string; credits: number; amount: number; revoked: number } | null> {
    const [row] = await manager.query<{ workspace_id: string; credits: number; amount: string; revoked: number }[]>(
      `SELECT p.workspace_id, p.delta AS credits, COALESCE(p.amount, 0) AS amount,
              COALESCE((SELECT -sum(r.delta) FROM credit_ledger r
                         WHERE r.reference = p.reference AND r.kind = $2 AND r.workspace_id = p.workspace_id), 0)::int
                AS revoked
         FROM credit_ledger p WHERE p.reference = $1 AND p.kind = $3`,
      [reference, CreditEntryKind.Refund, CreditEntryKind.Purchase],
    );
    return row
      ? { workspaceId: row.workspace_id, credits: row.credits, amount: Number(row.amount), revoked: row.revoked }
      : null;
  }

  invoicesQuery(workspaceId: string): SelectQueryBuilder<BillingInvoiceEntity> {
    return this.db
      .getRepository(BillingInvoiceEntity)
      .createQueryBuilder('i')
      .where('i.workspace_id = :workspaceId', { workspaceId });
  }

  creditsQuery(workspaceId: string): SelectQueryBuilder<CreditLedgerEntity> {
    return this.db
      .getRepository(CreditLedgerEntity)
      .createQueryBuilder('c')
      .where('c.workspace_id = :workspaceId', { workspaceId });
  }
}

/** TypeORM's postgres driver answers an UPDATE … RETURNING as [rows, affected]. */
function updatedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

/** Records a Stripe event id once; with the effect below it in one statement, a duplicate changes nothing. */
const claimCte = (idParam: number) => `claimed AS (
    INSERT INTO stripe_events (id, type, workspace_id) VALUES ($${idParam}, $${idParam + 1}, $1)
    ON CONFLICT (id) DO NOTHING RETURNING workspace_id)`;

function invoiceParams(workspaceId: string, invoice: InvoiceState): unknown[] {
  return [
    workspaceId,
    invoice.stripeInvoiceId,
    invoice.number,
    invoice.status,
    invoice.amountDue,
    invoice.amountPaid,
    invoice.currency,
    invoice.hostedInvoiceUrl,
    invoice.invoicePdf,
    invoice.issuedAt,
  ];
}

/** The invoice upsert, alone or after claiming its event ($11, $12); answers how many events it claimed. */
function invoiceSql(claim: boolean): string {
  return `WITH ${claim ? `${claimCte(11)},` : ''}
    ${saveInvoiceCte(claim)}
    SELECT (SELECT count(*) FROM ${claim ? 'claimed' : 'saved'})::int AS claimed`;
}

/** claimWithInvoice's statement with another feature's insert (from $13, its rows FROM claimed): its row beside. */
function claimWithInvoiceAndSql(insert: string): string {
  return `WITH ${claimCte(11)},
    ${saveInvoiceCte(true)},
    written AS (${insert})
    SELECT c.claimed, w.* FROM (SELECT count(*)::int AS claimed FROM claimed) c LEFT JOIN written w ON true`;
}

/** The invoice row of $1–$10, inserted or refreshed; only after a claim when the statement has one. */
const saveInvoiceCte = (claim: boolean) => `saved AS (
      INSERT INTO billing_invoices
        (workspace_id, stripe_invoice_id, number, status, amount_due, amount_paid, currency, hosted_invoice_url,
         invoice_pdf, issued_at)
      SELECT $1::uuid, $2::varchar, $3::varchar, $4::varchar, $5::bigint, $6::bigint, $7::varchar, $8::varchar,
             $9::varchar, $10::timestamptz ${claim ? 'FROM claimed' : ''}
      ON CONFLICT (stripe_invoice_id) DO UPDATE
        SET number = COALESCE(EXCLUDED.number, billing_invoices.number), status = EXCLUDED.status,
            amount_due = EXCLUDED.amount_due, amount_paid = EXCLUDED.amount_paid,
            hosted_invoice_url = COALESCE(EXCLUDED.hosted_invoice_url, billing_invoices.hosted_invoice_url),
            invoice_pdf = COALESCE(EXCLUDED.invoice_pdf, billing_invoices.invoice_pdf), updated_at = now()
      WHERE billing_invoices.workspace_id = EXCLUDED.workspace_id
        AND (billing_invoices.status <> 'paid' OR EXCLUDED.status IN ('paid', 'void', 'uncollectible'))
      RETURNING 1)`;

function creditParams(workspaceId: string, change: CreditChange): unknown[] {
  return [
    workspaceId,
    change.delta,
    change.kind,
    change.packId ?? null,
    change.reference ?? null,
    change.amount ?? null,
    change.currency ?? null,
    change.customer ?? null,
  ];
}

/** The balance move and its ledger line, alone or after claiming its event ($9, $10). */
function creditsSql(claim: boolean): string {
  return `WITH ${claim ? `${claimCte(9)},` : ''}
    account AS (
      INSERT INTO billing_accounts (workspace_id, credits_balance, stripe_customer_id)
      SELECT $1::uuid, GREATEST($2::int, 0), $8::varchar ${claim ? 'FROM claimed' : ''}
      ON CONFLICT (workspace_id) DO UPDATE
        SET credits_balance = billing_accounts.credits_balance + $2::int,
            stripe_customer_id = COALESCE(billing_accounts.stripe_customer_id, EXCLUDED.stripe_customer_id),
            updated_at = now()
      RETURNING credits_balance)
    INSERT INTO credit_ledger (workspace_id, kind, delta, balance_after, pack_id, reference, amount, currency)
    SELECT $1::uuid, $3::varchar, $2::int, credits_balance, $4::varchar, $5::varchar, $6::bigint, $7::varchar
      FROM account
    RETURNING balance_after`;
}

const CLAIM_WITH_INVOICE_SQL = invoiceSql(true);
const CLAIM_WITH_CREDITS_SQL = creditsSql(true);
