import { Injectable, StreamableFile } from '@nestjs/common';
import { Principal } from '@crescendo/platform';
import { JobAcceptedResponseDto, JobTrackerService, prefersRespondAsync } from '@crescendo/jobs';
import { GdprExportService } from './gdpr-export.service';
import { GdprJobs } from './gdpr.jobs';

/** The export route's choice: stream the file now, or queue it as a job the user is mailed about. */
@Injectable()
export class GdprService {
  constructor(
    private readonly exports: GdprExportService,
    private readonly tracker: JobTrackerService,
  ) {}

  async export(principal: Principal, prefer: string | undefined): Promise<StreamableFile | JobAcceptedResponseDto> {
    if (prefersRespondAsync(prefer)) {
      return this.tracker.submit(
        GdprJobs.GdprExport,
        { workspaceId: principal.workspaceId, userId: principal.userId },
        principal.userId,
      );
    }
    const file = await this.exports.stream(principal.userId);
    return new StreamableFile(file.stream, {
      type: 'application/json',
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }
}
