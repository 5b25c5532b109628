import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { WebhookEndpointResponseDto } from '@crescendo/api-client';
import { api } from '../../api/endpoints';
import { useAuth } from '../../auth';
import {
  ConfirmButton,
  DateCell,
  FormError,
  Notice,
  PagedTable,
  SelectField,
  formatDate,
  type Column,
  useCursor,
} from '../../components';
import { EndpointForm } from './endpoint-form';
import { OnceSecret } from './once-secret';
import { eventKey } from '../../i18n/domain';

export const webhooksKey = ['webhooks'] as const;

export function WebhooksPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const write = can('settings:write');
  return (
    <section>
      <header className="page-header">
        <h1>{t('pages.webhooksTitle')}</h1>
        <p className="muted">{t('pages.webhooksSubtitle')}</p>
      </header>
      <Endpoints write={write} />
      <Inbound write={write} logs={can('logs:read')} />
    </section>
  );
}

/** The events' codes (what the receiver gets in its payloads), each named in words on hover. */
const EventCodes = ({ events, t }: { events: string[]; t: TFunction }) => (
  <span className="tags">
    {events.map((e) => (
      <code key={e} title={e === '*' ? t('webhooks.everyEvent') : t(eventKey(e))}>
        {e}
      </code>
    ))}
  </span>
);

function Endpoints({ write }: { write: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { cursor, setCursor } = useCursor();
  const [open, setOpen] = useState<string | null>(null);
  const endpoints = useQuery({
    queryKey: [...webhooksKey, 'endpoints', cursor],
    queryFn: () => api.listWebhookEndpoints({ cursor, limit: 20 }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: webhooksKey });
  const update = useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) => api.updateWebhookEndpoint(id, { active }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api.deleteWebhookEndpoint(id), onSuccess: refresh });
  const ping = useMutation({ mutationFn: (id: string) => api.testWebhookEndpoint(id), onSuccess: refresh });
  const columns: Column<WebhookEndpointResponseDto>[] = [
    {
      key: 'url',
      header: t('webhooks.colUrl'),
      render: (e) => (
        <>
          <code className="wrap">{e.url}</code>
          {e.description && <div className="muted small">{e.description}</div>}
        </>
      ),
    },
    { key: 'events', header: t('webhooks.colEvents'), render: (e) => <EventCodes events={e.events} t={t} /> },
    {
      key: 'active',
      header: t('webhooks.colState'),
      render: (e) => (
        <>
          <span className={`tag ${e.active ? 'status-active' : 'status-inactive'}`} data-testid="webhook-state">
            {e.active ? t('webhooks.active') : t('webhooks.disabled')}
          </span>
          {e.disabledReason && <div className="muted small">{e.disabledReason}</div>}
          {e.consecutiveFailures > 0 && (
            <div className="muted small">{t('webhooks.failures', { count: e.consecutiveFailures })}</div>
          )}
        </>
      ),
    },
    {
      key: 'manage',
      header: '',
      className: 'actions',
      render: (e) => (
        <>
          <button
            type="button"
            onClick={() => setOpen(open === e.id ? null : e.id)}
            data-testid="webhook-deliveries-open"
          >
            {t('webhooks.deliveries')}
          </button>
          {write && (
            <>
              <button
                type="button"
                disabled={ping.isPending}
                onClick={() => ping.mutate(e.id)}
                data-testid="webhook-test"
              >
                {t('webhooks.sendTest')}
              </button>
              <button
                type="button"
                disabled={update.isPending}
                onClick={() => update.mutate({ id: e.id, active: !e.active })}
              >
                {e.active ? t('webhooks.disable') : t('webhooks.enable')}
              </button>
              <ConfirmButton
                label={t('webhooks.delete')}
                onConfirm={() => remove.mutate(e.id)}
                testId="webhook-delete"
              />
            </>
          )}
        </>
      ),
    },
  ];
  return (
    <>
      {write && <EndpointForm onCreated={refresh} />}
      <div className="card">
        <h2>{t('webhooks.endpoints')}</h2>
        <FormError error={update.error ?? remove.error ?? ping.error} />
        {ping.isSuccess && (
          <Notice testId="webhook-test-result" tone={ping.data.delivered ? 'success' : 'error'}>
            {ping.data.delivered ? t('webhooks.testDelivered') : t('webhooks.testNotDelivered')}
            {ping.data.responseStatus !== null && ` (HTTP ${ping.data.responseStatus})`}
            {ping.data.durationMs !== null && ` ${t('webhooks.inMs', { ms: ping.data.durationMs })}`}
            {ping.data.error && `: ${ping.data.error}`}
          </Notice>
        )}
        <PagedTable
          query={endpoints}
          emptyTestId="webhooks-empty"
          empty={t('webhooks.empty')}
          onCursor={setCursor}
          columns={columns}
          rowKey={(e) => e.id}
          testId="webhooks-table"
          rowTestId="webhook-row"
        />
        {open && <Deliveries endpointId={open} />}
      </div>
    </>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { t } = useTranslation();
  const { cursor, setCursor } = useCursor();
  const deliveries = useQuery({
    queryKey: [...webhooksKey, 'deliveries', endpointId, cursor],
    queryFn: () => api.listWebhookDeliveries(endpointId, { cursor, limit: 20 }),
    placeholderData: keepPreviousData,
  });
  return (
    <div data-testid="webhook-deliveries">
      <h3>{t('webhooks.deliveries')}</h3>
      <PagedTable
        query={deliveries}
        emptyTestId="webhook-deliveries-empty"
        empty={t('webhooks.nothingDelivered')}
        onCursor={setCursor}
        rowKey={(d) => d.id}
        rowTestId="webhook-delivery"
        columns={[
          { key: 'when', header: t('webhooks.colWhen'), render: (d) => formatDate(d.createdAt) },
          { key: 'event', header: t('webhooks.colEvent'), render: (d) => t(eventKey(d.eventType)) },
          { key: 'attempt', header: t('webhooks.colAttempt'), className: 'num', render: (d) => d.attempt },
          { key: 'status', header: t('webhooks.colOutcome'), render: (d) => t(`webhooks.outcomes.${d.status}`) },
          { key: 'http', header: t('webhooks.colHttp'), className: 'num', render: (d) => d.responseStatus ?? '—' },
          { key: 'ms', header: t('webhooks.colMs'), className: 'num', render: (d) => d.durationMs ?? '—' },
          {
            key: 'detail',
            header: t('webhooks.colDetail'),
            render: (d) =>
              d.error ?? (d.nextRetryAt ? t('webhooks.retryAt', { date: formatDate(d.nextRetryAt) }) : '—'),
          },
        ]}
      />
    </div>
  );
}

function Inbound({ write, logs }: { write: boolean; logs: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { cursor, setCursor } = useCursor();
  const [filters, setFilters] = useState({ source: '', status: '' });
  const inbound = useQuery({
    queryKey: [...webhooksKey, 'inbound', cursor, filters],
    queryFn: () =>
      api.listInboundWebhookDeliveries({
        cursor,
        limit: 20,
        source: (filters.source || undefined) as 'leads' | 'campaigns' | undefined,
        status: (filters.status || undefined) as 'accepted' | 'duplicate' | 'rejected' | undefined,
      }),
    placeholderData: keepPreviousData,
    enabled: logs,
  });
  const rotate = useMutation({
    mutationFn: () => api.rotateWebhookSigningSecret(),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: webhooksKey }),
  });
  return (
    <>
      <div className="card" data-testid="webhook-inbound">
        <h2>{t('webhooks.inboundTitle')}</h2>
        <p className="muted">{t('webhooks.inboundHelp')}</p>
        <FormError error={rotate.error} />
        {write && (
          <ConfirmButton
            label={t('webhooks.rotate')}
            question={t('webhooks.rotateQuestion')}
            confirmLabel={t('webhooks.rotateConfirm')}
            onConfirm={() => rotate.mutate()}
            testId="webhook-rotate"
          />
        )}
      </div>
      {rotate.isSuccess && (
        <OnceSecret
          secret={rotate.data.secret}
          label={`${t('webhooks.newSecret')}${
            rotate.data.previousValidUntil
              ? ` ${t('webhooks.previousUntil', { date: formatDate(rotate.data.previousValidUntil) })}`
              : ''
          }`}
          testId="webhook-rotated-secret"
        />
      )}
      {logs && (
        <div className="card">
          <h2>{t('webhooks.received')}</h2>
          <div className="filter-row">
            <SelectField
              label={t('webhooks.source')}
              name="source"
              options={[
                { value: 'leads', label: t('webhooks.sources.leads') },
                { value: 'campaigns', label: t('webhooks.sources.campaigns') },
              ]}
              placeholder={t('common.any')}
              value={filters.source}
              error={inbound.error}
              onChange={(e) => setFilters({ ...filters, source: e.target.value })}
            />
            <SelectField
              label={t('webhooks.outcome')}
              name="status"
              options={['accepted', 'duplicate', 'rejected'].map((s) => ({
                value: s,
                label: t(`webhooks.outcomes.${s}`),
              }))}
              placeholder={t('common.any')}
              value={filters.status}
              error={inbound.error}
              onChange={(e) => setFilters({ ...filters, status: e.target.value })}
            />
          </div>
          <PagedTable
            query={inbound}
            emptyTestId="webhook-inbound-empty"
            empty={t('webhooks.nothingReceived')}
            onCursor={setCursor}
            rowKey={(d) => d.id}
            columns={[
              { key: 'when', header: t('webhooks.colWhen'), render: (d) => <DateCell value={d.receivedAt} /> },
              { key: 'source', header: t('webhooks.source'), render: (d) => t(`webhooks.sources.${d.source}`) },
              { key: 'event', header: t('webhooks.colEventId'), render: (d) => d.eventId ?? '—' },
              { key: 'status', header: t('webhooks.colOutcome'), render: (d) => t(`webhooks.outcomes.${d.status}`) },
              { key: 'http', header: t('webhooks.colHttp'), className: 'num', render: (d) => d.httpStatus },
              { key: 'reason', header: t('webhooks.colReason'), render: (d) => d.reason ?? '—' },
            ]}
          />
        </div>
      )}
    </>
  );
}
