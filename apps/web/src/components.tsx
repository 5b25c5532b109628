import {
  useEffect,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { useMutation, useQueryClient, type QueryKey, type UseQueryResult } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ApiError, humanMessage } from './api/errors';

interface FieldProps {
  label: string;
  name: string;
  /** The failed mutation or query: its message for `name` shows under the control. */
  error?: unknown;
  hint?: ReactNode;
  /** Marks the label (the API still decides: its message shows under the control). */
  required?: boolean;
}

/** The API's message for one field of a failed call, if it named that field. */
export function FieldMessage({ name, error }: { name: string; error: unknown }) {
  const message = error instanceof ApiError ? error.fieldError(name) : undefined;
  return message ? (
    <small className="field-error" data-testid={`error-${name}`}>
      {message}
    </small>
  ) : null;
}

/** Label, control, and the API's message for this field (or a hint). Shared by every form control. */
function FieldFrame({
  label,
  name,
  error,
  hint,
  required,
  children,
}: FieldProps & { children: (invalid: boolean) => ReactNode }) {
  const { t } = useTranslation();
  const message = error instanceof ApiError ? error.fieldError(name) : undefined;
  return (
    <label className="field">
      <span>
        {label}
        {required && (
          <abbr className="required-mark" title={t('common.required')} data-testid={`required-${name}`}>
            *
          </abbr>
        )}
      </span>
      {children(!!message)}
      {message ? <FieldMessage name={name} error={error} /> : hint ? <small className="hint">{hint}</small> : null}
    </label>
  );
}

/** A labelled input with the API's message for this field under it. */
export function Field({ label, name, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} required={input.required}>
      {(invalid) => <input name={name} aria-invalid={invalid || undefined} data-testid={input.id ?? name} {...input} />}
    </FieldFrame>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** A labelled select; `placeholder` adds a first empty option (“any”, “none”). */
export function SelectField({
  label,
  name,
  error,
  hint,
  options,
  placeholder,
  ...select
}: FieldProps & { options: Option[]; placeholder?: string } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} required={select.required}>
      {(invalid) => (
        <select name={name} aria-invalid={invalid || undefined} data-testid={select.id ?? name} {...select}>
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export function TextAreaField({
  label,
  name,
  error,
  hint,
  ...area
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} required={area.required}>
      {(invalid) => (
        <textarea name={name} aria-invalid={invalid || undefined} data-testid={area.id ?? name} rows={4} {...area} />
      )}
    </FieldFrame>
  );
}

/** The API's general message for a failed form (field messages appear next to their fields). */
export function FormError({ error, testId = 'form-error' }: { error: unknown; testId?: string }) {
  if (!error) return null;
  const message =
    error instanceof ApiError ? error.humanMessage() : error instanceof Error ? error.message : String(error);
  const unplaced =
    error instanceof ApiError
      ? error.details.filter((d) => !d.field).map((d) => humanMessage(d.message))
      : ([] as string[]);
  return (
    <div className="alert error" role="alert" data-testid={testId}>
      {message}
      {unplaced.length > 0 && (
        <ul>
          {unplaced.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({
  children,
  testId,
  tone = 'success',
}: {
  children: ReactNode;
  testId?: string;
  /** error: an outcome that went wrong without the call failing (a ping not delivered). */
  tone?: 'success' | 'error';
}) {
  return (
    <div className={`alert ${tone}`} role="status" data-testid={testId}>
      {children}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" data-testid="loading">
      <span className="spinner" aria-hidden /> {label ?? t('common.loading')}
    </div>
  );
}

export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="empty" data-testid={testId}>
      {children}
    </div>
  );
}

export function formatDate(value: string | null | undefined, fallback = '—'): string {
  if (!value) return fallback;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? fallback : date.toLocaleString();
}

/** The day only, the full time on hover: for table cells. */
export function DateCell({ value }: { value: string | null | undefined }) {
  if (!value) return <>—</>;
  const date = new Date(value);
  return (
    <time dateTime={value} title={date.toLocaleString()}>
      {date.toLocaleDateString()}
    </time>
  );
}

export function formatNumber(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined
    ? '—'
    : value.toLocaleString(undefined, { maximumFractionDigits: digits });
}

/** Decimal places of a currency's minor unit (USD 2, JPY 0), as the browser's Intl knows it. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units as money: 999 USD → "$9.99". */
export function formatMoney(minor: number | null | undefined, currency: string | null | undefined): string {
  if (minor === null || minor === undefined) return '—';
  if (!currency) return formatNumber(minor);
  const digits = minorDigits(currency);
  try {
    return (minor / 10 ** digits).toLocaleString(undefined, { style: 'currency', currency });
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** "9.99" → 999 minor units; text that is no number stays NaN so that the API names the field. */
export function toMinor(text: string, currency: string): number {
  return Math.round(Number(text.replace(',', '.')) * 10 ** minorDigits(currency || 'USD'));
}

/** 999 minor units → "9.99", for an input. */
export function fromMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** A 0..1 ratio as a percentage. */
export function formatPercent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined
    ? '—'
    : `${(ratio * 100).toLocaleString(undefined, { maximumFractionDigits: 1 })} %`;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** "status_changed" → "Status changed". */
export function humanize(value: string): string {
  const words = value
    .replace(/[_.-]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The filters, page (cursor) and sort of a paged list: changing a filter or the sort goes back to the first page
 * (a cursor belongs to one filter and sort). `filtered`: some filter is set.
 */
export function useListControls<F extends Record<string, string>>(initialFilters: F, initialSort: Sort) {
  const [filters, setFilters] = useState(initialFilters);
  const { cursor, setCursor } = useCursor();
  const [sort, setSortState] = useState<Sort>(initialSort);
  const filter = (changes: Partial<F>) => {
    setFilters({ ...filters, ...changes });
    setCursor(null);
  };
  const setSort = (next: Sort) => {
    setSortState(next);
    setCursor(null);
  };
  return { filters, filter, filtered: Object.values(filters).some(Boolean), cursor, setCursor, sort, setSort };
}

/**
 * Where a list is: the cursor of its page (undefined on the first page), for the API's `cursor` parameter.
 * `inUrl`: kept in the URL's `cursor` parameter beside the filters, so a reload or a shared link shows the same
 * page and the browser's back button goes to the page before.
 */
export function useCursor(inUrl = false): { cursor: string | undefined; setCursor: (cursor: string | null) => void } {
  const [params, setParams] = useSearchParams();
  const [local, setLocal] = useState<string>();
  if (!inUrl) return { cursor: local, setCursor: (next) => setLocal(next ?? undefined) };
  return {
    cursor: params.get('cursor') ?? undefined,
    setCursor: (next) =>
      setParams((current) => {
        const changed = new URLSearchParams(current);
        changed.delete('page');
        if (next) changed.set('cursor', next);
        else changed.delete('cursor');
        return changed;
      }),
  };
}

/** The value after it stopped changing for `delay` ms (search boxes). */
export function useDebounced<T>(value: T, delay = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/**
 * The loading, error and empty states of a query, then its data. `isEmpty` decides what counts as
 * empty (default: an empty array or an empty `data` page).
 */
export function QueryView<T>({
  query,
  empty,
  emptyTestId,
  isEmpty = defaultIsEmpty,
  children,
}: {
  query: UseQueryResult<T>;
  empty?: ReactNode;
  emptyTestId?: string;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <FormError error={query.error} testId="load-error" />;
  if (empty !== undefined && isEmpty(query.data)) return <Empty testId={emptyTestId}>{empty}</Empty>;
  return <>{children(query.data)}</>;
}

function defaultIsEmpty(data: unknown): boolean {
  if (Array.isArray(data)) return data.length === 0;
  const page = (data as { data?: unknown } | null)?.data;
  return Array.isArray(page) && page.length === 0;
}

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** The API's sort field, when the column is sortable. */
  sortBy?: string;
  render: (row: T) => ReactNode;
  className?: string;
}

export interface Sort {
  sortBy: string;
  order: 'asc' | 'desc';
}

interface DataTableProps<T> {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  sort?: Sort;
  onSort?: (sort: Sort) => void;
  testId?: string;
  rowTestId?: string;
  /** Adds a checkbox column (bulk actions); `rowLabel` names a row for its checkbox's label. */
  selection?: { ids: ReadonlySet<string>; toggle: (id: string) => void; togglePage: (ids: string[]) => void };
  rowLabel?: (row: T) => string;
}

/** The one data table: columns, optional server-side sort on header click, a test id per row. */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  testId,
  rowTestId,
  selection,
  rowLabel,
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const pageIds = rows.map(rowKey);
  const allSelected = !!selection && pageIds.length > 0 && pageIds.every((id) => selection.ids.has(id));
  const toggle = (field: string) =>
    onSort?.({
      sortBy: field,
      order: sort?.sortBy === field && sort.order === 'asc' ? 'desc' : sort?.sortBy === field ? 'asc' : 'desc',
    });
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            {selection && (
              <th className="select">
                <input
                  type="checkbox"
                  aria-label={t('bulk.selectAll')}
                  checked={allSelected}
                  onChange={() => selection.togglePage(pageIds)}
                  data-testid="select-page"
                />
              </th>
            )}
            {columns.map((c) => (
              <th key={c.key} className={c.className} aria-sort={sortState(sort, c.sortBy)}>
                {c.sortBy && onSort ? (
                  <button
                    type="button"
                    className="sort"
                    data-testid={`sort-${c.sortBy}`}
                    onClick={() => toggle(c.sortBy!)}
                  >
                    {c.header}
                    <span aria-hidden className="sort-mark">
                      {sort?.sortBy === c.sortBy ? (sort.order === 'asc' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                ) : (
                  c.header
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={rowKey(row)}
              data-testid={rowTestId}
              className={selection?.ids.has(rowKey(row)) ? 'selected' : undefined}
            >
              {selection && (
                <td className="select">
                  <input
                    type="checkbox"
                    aria-label={t('bulk.selectRow', { name: rowLabel?.(row) ?? rowKey(row) })}
                    checked={selection.ids.has(rowKey(row))}
                    onChange={() => selection.toggle(rowKey(row))}
                    data-testid="select-row"
                  />
                </td>
              )}
              {columns.map((c) => (
                <td key={c.key} className={c.className}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function sortState(sort: Sort | undefined, field: string | undefined): 'ascending' | 'descending' | undefined {
  if (!sort || !field || sort.sortBy !== field) return undefined;
  return sort.order === 'asc' ? 'ascending' : 'descending';
}

export interface PageMeta {
  /** null when the page was reached by cursor. */
  page: number | null;
  limit: number;
  total: number;
  pages: number;
  /** The total is the planner's estimate: more than EXACT_TOTAL_CAP rows match. */
  totalIsEstimate?: boolean;
  nextCursor?: string | null;
  prevCursor?: string | null;
}

/** The API counts exactly up to this many rows; beyond, its total is an estimate and the list says "10,000+". */
export const EXACT_TOTAL_CAP = 10_000;

/** A list's total as the pager shows it: the exact number, or "10,000+" (localised) for an estimate. */
export function useFormatTotal(): (total: number, isEstimate?: boolean) => string {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  return (total, isEstimate) =>
    isEstimate ? t('common.totalEstimate', { cap: number.format(EXACT_TOTAL_CAP) }) : number.format(total);
}

/** The one pager under a list: the page before and after by cursor, and how many rows match. */
export function CursorPager({ meta, onCursor }: { meta: PageMeta; onCursor: (cursor: string | null) => void }) {
  const { t } = useTranslation();
  const formatTotal = useFormatTotal();
  return (
    <div className="pagination" data-testid="pagination">
      <span className="muted" data-testid="pagination-summary">
        {t('common.total', { total: formatTotal(meta.total, meta.totalIsEstimate) })}
      </span>
      <span>
        <button
          type="button"
          disabled={!meta.prevCursor}
          onClick={() => onCursor(meta.prevCursor ?? null)}
          data-testid="page-prev"
        >
          {t('common.previous')}
        </button>{' '}
        <button
          type="button"
          disabled={!meta.nextCursor}
          onClick={() => onCursor(meta.nextCursor ?? null)}
          data-testid="page-next"
        >
          {t('common.next')}
        </button>
      </span>
    </div>
  );
}

/** A list query's page: its loading, error and empty states, then the table of its rows and the pager. */
export function PagedTable<T>({
  query,
  empty,
  emptyTestId,
  onCursor,
  ...table
}: Omit<DataTableProps<T>, 'rows'> & {
  query: UseQueryResult<{ data: T[]; pagination: PageMeta }>;
  empty: ReactNode;
  emptyTestId?: string;
  onCursor: (cursor: string | null) => void;
}) {
  return (
    <QueryView query={query} empty={empty} emptyTestId={emptyTestId}>
      {(result) => (
        <>
          <DataTable {...table} rows={result.data} />
          <CursorPager meta={result.pagination} onCursor={onCursor} />
        </>
      )}
    </QueryView>
  );
}

/**
 * The create/edit form of a list page: `save` sends it, then the list under `listKey` refetches and the form
 * closes. The API's refusal shows at the top; `children` get it to show each field's message in place.
 * Test ids: `<testId>-form`, `<testId>-error`, `<testId>-save`.
 */
export function EditorForm({
  title,
  testId,
  listKey,
  save,
  onDone,
  submitLabel,
  children,
}: {
  title: string;
  testId: string;
  listKey: QueryKey;
  save: () => Promise<unknown>;
  onDone: () => void;
  submitLabel: string;
  children: (error: unknown) => ReactNode;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: save,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: listKey });
      notifications.show({ color: 'green', message: t('toast.saved') });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <form className="card" onSubmit={submit} noValidate data-testid={`${testId}-form`}>
      <h2>{title}</h2>
      <FormError error={mutation.error} testId={`${testId}-error`} />
      {children(mutation.error)}
      <div className="actions">
        <button className="primary" type="submit" disabled={mutation.isPending} data-testid={`${testId}-save`}>
          {mutation.isPending ? t('common.saving') : submitLabel}
        </button>
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A destructive action that asks once before acting. */
export function ConfirmButton({
  label,
  confirmLabel = label,
  question,
  onConfirm,
  disabled,
  testId,
}: {
  label: string;
  confirmLabel?: string;
  question?: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="danger-outline"
        disabled={disabled}
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      {question ?? t('common.sure')}{' '}
      <button
        type="button"
        className="danger"
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        data-testid={testId && `${testId}-confirm`}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}

/** Free-text tags: chips with a remove button, and an input that adds on Enter or comma. */
export function TagInput({
  label,
  name,
  value,
  onChange,
  error,
  placeholder,
}: {
  label: string;
  name: string;
  value: string[];
  onChange: (tags: string[]) => void;
  error?: unknown;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const add = () => {
    const tag = draft.trim().toLowerCase();
    if (tag && !value.includes(tag)) onChange([...value, tag]);
    setDraft('');
  };
  return (
    <FieldFrame label={label} name={name} error={error}>
      {(invalid) => (
        <div className="tag-input" aria-invalid={invalid || undefined}>
          {value.map((tag) => (
            <span className="tag" key={tag} data-testid={`${name}-chip`}>
              {tag}
              <button
                type="button"
                className="chip-remove"
                aria-label={t('common.removeTag', { tag })}
                onClick={() => onChange(value.filter((t) => t !== tag))}
              >
                ×
              </button>
            </span>
          ))}
          <input
            value={draft}
            placeholder={placeholder ?? t('common.addTagHint')}
            data-testid={`${name}-input`}
            onChange={(e) => setDraft(e.target.value.replace(',', ''))}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ',') {
                e.preventDefault();
                add();
              }
            }}
            onBlur={add}
          />
        </div>
      )}
    </FieldFrame>
  );
}

/** A labelled 0..100 bar. */
export function ProgressBar({ value, label, testId }: { value: number; label?: string; testId?: string }) {
  const clamped = Math.max(0, Math.min(100, value));
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped}
      data-testid={testId}
    >
      <div className="progress-fill" style={{ width: `${clamped}%` }} />
      <span className="progress-label">{label ?? `${clamped} %`}</span>
    </div>
  );
}
