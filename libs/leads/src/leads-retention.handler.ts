import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { deleteInBatches, OnJob } from '@crescendo/platform';
import { LEAD_RESTORE_WINDOW_DAYS } from './leads.service';
import { LeadsJobs } from './leads.jobs';

/** Deletes for good the leads deleted more than 30 days ago (past their restore window), in batches. */
@Injectable()
export class LeadsRetentionHandler {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @OnJob(LeadsJobs.PurgeDeletedLeads)
  async purgeDeletedLeads(): Promise<{ purged: number }> {
    // Timeline events go with their lead (cascade).
    const purged = await deleteInBatches(this.dataSource, 'leads', 'deleted_at < now() - make_interval(days => $1)', [
      LEAD_RESTORE_WINDOW_DAYS,
    ]);
    return { purged };
  }
}
