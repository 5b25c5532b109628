import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { JobResponseDto } from '@crescendo/api-client';
import { api } from './api/endpoints';
import { i18n } from './i18n';
import { FormError, Loading, ProgressBar, formatBytes, formatDate, humanize } from './components';

const DONE = new Set<JobResponseDto['status']>(['COMPLETED', 'FAILED', 'CANCELLED']);

export const jobKey = (id: string) => ['job', id] as const;

/**
 * Follows a tracked job by polling GET /api/jobs/:id every second until it completes or fails
 * (the SSE route needs the Authorization header, which EventSource cannot send).
 */
export function useJob(jobId: string | null | undefined) {
  return useQuery({
    queryKey: jobKey(jobId ?? ''),
    queryFn: () => api.getJob(jobId!),
    enabled: !!jobId,
    refetchInterval: (query) => (query.state.data && DONE.has(query.state.data.status) ? false : 1000),
  });
}

/** Progress bar of a job, then its result figures and the download links of its files. */
export function JobProgress({ jobId, onDone }: { jobId: string; onDone?: (job: JobResponseDto) => void }) {
  const job = useJob(jobId);
  const notify = useRef(onDone);
  notify.current = onDone;
  const finished = job.data && DONE.has(job.data.status) ? job.data : undefined;
  useEffect(() => {
    if (finished) notify.current?.(finished);
  }, [finished]);
  if (job.isPending) return <Loading label={i18n.t('domain.job.starting')} />;
  if (job.isError) return <FormError error={job.error} testId="job-error" />;
  const data = job.data;
  return (
    <div className="job" data-testid="job" data-status={data.status}>
      <div className="job-head">
        <strong>{humanize(data.type)}</strong>
        <span className={`tag job-${data.status.toLowerCase()}`} data-testid="job-status">
          {i18n.t(`domain.job.statuses.${data.status}`)}
        </span>
      </div>
      {!DONE.has(data.status) && <ProgressBar value={data.progress} testId="job-progress" />}
      {data.message && <p className="muted">{data.message}</p>}
      {data.status === 'FAILED' && data.error && (
        <div className="alert error" role="alert" data-testid="job-failure">
          {data.error.message} <code>{data.error.code}</code>
        </div>
      )}
      {data.result && Object.keys(data.result).length > 0 && <JobResult result={data.result} />}
      {data.files.length > 0 && (
        <ul className="files" data-testid="job-files">
          {data.files.map((file) => (
            <li key={file.name}>
              <a href={file.url} download={file.name} data-testid="job-file">
                {file.name}
              </a>{' '}
              <span className="muted">
                {formatBytes(file.size)} · {i18n.t('domain.job.linkValid', { date: formatDate(file.expiresAt) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The scalar figures of a result as a definition list (nested values as JSON). */
function JobResult({ result }: { result: Record<string, unknown> }) {
  return (
    <dl className="figures" data-testid="job-result">
      {Object.entries(result).map(([key, value]) => (
        <div key={key}>
          <dt>{humanize(key)}</dt>
          <dd>{typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
