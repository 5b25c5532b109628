import { Table } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Empty, FormError, Loading } from './ui/feedback';
import { useSearchParams } from 'react-router-dom';

export * from './ui/editor-form';
export * from './ui/feedback';
export * from './ui/fields';
export * from './ui/form-mutation';
export * from './ui/format';
export * from './ui/list-page';

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

/**
 * A ref for a region that may scroll sideways (a wide table on a phone): while it overflows it takes the keyboard
 * focus, so the arrow keys can scroll it (WCAG 2.1.1); while it fits it stays out of the Tab order.
 */
export function useScrollFocus<E extends HTMLElement>(): (node: E | null) => void {
  const [node, setNode] = useState<E | null>(null);
  useEffect(() => {
    if (!node) return;
    const update = () => {
      if (node.scrollWidth > node.clientWidth) node.tabIndex = 0;
      else node.removeAttribute('tabindex');
    };
    const observer = new ResizeObserver(update);
    observer.observe(node);
    // the content grows as its rows arrive
    if (node.firstElementChild) observer.observe(node.firstElementChild);
    update();
    return () => observer.disconnect();
  }, [node]);
  return setNode;
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
  /** A class for a row that its state marks (a revoked key). */
  rowClassName?: (row: T) => string | undefined;
}

/** The one data table (Mantine's Table): columns, optional server-side sort on header click, a test id per row. */
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
  rowClassName,
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const scrollRef = useScrollFocus<HTMLDivElement>();
  const pageIds = rows.map(rowKey);
  const allSelected = !!selection && pageIds.length > 0 && pageIds.every((id) => selection.ids.has(id));
  const toggle = (field: string) =>
    onSort?.({
      sortBy: field,
      order: sort?.sortBy === field && sort.order === 'asc' ? 'desc' : sort?.sortBy === field ? 'asc' : 'desc',
    });
  return (
    <Table.ScrollContainer ref={scrollRef} minWidth={0} type="native" className="table-wrap">
      <Table highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th className="select">
                <input
                  type="checkbox"
                  aria-label={t('bulk.selectAll')}
                  checked={allSelected}
                  onChange={() => selection.togglePage(pageIds)}
                  data-testid="select-page"
                />
              </Table.Th>
            )}
            {columns.map((c) => (
              <Table.Th key={c.key} className={c.className} aria-sort={sortState(sort, c.sortBy)}>
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
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr
              key={rowKey(row)}
              data-testid={rowTestId}
              className={
                [selection?.ids.has(rowKey(row)) ? 'selected' : '', rowClassName?.(row) ?? ''].join(' ').trim() ||
                undefined
              }
            >
              {selection && (
                <Table.Td className="select">
                  <input
                    type="checkbox"
                    aria-label={t('bulk.selectRow', { name: rowLabel?.(row) ?? rowKey(row) })}
                    checked={selection.ids.has(rowKey(row))}
                    onChange={() => selection.toggle(rowKey(row))}
                    data-testid="select-row"
                  />
                </Table.Td>
              )}
              {columns.map((c) => (
                <Table.Td key={c.key} className={c.className}>
                  {c.render(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
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
