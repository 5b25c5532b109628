import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig, FileStore, MailService, OnJob } from '@crescendo/platform';
import { JobTrackerService } from '@crescendo/jobs';
import { IdentityPersonalData } from '@crescendo/identity';
import { exportFileName, GdprExportService } from './gdpr-export.service';
import { gdprMails } from './gdpr-mails';
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
        // The requester's language, else that of the workspace they asked from.
        const language = await this.mail.languageOf(data.userId, data.workspaceId);
        await this.mail.send({
          to: email,
          template: 'gdpr-export',
          ...gdprMails(language).exportReady({
            link: `${this.config.env.APP_URL}/api/jobs/${data.jobId}`,
            linkMinutes: Math.round(this.config.env.DOWNLOAD_LINK_TTL_SECONDS / 60),
            keptDays: this.config.env.JOB_FILES_RETENTION_DAYS,
          }),
        });
      }
      return { result: { records }, files: [{ name: fileName, contentType: 'application/json' }] };
    });
  }
}
