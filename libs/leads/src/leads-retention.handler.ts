import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobName, OnJob } from '@crescendo/platform';
import { LEAD_RESTORE_WINDOW_DAYS } from './leads.service';

const BATCH = 5_000;

/** Deletes for good the leads deleted more than 30 days ago (past their restore window), in batches. */
@Injectable()
export class LeadsRetentionHandler {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @OnJob(JobName.PurgeDeletedLeads)
  async purgeDeletedLeads(): Promise<{ purged: number }> {
    let purged = 0;
    for (;;) {
      // Small batches keep each statement's locks short; timeline events go with their lead (cascade).
      const rows: unknown[] = await this.dataSource.query(
        `DELETE FROM leads WHERE id IN (
           SELECT id FROM leads WHERE deleted_at < now() - make_interval(days => $1) LIMIT $2
         ) RETURNING id`,
        [LEAD_RESTORE_WINDOW_DAYS, BATCH],
      );
      purged += rows.length;
      if (rows.length < BATCH) return { purged };
    }
  }
}
