import { useTranslation } from 'react-i18next';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type LeadQuery } from '../../api/endpoints';
import { FormError, Notice, SelectField } from '../../components';
import { JobProgress } from '../../job-progress';

/** Hands a downloaded file to the browser as if it came from a link. */
function saveFile(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Export of the leads the table's filters select (every page, the table's sort): the file comes
 * back at once, or, for a large export, a job to follow until its download link is ready.
 */
export function ExportLeads({ query, onClose }: { query: LeadQuery; onClose: () => void }) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<'csv' | 'xlsx'>('csv');
  const [jobId, setJobId] = useState<string | null>(null);
  const run = useMutation({
    meta: { toast: false },
    mutationFn: () => {
      setJobId(null);
      return api.exportLeads({ ...query, format });
    },
    onSuccess: (outcome) => {
      if (outcome.kind === 'job') setJobId(outcome.jobId);
      else saveFile(outcome.blob, outcome.fileName);
    },
  });
  const filters = Object.keys(query).filter((k) => !['page', 'limit', 'sortBy', 'order'].includes(k));
  return (
    <div className="card" data-testid="lead-export">
      <div className="split page-header">
        <h2>{t('leadTools.exportTitle')}</h2>
        <button type="button" className="link" onClick={onClose}>
          {t('leadTools.close')}
        </button>
      </div>
      <p className="muted">
        {filters.length ? t('leadTools.exportFiltered', { filters: filters.join(', ') }) : t('leadTools.exportAll')}
      </p>
      <FormError error={run.error} testId="lead-export-error" />
      <div className="row">
        <SelectField
          label={t('leadTools.format')}
          name="format"
          data-testid="lead-export-format"
          options={[
            { value: 'csv', label: t('leadTools.csv') },
            { value: 'xlsx', label: t('leadTools.xlsx') },
          ]}
          value={format}
          error={run.error}
          onChange={(e) => setFormat(e.target.value as 'csv' | 'xlsx')}
        />
      </div>
      <button
        type="button"
        className="primary"
        disabled={run.isPending}
        onClick={() => run.mutate()}
        data-testid="lead-export-submit"
      >
        {run.isPending ? t('leadTools.exporting') : t('leadTools.export')}
      </button>
      {run.isSuccess && run.data.kind === 'file' && (
        <Notice testId="lead-export-done">{t('leadTools.downloaded', { name: run.data.fileName })}</Notice>
      )}
      {jobId && <JobProgress jobId={jobId} />}
    </div>
  );
}
