import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CreditWallet } from '@crescendo/platform';
import { CreditEntryKind } from './billing.entity';
import { BillingRepository } from './billing.repository';

/** The message-pack credit wallet the AI quota spends from once the plan's monthly quota is used up. */
@Injectable()
export class CreditsService implements CreditWallet {
  constructor(private readonly repository: BillingRepository) {}

  spendOne(manager: EntityManager, workspaceId: string, reference: string): Promise<boolean> {
    return this.repository.spendCredit(manager, workspaceId, reference);
  }

  async returnOne(manager: EntityManager, workspaceId: string, reference: string): Promise<void> {
    await this.repository.addCredits(manager, workspaceId, { kind: CreditEntryKind.Returned, delta: 1, reference });
  }
}
