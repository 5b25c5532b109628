import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/endpoints';
import { Field, FieldMessage, FormError, SelectField, humanize, type Option } from '../components';
import { leadsKey } from '../crm';
import { readFilePreview, type FilePreview } from '../file-header';
import { JobProgress } from '../job-progress';

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
  const field = FIELDS.find((f) => normalize(f) === key || normalize(humanize(f)) === key);
  if (field && !taken.has(field)) {
    taken.add(field);
    return field;
  }
  return IGNORE;
};

const targetOptions: Option[] = [
  ...FIELDS.map((f) => ({ value: f, label: f === 'nicheId' ? 'Niche id' : humanize(f) })),
  { value: CUSTOM, label: 'Custom field' },
];

interface ColumnChoice {
  target: string;
  /** The custom field's key when target is custom. */
  key: string;
}

/** File → columns → options → the import job's progress, result and error report. */
export function ImportLeads({ onClose }: { onClose: () => void }) {
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
      if (read.headers.length === 0) throw new Error('The file has no header row.');
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
        <h2>Import leads</h2>
        <button type="button" className="link" onClick={onClose}>
          Close
        </button>
      </div>
      <ol className="steps">
        <li>
          <label className="field">
            <span>File (CSV or XLSX, with a header row)</span>
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
            <strong>Columns</strong>{' '}
            <span className="muted small">
              — {mapped} of {preview.headers.length} imported
            </span>
            <div className="table-wrap">
              <table className="mapping" data-testid="import-mapping">
                <thead>
                  <tr>
                    {preview.headers.map((header, i) => (
                      <th key={i}>
                        <div className="mapping-head">{header || `(column ${i + 1})`}</div>
                        <select
                          aria-label={`Field of ${header}`}
                          value={columns[i]?.target ?? IGNORE}
                          data-testid="import-target"
                          onChange={(e) =>
                            setColumns(columns.map((c, j) => (j === i ? { ...c, target: e.target.value } : c)))
                          }
                        >
                          <option value={IGNORE}>Ignore</option>
                          {targetOptions.map((o) => (
                            <option key={o.value} value={o.value}>
                              {o.label}
                            </option>
                          ))}
                        </select>
                        <FieldMessage name={`mapping.${header}`} error={start.error} />
                        {columns[i]?.target === CUSTOM && (
                          <input
                            aria-label={`Custom field key of ${header}`}
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
                label="A lead with the same e-mail exists"
                name="duplicatePolicy"
                data-testid="import-duplicates"
                options={[
                  { value: 'skip', label: 'Skip the row' },
                  { value: 'update', label: 'Update the lead with the row’s cells' },
                ]}
                value={duplicatePolicy}
                error={start.error}
                onChange={(e) => setDuplicatePolicy(e.target.value as 'skip' | 'update')}
              />
              <Field
                label="Source of rows without one"
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
              {start.isPending ? 'Uploading…' : `Import ${file?.name ?? ''}`}
            </button>
          </li>
        )}
        {jobId && (
          <li>
            <JobProgress jobId={jobId} onDone={() => void queryClient.invalidateQueries({ queryKey: leadsKey })} />
            <p className="muted small">
              The report (if any row failed) lists each line and why. <Link to="/leads">See the leads</Link>
            </p>
          </li>
        )}
      </ol>
    </div>
  );
}
