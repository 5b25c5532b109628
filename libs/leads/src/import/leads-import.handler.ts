import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { FileStore, OnJob } from '@crescendo/platform';
import { isFinalFailure, JobTrackerService } from '@crescendo/jobs';
import { LeadsImporter } from './leads-importer';
import { ImportLeadsPayload, LeadsJobs } from '../leads.jobs';

@Injectable()
export class LeadsImportHandler {
  constructor(
    private readonly tracker: JobTrackerService,
    private readonly importer: LeadsImporter,
    private readonly files: FileStore,
  ) {}

  @OnJob(LeadsJobs.ImportLeads)
  async importLeads(data: ImportLeadsPayload, job: Job): Promise<Record<string, unknown>> {
    let last = true;
    try {
      return await this.tracker.run(job, (ctx) => this.importer.run(data, ctx));
    } catch (error) {
      last = isFinalFailure(job, error);
      throw error;
    } finally {
      // The upload stays for another attempt, and goes once the job has ended either way.
      if (last) await this.files.remove(data.fileKey);
    }
  }
}
