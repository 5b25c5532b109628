import { Button, Group, NativeSelect } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type LeadQuery, type LeadStatus } from '../../api/endpoints';
import { useAuth } from '../../auth';
import { ConfirmButton, Notice } from '../../components';
import { STATUS_OPTIONS, leadsKey } from '../../crm';
import { BulkBar, useBulkRunner, type Selection } from '../bulk/bulk';

const PAGE = 100;
/** The enrolment and bulk lead routes take at most this many ids per call. */
const CHUNK = 1000;

/** `ids` in chunks of CHUNK, one request each. */
function chunked(ids: string[]): string[][] {
  return Array.from({ length: Math.ceil(ids.length / CHUNK) }, (_, i) => ids.slice(i * CHUNK, (i + 1) * CHUNK));
}
const chunkSize = (chunk: string[]) => chunk.length;
const idsOf = (chunks: string[][]) => chunks.flat();

/** Every id matching the list's filters, page by page by cursor (the list route's largest page is 100). */
export async function allLeadIds(query: LeadQuery): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor: string | undefined; ;) {
    const answer = await api.listLeads({ ...query, cursor, limit: PAGE });
    ids.push(...answer.data.map((l) => l.id));
    if (!answer.pagination.nextCursor || answer.data.length === 0) return ids;
    cursor = answer.pagination.nextCursor;
  }
}

/**
 * Bulk actions on the selected leads: change status, enrol in a campaign, delete with undo; one request
 * per 1,000 leads (POST /api/leads/bulk, POST /api/campaigns/:id/leads), each all or nothing.
 */
export function LeadsBulk({
  selection,
  query,
  total,
  pageSize,
}: {
  selection: Selection;
  /** The list's filters and sort, for "select all matching". */
  query: LeadQuery;
  total: number;
  pageSize: number;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const bulk = useBulkRunner();
  const [status, setStatus] = useState<LeadStatus | ''>('');
  const [campaignId, setCampaignId] = useState('');
  const [deleted, setDeleted] = useState<string[] | null>(null);
  const [selectingAll, setSelectingAll] = useState(false);
  const campaigns = useQuery({
    queryKey: ['campaigns', 'options'],
    queryFn: () => api.listCampaigns({ limit: 100, sortBy: 'name', order: 'asc' }),
    enabled: can('campaigns:write'),
    staleTime: 60_000,
  });
  const ids = [...selection.ids];
  const refresh = () => void queryClient.invalidateQueries({ queryKey: leadsKey });

  const report = (ok: number, failed: number, key: 'bulk.done' | 'bulk.deleted') => {
    notifications.show({
      color: failed ? 'orange' : 'green',
      message: failed ? t('bulk.partial', { failed, total: ok + failed }) : t(key, { count: ok }),
    });
  };

  const applyStatus = async () => {
    if (!status) return;
    const outcome = await bulk.run(
      chunked(ids),
      (chunk) => api.bulkLeads({ ids: chunk, action: 'update', changes: { status } }),
      chunkSize,
    );
    report(idsOf(outcome.ok).length, idsOf(outcome.failed).length, 'bulk.done');
    selection.clear();
    setStatus('');
    refresh();
  };

  const enrol = async () => {
    if (!campaignId) return;
    const outcome = await bulk.run(chunked(ids), (chunk) => api.enrollCampaignLeads(campaignId, chunk), chunkSize);
    report(idsOf(outcome.ok).length, idsOf(outcome.failed).length, 'bulk.done');
    selection.clear();
    void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    refresh();
  };

  const remove = async () => {
    const outcome = await bulk.run(chunked(ids), (chunk) => api.bulkLeads({ ids: chunk, action: 'delete' }), chunkSize);
    report(idsOf(outcome.ok).length, idsOf(outcome.failed).length, 'bulk.deleted');
    setDeleted(idsOf(outcome.ok));
    selection.clear();
    refresh();
  };

  const undo = async () => {
    if (!deleted) return;
    const outcome = await bulk.run(
      chunked(deleted),
      (chunk) => api.bulkLeads({ ids: chunk, action: 'restore' }),
      chunkSize,
    );
    const failed = idsOf(outcome.failed).length;
    notifications.show({
      color: failed ? 'orange' : 'green',
      message: failed
        ? t('bulk.partial', { failed, total: deleted.length })
        : t('bulk.restored', { count: idsOf(outcome.ok).length }),
    });
    setDeleted(null);
    refresh();
  };

  const selectAll = async () => {
    setSelectingAll(true);
    try {
      selection.replace(await allLeadIds(query));
    } finally {
      setSelectingAll(false);
    }
  };

  return (
    <>
      {deleted && deleted.length > 0 && (
        <Notice testId="bulk-deleted">
          {t('bulk.deleted', { count: deleted.length })}{' '}
          <button
            type="button"
            className="link"
            disabled={bulk.running}
            onClick={() => void undo()}
            data-testid="bulk-undo"
          >
            {t('bulk.undo')}
          </button>
        </Notice>
      )}
      <BulkBar
        count={selection.ids.size}
        onClear={selection.clear}
        progress={bulk.progress}
        extra={
          selection.ids.size >= Math.min(pageSize, total) &&
          selection.ids.size < total && (
            <Button
              variant="light"
              size="xs"
              loading={selectingAll}
              onClick={() => void selectAll()}
              data-testid="bulk-select-all"
            >
              {t('bulk.selectAllMatching', { count: total })}
            </Button>
          )
        }
      >
        <Group gap="xs" wrap="wrap">
          <NativeSelect
            size="xs"
            aria-label={t('bulk.setStatus')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as LeadStatus | '')}
            data={[{ value: '', label: t('bulk.setStatus') }, ...STATUS_OPTIONS]}
            data-testid="bulk-status"
          />
          <Button
            size="xs"
            disabled={!status || bulk.running}
            onClick={() => void applyStatus()}
            data-testid="bulk-status-apply"
          >
            {t('bulk.apply')}
          </Button>
        </Group>
        {(campaigns.data?.data.length ?? 0) > 0 && (
          <Group gap="xs" wrap="wrap">
            <NativeSelect
              size="xs"
              aria-label={t('bulk.enrol')}
              value={campaignId}
              onChange={(e) => setCampaignId(e.currentTarget.value)}
              data={[
                { value: '', label: t('bulk.enrol') },
                ...(campaigns.data?.data ?? []).map((c) => ({ value: c.id, label: c.name })),
              ]}
              data-testid="bulk-campaign"
            />
            <Button
              size="xs"
              disabled={!campaignId || bulk.running}
              onClick={() => void enrol()}
              data-testid="bulk-campaign-apply"
            >
              {t('bulk.apply')}
            </Button>
          </Group>
        )}
        <ConfirmButton
          label={t('bulk.delete')}
          question={t('bulk.deleteConfirm', { count: selection.ids.size })}
          confirmLabel={t('common.delete')}
          disabled={bulk.running}
          onConfirm={() => void remove()}
          testId="bulk-delete"
        />
      </BulkBar>
    </>
  );
}
