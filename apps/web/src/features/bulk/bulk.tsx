import { Button, Group, NativeSelect, Paper, Progress, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components';

/** The ids picked in a list; cleared by the list when its filters change. */
export function useSelection() {
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (id: string) =>
      setIds((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  /** All of `pageIds` selected → unselects them; otherwise selects them all. */
  const togglePage = useCallback(
    (pageIds: string[]) =>
      setIds((current) => {
        const next = new Set(current);
        const all = pageIds.length > 0 && pageIds.every((id) => next.has(id));
        for (const id of pageIds) {
          if (all) next.delete(id);
          else next.add(id);
        }
        return next;
      }),
    [],
  );
  const replace = useCallback((list: string[]) => setIds(new Set(list)), []);
  const clear = useCallback(() => setIds(new Set()), []);
  return useMemo(() => ({ ids, toggle, togglePage, replace, clear }), [ids, toggle, togglePage, replace, clear]);
}
export type Selection = ReturnType<typeof useSelection>;

export interface BulkOutcome<T> {
  ok: T[];
  failed: T[];
}

/**
 * Runs one request per item, a few at a time, with progress. An item is a row for the lists without a
 * bulk route, or a chunk of ids for those with one (leads, campaign enrolment): `weight` then says how
 * many rows an item is, so that the progress counts rows.
 */
export function useBulkRunner(concurrency = 6) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const run = useCallback(
    async <T,>(
      items: T[],
      action: (item: T) => Promise<unknown>,
      weight: (item: T) => number = () => 1,
    ): Promise<BulkOutcome<T>> => {
      const ok: T[] = [];
      const failed: T[] = [];
      const total = items.reduce((n, item) => n + weight(item), 0);
      let done = 0;
      let next = 0;
      setProgress({ done: 0, total });
      const worker = async () => {
        while (next < items.length) {
          const item = items[next++];
          try {
            await action(item);
            ok.push(item);
          } catch {
            failed.push(item);
          }
          done += weight(item);
          setProgress({ done, total });
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
      } finally {
        setProgress(null);
      }
      return { ok, failed };
    },
    [concurrency],
  );
  return { run, progress, running: progress !== null };
}

/** The bar over a list while rows are selected: the count, the actions, the progress of a running one. */
export function BulkBar({
  count,
  onClear,
  progress,
  children,
  extra,
}: {
  count: number;
  onClear: () => void;
  progress: { done: number; total: number } | null;
  children: ReactNode;
  /** Offered under the count ("select all 500 matching"). */
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  if (count === 0 && !progress) return null;
  return (
    <Paper
      withBorder
      p="sm"
      mb="md"
      className="bulk-bar"
      data-testid="bulk-bar"
      role="region"
      aria-label={t('bulk.selected', { count })}
    >
      <Group justify="space-between" gap="sm">
        <Group gap="sm">
          <Text fw={600} data-testid="bulk-count">
            {t('bulk.selected', { count })}
          </Text>
          {extra}
          <Button variant="subtle" size="xs" onClick={onClear} disabled={!!progress} data-testid="bulk-clear">
            {t('bulk.clear')}
          </Button>
        </Group>
        <Group gap="xs">{children}</Group>
      </Group>
      {progress && (
        <Group mt="xs" gap="sm" data-testid="bulk-progress">
          <Progress value={(progress.done / Math.max(progress.total, 1)) * 100} style={{ flex: 1 }} aria-hidden />
          <Text size="sm">{t('bulk.progress', progress)}</Text>
        </Group>
      )}
    </Paper>
  );
}

/**
 * Bulk actions on the rows selected in one page of a list: a status to set and/or delete. One
 * request per row (these lists have no bulk route), a toast with the outcome, then `onDone`.
 */
export function PageBulkActions({
  selection,
  statusOptions,
  statusLabel,
  setStatus,
  remove,
  onDone,
  extraActions = [],
}: {
  selection: Selection;
  statusOptions?: { value: string; label: string }[];
  statusLabel?: string;
  setStatus?: (id: string, status: string) => Promise<unknown>;
  remove?: (id: string) => Promise<unknown>;
  onDone: () => void;
  /** Actions with no choice to make ("mark as read"). */
  extraActions?: { label: string; testId: string; run: (id: string) => Promise<unknown> }[];
}) {
  const { t } = useTranslation();
  const bulk = useBulkRunner();
  const [status, setStatusValue] = useState('');
  const ids = [...selection.ids];
  const finish = (outcome: BulkOutcome<string>, key: 'bulk.done' | 'bulk.deleted') => {
    const failed = outcome.failed.length;
    notifications.show({
      color: failed ? 'orange' : 'green',
      message: failed ? t('bulk.partial', { failed, total: ids.length }) : t(key, { count: outcome.ok.length }),
    });
    selection.clear();
    setStatusValue('');
    onDone();
  };
  return (
    <BulkBar count={selection.ids.size} onClear={selection.clear} progress={bulk.progress}>
      {statusOptions && setStatus && (
        <Group gap="xs" wrap="wrap">
          <NativeSelect
            size="xs"
            aria-label={statusLabel ?? t('bulk.setStatus')}
            value={status}
            onChange={(e) => setStatusValue(e.currentTarget.value)}
            data={[{ value: '', label: statusLabel ?? t('bulk.setStatus') }, ...statusOptions]}
            data-testid="bulk-status"
          />
          <Button
            size="xs"
            disabled={!status || bulk.running}
            onClick={() => void bulk.run(ids, (id) => setStatus(id, status)).then((o) => finish(o, 'bulk.done'))}
            data-testid="bulk-status-apply"
          >
            {t('bulk.apply')}
          </Button>
        </Group>
      )}
      {extraActions.map((action) => (
        <Button
          key={action.testId}
          size="xs"
          variant="light"
          disabled={bulk.running}
          onClick={() => void bulk.run(ids, action.run).then((o) => finish(o, 'bulk.done'))}
          data-testid={action.testId}
        >
          {action.label}
        </Button>
      ))}
      {remove && (
        <ConfirmButton
          label={t('bulk.delete')}
          question={t('bulk.deleteConfirm', { count: selection.ids.size })}
          confirmLabel={t('common.delete')}
          disabled={bulk.running}
          onConfirm={() => void bulk.run(ids, remove).then((o) => finish(o, 'bulk.deleted'))}
          testId="bulk-delete"
        />
      )}
    </BulkBar>
  );
}
