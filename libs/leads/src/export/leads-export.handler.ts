import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { pipeline } from 'node:stream/promises';
import { FileStore, OnJob } from '@crescendo/platform';
import { JobTrackerService } from '@crescendo/jobs';
import { leadExportContentTypes, LeadsExportService } from './leads-export.service';
import { ExportLeadsPayload, LeadsJobs } from '../leads.jobs';

/** Worker side of a large export: writes the file to the FileStore, reporting progress, and returns it. */
@Injectable()
export class LeadsExportHandler {
  constructor(
    private readonly exports: LeadsExportService,
    private readonly tracker: JobTrackerService,
    private readonly files: FileStore,
  ) {}

  @OnJob(LeadsJobs.ExportLeads)
  exportLeads(data: ExportLeadsPayload, job: Job): Promise<Record<string, unknown>> {
    return this.tracker.run(job, async (ctx) => {
      const { filters } = data;
      // The API counted the rows when it chose a job; otherwise count beside the export, not before it.
      let total: number | null = data.expectedRows ?? null;
      // A failed count only costs the percentages.
      const counted =
        total === null
          ? this.exports.count(data.workspaceId, filters).then(
              (n) => (total = n),
              () => null,
            )
          : null;
      let written = 0;
      let progress = Promise.resolve();
      const stream = await this.exports.stream(data.workspaceId, filters, data.format, (rows) => {
        written = rows;
        // Progress writes are throttled by the tracker; chained so they never overlap.
        progress = progress.then(() =>
          total === null
            ? ctx.progress(0, `${rows} rows`)
            : ctx.progress(total ? Math.min(99, (rows * 99) / total) : 99, `${rows} of ${total} rows`),
        );
      });
      await pipeline(stream, await this.files.writeStream(ctx.fileKey(data.fileName)));
      await counted;
      await progress;
      return {
        result: { rows: written, format: data.format },
        files: [{ name: data.fileName, contentType: leadExportContentTypes[data.format] }],
      };
    });
  }
}
