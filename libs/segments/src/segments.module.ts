import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LeadEntity } from '@crescendo/leads';
import { SegmentEntity } from './segment.entity';
import { SegmentsController } from './segments.controller';
import { SegmentsService } from './segments.service';
import { SegmentsPersonalData } from './segments-personal-data.provider';

/** Segments (seed 000 /api/marketing/segments): saved rule trees over leads, compiled to SQL. */
@Module({
  imports: [TypeOrmModule.forFeature([SegmentEntity, LeadEntity])],
  controllers: [SegmentsController],
  providers: [SegmentsPersonalData, SegmentsService],
  exports: [SegmentsService],
})
export class SegmentsModule {}
