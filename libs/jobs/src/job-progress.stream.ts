import { Injectable, MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import { JobRecordRepository } from './job-record.repository';
import { finishedJobStatuses, JobStatus } from './jobs.types';
import { JobTrackerService } from './job-tracker.service';

const POLL_INTERVAL_MS = 500;

/**
 * Follows a job for a server-sent event stream. It reads the job's row rather than listening to the
 * worker, so it works whichever API replica the client reached; it stops when the client goes away.
 */
@Injectable()
export class JobProgressStream {
  constructor(
    private readonly records: JobRecordRepository,
    private readonly tracker: JobTrackerService,
  ) {}

  follow(workspaceId: string, id: string): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let last = '';
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const tick = async () => {
        try {
          const record = await this.records.findInWorkspace(workspaceId, id);
          if (stopped) return;
          if (!record) return subscriber.complete();
          const snapshot = this.tracker.toResponse(record);
          const state = `${record.status}|${record.progress}|${record.message}|${record.updatedAt.getTime()}`;
          if (state !== last) {
            last = state;
            subscriber.next({ type: 'progress', data: snapshot });
          }
          if (finishedJobStatuses.includes(record.status)) {
            subscriber.next({
              type: record.status === JobStatus.Completed ? 'completed' : record.status.toLowerCase(),
              data: snapshot,
            });
            return subscriber.complete();
          }
          timer = setTimeout(tick, POLL_INTERVAL_MS);
        } catch (error) {
          subscriber.error(error);
        }
      };
      void tick();
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    });
  }
}
