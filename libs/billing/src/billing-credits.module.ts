import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CREDIT_WALLET } from '@crescendo/platform';
import { BillingAccountEntity, CreditLedgerEntity } from './billing.entity';
import { BillingRepository } from './billing.repository';
import { CreditsService } from './credits.service';

/**
 * The credit wallet, global so the AI quota (which billing itself reads) can spend credits without a module
 * cycle. The API and the worker both load it: jobs give credits back in the worker.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([BillingAccountEntity, CreditLedgerEntity])],
  providers: [BillingRepository, CreditsService, { provide: CREDIT_WALLET, useExisting: CreditsService }],
  exports: [CREDIT_WALLET, CreditsService],
})
export class BillingCreditsModule {}
