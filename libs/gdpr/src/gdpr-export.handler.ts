import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig, FileStore, MailService, OnJob } from '@crescendo/platform';
import { JobTrackerService } from '@crescendo/jobs';
import { IdentityPersonalData } from '@crescendo/identity';
import { exportFileName, GdprExportService } from './gdpr-export.service';
import { GdprExportPayload, GdprJobs } from './gdpr.jobs';

/** Worker side of a large export: the file goes to the FileStore, its job page (with a signed link) is mailed. */
@Injectable()
export class GdprExportHandler {
  constructor(
    private readonly exports: GdprExportService,
    private readonly tracker: JobTrackerService,
    private readonly files: FileStore,
    private readonly mail: MailService,
    private readonly identity: IdentityPersonalData,
    private readonly config: AppConfig,
  ) {}

  @OnJob(GdprJobs.GdprExport)
  exportPersonalData(data: GdprExportPayload, job: Job): Promise<Record<string, unknown>> {
    return this.tracker.run(job, async (ctx) => {
      const fileName = exportFileName(data.userId, new Date());
      const out = await this.files.writeStream(ctx.fileKey(fileName));
      const finished = new Promise<void>((resolve, reject) => {
        out.once('finish', resolve);
        out.once('error', reject);
      });
      const records = await this.exports.writeTo(out, data.userId);
      out.end();
      await finished;
      const email = await this.identity.emailOf(data.userId);
      if (email) {
        await this.mail.send({
          to: email,
          subject: 'Your Crescendo data export is ready',
          template: 'gdpr-export',
          text:
            `Your data export is ready. Open ${this.config.env.APP_URL}/api/jobs/${data.jobId} while signed in: ` +
            `its download link is valid for ${Math.round(this.config.env.DOWNLOAD_LINK_TTL_SECONDS / 60)} minutes ` +
            `each time you ask, and the file is kept ${this.config.env.JOB_FILES_RETENTION_DAYS} days.`,
        });
      }
      return { result: { records }, files: [{ name: fileName, contentType: 'application/json' }] };
    });
  }
}
