import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LeadsModule } from '@crescendo/leads';
import { EarningEntity } from './earning.entity';
import { EarningsController } from './earnings.controller';
import { EarningsRepository } from './earnings.repository';
import { EarningsService } from './earnings.service';
import { RevenueStatsService } from './revenue-stats.service';
import { SubscriberEntity } from './subscriber.entity';
import { SubscriberLookupsService } from './subscriber-lookups.service';
import { SubscribersController } from './subscribers.controller';
import { SubscribersRepository } from './subscribers.repository';
import { SubscribersService } from './subscribers.service';
import { SubscribersPersonalData } from './subscribers-personal-data.provider';

/** Creator-platform subscribers and their earnings ledger (/api/onlyfans/*). */
@Module({
  // LeadsService finds the lead a subscriber links to by e-mail (and registers LeadEntity, its foreign key).
  imports: [TypeOrmModule.forFeature([SubscriberEntity, EarningEntity]), LeadsModule],
  controllers: [SubscribersController, EarningsController],
  providers: [
    SubscribersPersonalData,
    SubscribersService,
    EarningsService,
    RevenueStatsService,
    SubscriberLookupsService,
    SubscribersRepository,
    EarningsRepository,
  ],
  exports: [SubscribersService, EarningsService, RevenueStatsService, SubscriberLookupsService],
})
export class SubscribersModule {}
