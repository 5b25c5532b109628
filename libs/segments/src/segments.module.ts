import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@crescendo/identity';
import { LeadsModule } from '@crescendo/leads';
import { SegmentEntity } from './segment.entity';
import { SegmentsController } from './segments.controller';
import { SegmentsRepository } from './segments.repository';
import { SegmentsService } from './segments.service';
import { SegmentsPersonalData } from './segments-personal-data.provider';

/** Segments (/api/marketing/segments): saved rule trees over leads, compiled to SQL. */
@Module({
  // Niches (leads) and members (identity) a rule names are checked by their owners.
  imports: [TypeOrmModule.forFeature([SegmentEntity]), LeadsModule, IdentityModule],
  controllers: [SegmentsController],
  providers: [SegmentsPersonalData, SegmentsService, SegmentsRepository],
  exports: [SegmentsService],
})
export class SegmentsModule {}
