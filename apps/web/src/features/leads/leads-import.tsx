import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/endpoints';
import { Field, FieldMessage, FormError, SelectField, humanize, type Option } from '../../components';
import { leadsKey } from '../../crm';
import { readFilePreview, type FilePreview } from './file-header';
import { JobProgress } from '../../job-progress';

/** The lead fields a column can feed (the import route's list); `custom.<key>` feeds a custom field. */
const FIELDS = [
  'name',
  'email',
  'phone',
  'company',
  'jobTitle',
  'source',
  'status',
  'tags',
  'score',
  'notes',
  'nicheId',
];
const IGNORE = '';
const CUSTOM = 'custom';

const normalize = (header: string) =>
  header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** A first guess: a header that names a field ("E-mail", "Job title") maps to it; others are ignored. */
const guess = (header: string, taken: Set<string>): string => {
  const key = normalize(header);
  // "E-mail", "Société" (the French label) or "jobTitle" find their field
  const field = FIELDS.find((f) => [f, humanize(f), fieldLabel(f)].some((name) => normalize(name) === key));
  if (field && !taken.has(field)) {
    taken.add(field);
    return field;
  }
  return IGNORE;
};

/** The lead form's label of a field, in the UI's language. */
const fieldLabel = (field: string) =>
  field === 'nicheId' || field === 'jobTitle'
    ? i18n.t(`leadTools.${field}`)
    : i18n.exists(`lead.${field}`)
      ? i18n.t(`lead.${field}`)
      : humanize(field);
const targetOptions = (): Option[] => [
  ...FIELDS.map((f) => ({ value: f, label: fieldLabel(f) })),
  { value: CUSTOM, label: i18n.t('leadTools.customField') },
];

interface ColumnChoice {
  target: string;
  /** The custom field's key when target is custom. */
  key: string;
}

/** File → columns → options → the import job's progress, result and error report. */
export function ImportLeads({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<FilePreview | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [columns, setColumns] = useState<ColumnChoice[]>([]);
  const [duplicatePolicy, setDuplicatePolicy] = useState<'skip' | 'update'>('skip');
  const [defaultSource, setDefaultSource] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setPreview(null);
    setReadError(null);
    setJobId(null);
    if (!chosen) return;
    try {
      const read = await readFilePreview(chosen);
      if (read.headers.length === 0) throw new Error(i18n.t('leadTools.noHeader'));
      const taken = new Set<string>();
      setColumns(read.headers.map((h) => ({ target: guess(h, taken), key: normalize(h) })));
      setPreview(read);
    } catch (error) {
      setReadError(error instanceof Error ? error.message : String(error));
    }
  };

  /** Header → target for the mapped columns only (the API then reads only those). */
  const mapping = () =>
    Object.fromEntries(
      (preview?.headers ?? [])
        .map((header, i) => [header, columns[i]] as const)
        .filter(([, c]) => c.target !== IGNORE)
        .map(([header, c]) => [header, c.target === CUSTOM ? `custom.${c.key}` : c.target]),
    );

  const start = useMutation({
    meta: { toast: false },
    mutationFn: () =>
      api.importLeads({
        file: file!,
        mapping: JSON.stringify(mapping()),
        duplicatePolicy,
        defaultSource: defaultSource.trim() || undefined,
      }),
    onSuccess: (accepted) => setJobId(accepted.jobId),
  });

  const mapped = columns.filter((c) => c.target !== IGNORE).length;
  return (
    <div className="card" data-testid="lead-import">
      <div className="split page-header">
        <h2>{t('leadTools.importTitle')}</h2>
        <button type="button" className="link" onClick={onClose}>
          {t('leadTools.close')}
        </button>
      </div>
      <ol className="steps">
        <li>
          <label className="field">
            <span>{t('leadTools.file')}</span>
            <input
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => void choose(e.target.files?.[0] ?? null)}
              data-testid="import-file"
            />
          </label>
          {readError && (
            <div className="alert error" role="alert" data-testid="import-read-error">
              {readError}
            </div>
          )}
        </li>
        {preview && (
          <li>
            <strong>{t('leadTools.columns')}</strong>{' '}
            <span className="muted small">{t('leadTools.mappedOf', { mapped, total: preview.headers.length })}</span>
            <div className="table-wrap">
              <table className="mapping" data-testid="import-mapping">
                <thead>
                  <tr>
                    {preview.headers.map((header, i) => (
                      <th key={i}>
                        <div className="mapping-head">{header || t('leadTools.columnN', { n: i + 1 })}</div>
                        <select
                          aria-label={t('leadTools.fieldOf', { header })}
                          value={columns[i]?.target ?? IGNORE}
                          data-testid="import-target"
                          onChange={(e) =>
                            setColumns(columns.map((c, j) => (j === i ? { ...c, target: e.target.value } : c)))
                          }
                        >
                          <option value={IGNORE}>{t('leadTools.ignore')}</option>
                          {targetOptions().map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                        <FieldMessage name={`mapping.${header}`} error={start.error} />
                        {columns[i]?.target === CUSTOM && (
                          <input
                            aria-label={t('leadTools.customKeyOf', { header })}
                            value={columns[i].key}
                            onChange={(e) =>
                              setColumns(columns.map((c, j) => (j === i ? { ...c, key: e.target.value } : c)))
                            }
                          />
                        )}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((row, r) => (
                    <tr key={r}>
                      {preview.headers.map((_, i) => (
                        <td key={i} className={columns[i]?.target === IGNORE ? 'ignored' : undefined}>
                          {row[i] ?? ''}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </li>
        )}
        {preview && (
          <li>
            <div className="row">
              <SelectField
                label={t('leadTools.duplicates')}
                name="duplicatePolicy"
                data-testid="import-duplicates"
                options={[
                  { value: 'skip', label: t('leadTools.skipRow') },
                  { value: 'update', label: t('leadTools.updateLead') },
                ]}
                value={duplicatePolicy}
                error={start.error}
                onChange={(e) => setDuplicatePolicy(e.target.value as 'skip' | 'update')}
              />
              <Field
                label={t('leadTools.defaultSource')}
                name="defaultSource"
                placeholder="import-2026-11"
                value={defaultSource}
                error={start.error}
                onChange={(e) => setDefaultSource(e.target.value)}
              />
            </div>
            <FieldMessage name="mapping" error={start.error} />
            <FieldMessage name="file" error={start.error} />
            <FormError error={start.error} testId="import-error" />
            <button
              type="button"
              className="primary"
              disabled={start.isPending || mapped === 0 || !!jobId}
              onClick={() => start.mutate()}
              data-testid="import-submit"
            >
              {start.isPending ? t('leadTools.uploading') : t('leadTools.importFile', { name: file?.name ?? '' })}
            </button>
          </li>
        )}
        {jobId && (
          <li>
            <JobProgress jobId={jobId} onDone={() => void queryClient.invalidateQueries({ queryKey: leadsKey })} />
            <p className="muted small">
              {t('leadTools.reportHint')} <Link to="/leads">{t('leadTools.seeLeads')}</Link>
            </p>
          </li>
        )}
      </ol>
    </div>
  );
}
