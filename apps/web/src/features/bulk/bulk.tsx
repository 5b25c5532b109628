import { Button, Group, Paper, Progress, Text } from '@mantine/core';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

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
 * Runs one request per item, a few at a time, with progress. The API has no bulk routes for these
 * lists yet (except campaign enrolment), so a bulk action is this loop.
 */
export function useBulkRunner(concurrency = 6) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const run = useCallback(
    async <T,>(items: T[], action: (item: T) => Promise<unknown>): Promise<BulkOutcome<T>> => {
      const ok: T[] = [];
      const failed: T[] = [];
      let next = 0;
      setProgress({ done: 0, total: items.length });
      const worker = async () => {
        while (next < items.length) {
          const item = items[next++];
          try {
            await action(item);
            ok.push(item);
          } catch {
            failed.push(item);
          }
          setProgress({ done: ok.length + failed.length, total: items.length });
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
