import { useEffect, useState, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Empty, FormError, Loading } from './ui/feedback';

export * from './ui/editor-form';
export * from './ui/feedback';
export * from './ui/fields';
export * from './ui/format';

/**
 * The filters, page and sort of a paged list: changing a filter or the sort goes back to page 1
 * (the current page may not exist in the new results). `filtered`: some filter is set.
 */
export function useListControls<F extends Record<string, string>>(initialFilters: F, initialSort: Sort) {
  const [filters, setFilters] = useState(initialFilters);
  const [page, setPage] = useState(1);
  const [sort, setSortState] = useState<Sort>(initialSort);
  const filter = (changes: Partial<F>) => {
    setFilters({ ...filters, ...changes });
    setPage(1);
  };
  const setSort = (next: Sort) => {
    setSortState(next);
    setPage(1);
  };
  return { filters, filter, filtered: Object.values(filters).some(Boolean), page, setPage, sort, setSort };
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
  /** null when the page was reached by cursor; the SPA pages by number. */
  page: number | null;
  limit: number;
  total: number;
  pages: number;
}

/** The one pager under a list: previous / next and where we are. */
export function Pagination({ meta: pageMeta, onPage }: { meta: PageMeta; onPage: (page: number) => void }) {
  const meta = { ...pageMeta, page: pageMeta.page ?? 1 };
  const { t } = useTranslation();
  const first = meta.total === 0 ? 0 : (meta.page - 1) * meta.limit + 1;
  const last = Math.min(meta.total, meta.page * meta.limit);
  return (
    <div className="pagination" data-testid="pagination">
      <span className="muted" data-testid="pagination-summary">
        {t('common.range', { first, last, total: meta.total })}
      </span>
      <span>
        <button type="button" disabled={meta.page <= 1} onClick={() => onPage(meta.page - 1)} data-testid="page-prev">
          {t('common.previous')}
        </button>
        <span className="muted">{t('common.pageOf', { page: meta.page, pages: Math.max(meta.pages, 1) })}</span>{' '}
        <button
          type="button"
          disabled={meta.page >= meta.pages}
          onClick={() => onPage(meta.page + 1)}
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
  onPage,
  ...table
}: Omit<DataTableProps<T>, 'rows'> & {
  query: UseQueryResult<{ data: T[]; pagination: PageMeta }>;
  empty: ReactNode;
  emptyTestId?: string;
  onPage: (page: number) => void;
}) {
  return (
    <QueryView query={query} empty={empty} emptyTestId={emptyTestId}>
      {(result) => (
        <>
          <DataTable {...table} rows={result.data} />
          <Pagination meta={result.pagination} onPage={onPage} />
        </>
      )}
    </QueryView>
  );
}
