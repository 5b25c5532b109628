import type { EntityManager } from 'typeorm';

/** Injection token of the CreditWallet; absent when no billing module is loaded (then there are no credits). */
export const CREDIT_WALLET = Symbol('CREDIT_WALLET');

/**
 * Message-pack credits, spent once a plan's monthly AI quota is used up. The billing feature provides it; the
 * AI quota asks through it, inside its own transaction, so a reservation and its credit commit together.
 */
export interface CreditWallet {
  /** Takes one credit for `reference` (a job id); false when the balance is empty. Never goes negative. */
  spendOne(manager: EntityManager, workspaceId: string, reference: string): Promise<boolean>;
  /** Gives back the credit a job held when it fails for good or is never queued. */
  returnOne(manager: EntityManager, workspaceId: string, reference: string): Promise<void>;
}
