import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@crescendo/audit';
import { MembershipEntity } from '@crescendo/identity';
import { LeadEventEntity } from './lead-event.entity';
import { LeadEntity } from './lead.entity';
import { LeadsController } from './leads.controller';
import { LeadsRetentionHandler } from './leads-retention.handler';
import { LeadsService } from './leads.service';
import { NicheEntity } from './niche.entity';
import { NichesController } from './niches.controller';
import { NichesService } from './niches.service';

/** Leads (with their timeline) and niches (seed 004). */
@Module({
  imports: [TypeOrmModule.forFeature([LeadEntity, LeadEventEntity, NicheEntity, MembershipEntity]), AuditModule],
  controllers: [LeadsController, NichesController],
  providers: [LeadsService, NichesService, LeadsRetentionHandler],
  exports: [LeadsService, NichesService],
})
export class LeadsModule {}
