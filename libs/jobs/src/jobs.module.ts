import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobProgressStream } from './job-progress.stream';
import { JobRecordEntity } from './job-record.entity';
import { JobRecordRepository } from './job-record.repository';
import { JobTrackerService } from './job-tracker.service';
import { JobsRetentionHandler } from './jobs-retention.handler';
import { JobsController } from './jobs.controller';
import { JobsPersonalData } from './jobs-personal-data.provider';

/** Jobs a user follows: GET /api/jobs/:id, its SSE progress stream and signed file downloads. */
@Module({
  imports: [TypeOrmModule.forFeature([JobRecordEntity])],
  controllers: [JobsController],
  providers: [JobsPersonalData, JobRecordRepository, JobTrackerService, JobProgressStream, JobsRetentionHandler],
  exports: [JobTrackerService],
})
export class TrackedJobsModule {}
