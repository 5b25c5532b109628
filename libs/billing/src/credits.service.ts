import { Injectable } from '@nestjs/common';
import { BillingRepository } from './billing.repository';

/** Message-pack credits other features spend (after the plan's monthly quota). */
@Injectable()
export class CreditsService {
  constructor(private readonly repository: BillingRepository) {}

  /** Spends one credit of the workspace for `reference`; false when the balance is empty. Never goes negative. */
  spendOne(workspaceId: string, reference: string): Promise<boolean> {
    return this.repository.spendCredit(workspaceId, reference);
  }
}
