import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LeadsModule } from '@crescendo/leads';
import { EarningEntity } from './earning.entity';
import { EarningsController } from './earnings.controller';
import { EarningsService } from './earnings.service';
import { SubscriberEntity } from './subscriber.entity';
import { SubscribersController } from './subscribers.controller';
import { SubscribersService } from './subscribers.service';
import { SubscribersPersonalData } from './subscribers-personal-data.provider';

/** Creator-platform subscribers and their earnings ledger (seed 000, /api/onlyfans/*). */
@Module({
  // LeadsModule registers LeadEntity, which subscribers link to by e-mail.
  imports: [TypeOrmModule.forFeature([SubscriberEntity, EarningEntity]), LeadsModule],
  controllers: [SubscribersController, EarningsController],
  providers: [SubscribersPersonalData, SubscribersService, EarningsService],
  exports: [SubscribersService, EarningsService],
})
export class SubscribersModule {}
