import { useTranslation } from 'react-i18next';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CreateWebhookEndpointDto, WebhookEndpointResponseDto } from '@crescendo/api-client';
import { api } from '../api/endpoints';
import { useAuth } from '../auth';
import {
  ConfirmButton,
  DateCell,
  Field,
  FieldMessage,
  FormError,
  Notice,
  PagedTable,
  SelectField,
  formatDate,
  humanize,
  type Column,
  useCursor,
} from '../components';
import { valuesOf } from '../enums';

type EventChoice = CreateWebhookEndpointDto['events'][number];
const EVENTS = valuesOf<EventChoice>()(
  '*',
  'lead.created',
  'lead.updated',
  'lead.status_changed',
  'lead.tag_added',
  'lead.deleted',
  'campaign.status_changed',
  'import.completed',
  'webhook.received',
);

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

/** A secret shown once, with a copy button. */
function OnceSecret({ secret, label, testId }: { secret: string; label: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="card secret">
      <p>
        <strong>{label}</strong> It is shown this once: store it where the receiver checks signatures.
      </p>
      <div className="secret-row">
        <code data-testid={testId}>{secret}</code>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}

function Endpoints({ write }: { write: boolean }) {
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
      header: 'URL',
      render: (e) => (
        <>
          <code className="wrap">{e.url}</code>
          {e.description && <div className="muted small">{e.description}</div>}
        </>
      ),
    },
    { key: 'events', header: 'Events', render: (e) => e.events.join(', ') },
    {
      key: 'active',
      header: 'State',
      render: (e) => (
        <>
          <span className={`tag ${e.active ? 'status-active' : 'status-inactive'}`} data-testid="webhook-state">
            {e.active ? 'Active' : 'Disabled'}
          </span>
          {e.disabledReason && <div className="muted small">{e.disabledReason}</div>}
          {e.consecutiveFailures > 0 && <div className="muted small">{e.consecutiveFailures} failures in a row</div>}
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
            Deliveries
          </button>
          {write && (
            <>
              <button
                type="button"
                disabled={ping.isPending}
                onClick={() => ping.mutate(e.id)}
                data-testid="webhook-test"
              >
                Send a test
              </button>
              <button
                type="button"
                disabled={update.isPending}
                onClick={() => update.mutate({ id: e.id, active: !e.active })}
              >
                {e.active ? 'Disable' : 'Enable'}
              </button>
              <ConfirmButton label="Delete" onConfirm={() => remove.mutate(e.id)} testId="webhook-delete" />
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
        <h2>Endpoints</h2>
        <FormError error={update.error ?? remove.error ?? ping.error} />
        {ping.isSuccess && (
          <Notice testId="webhook-test-result" tone={ping.data.delivered ? 'success' : 'error'}>
            Test {ping.data.delivered ? 'delivered' : 'not delivered'}
            {ping.data.responseStatus !== null && ` (HTTP ${ping.data.responseStatus})`}
            {ping.data.durationMs !== null && ` in ${ping.data.durationMs} ms`}
            {ping.data.error && `: ${ping.data.error}`}
          </Notice>
        )}
        <PagedTable
          query={endpoints}
          emptyTestId="webhooks-empty"
          empty="No endpoint yet."
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

function EndpointForm({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState({ url: '', description: '', events: ['lead.created'] as EventChoice[] });
  const create = useMutation({
    mutationFn: () =>
      api.createWebhookEndpoint({ url: form.url, events: form.events, description: form.description.trim() || null }),
    onSuccess: () => {
      setForm({ url: '', description: '', events: ['lead.created'] });
      onCreated();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const toggle = (event: EventChoice) =>
    setForm({
      ...form,
      events: form.events.includes(event) ? form.events.filter((e) => e !== event) : [...form.events, event],
    });
  return (
    <>
      {create.isSuccess && (
        <OnceSecret secret={create.data.secret} label="The endpoint’s signing secret." testId="webhook-secret" />
      )}
      <form className="card" onSubmit={submit} noValidate data-testid="webhook-form">
        <h2>Add an endpoint</h2>
        <FormError error={create.error} testId="webhook-form-error" />
        <div className="row">
          <Field
            label="URL"
            name="url"
            type="url"
            placeholder="https://hooks.example.com/crescendo"
            data-testid="webhook-url"
            value={form.url}
            error={create.error}
            onChange={(e) => setForm({ ...form, url: e.target.value })}
          />
          <Field
            label="Description"
            name="description"
            value={form.description}
            error={create.error}
            onChange={(e) => setForm({ ...form, description: e.target.value })}
          />
        </div>
        <fieldset className="scopes">
          <legend>Events</legend>
          <div className="tags">
            {EVENTS.map((event) => (
              <label key={event} className="check">
                <input
                  type="checkbox"
                  checked={form.events.includes(event)}
                  onChange={() => toggle(event)}
                  data-testid={`webhook-event-${event}`}
                />
                {event === '*' ? 'Every event' : event}
              </label>
            ))}
          </div>
          <FieldMessage name="events" error={create.error} />
        </fieldset>
        <button className="primary" type="submit" disabled={create.isPending} data-testid="webhook-submit">
          {create.isPending ? 'Adding…' : 'Add endpoint'}
        </button>
      </form>
    </>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { cursor, setCursor } = useCursor();
  const deliveries = useQuery({
    queryKey: [...webhooksKey, 'deliveries', endpointId, cursor],
    queryFn: () => api.listWebhookDeliveries(endpointId, { cursor, limit: 20 }),
    placeholderData: keepPreviousData,
  });
  return (
    <div data-testid="webhook-deliveries">
      <h3>Deliveries</h3>
      <PagedTable
        query={deliveries}
        emptyTestId="webhook-deliveries-empty"
        empty="Nothing delivered yet."
        onCursor={setCursor}
        rowKey={(d) => d.id}
        rowTestId="webhook-delivery"
        columns={[
          { key: 'when', header: 'When', render: (d) => formatDate(d.createdAt) },
          { key: 'event', header: 'Event', render: (d) => d.eventType },
          { key: 'attempt', header: 'Attempt', className: 'num', render: (d) => d.attempt },
          { key: 'status', header: 'Outcome', render: (d) => humanize(d.status) },
          { key: 'http', header: 'HTTP', className: 'num', render: (d) => d.responseStatus ?? '—' },
          { key: 'ms', header: 'ms', className: 'num', render: (d) => d.durationMs ?? '—' },
          {
            key: 'detail',
            header: 'Detail',
            render: (d) => d.error ?? (d.nextRetryAt ? `retry ${formatDate(d.nextRetryAt)}` : '—'),
          },
        ]}
      />
    </div>
  );
}

function Inbound({ write, logs }: { write: boolean; logs: boolean }) {
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
        <h2>Incoming webhooks</h2>
        <p className="muted">
          POST /api/webhooks/leads and /api/webhooks/campaigns, signed with the workspace secret (header
          x-crescendo-signature).
        </p>
        <FormError error={rotate.error} />
        {write && (
          <ConfirmButton
            label="Rotate the signing secret"
            question="Senders must switch to the new secret within 24 hours. Rotate?"
            confirmLabel="Rotate"
            onConfirm={() => rotate.mutate()}
            testId="webhook-rotate"
          />
        )}
      </div>
      {rotate.isSuccess && (
        <OnceSecret
          secret={rotate.data.secret}
          label={`New signing secret.${
            rotate.data.previousValidUntil
              ? ` The previous one works until ${formatDate(rotate.data.previousValidUntil)}.`
              : ''
          }`}
          testId="webhook-rotated-secret"
        />
      )}
      {logs && (
        <div className="card">
          <h2>Received</h2>
          <div className="filter-row">
            <SelectField
              label="Source"
              name="source"
              options={[
                { value: 'leads', label: 'Leads' },
                { value: 'campaigns', label: 'Campaigns' },
              ]}
              placeholder="Any"
              value={filters.source}
              error={inbound.error}
              onChange={(e) => setFilters({ ...filters, source: e.target.value })}
            />
            <SelectField
              label="Outcome"
              name="status"
              options={['accepted', 'duplicate', 'rejected'].map((s) => ({ value: s, label: humanize(s) }))}
              placeholder="Any"
              value={filters.status}
              error={inbound.error}
              onChange={(e) => setFilters({ ...filters, status: e.target.value })}
            />
          </div>
          <PagedTable
            query={inbound}
            emptyTestId="webhook-inbound-empty"
            empty="Nothing received yet."
            onCursor={setCursor}
            rowKey={(d) => d.id}
            columns={[
              { key: 'when', header: 'When', render: (d) => <DateCell value={d.receivedAt} /> },
              { key: 'source', header: 'Source', render: (d) => humanize(d.source) },
              { key: 'event', header: 'Event id', render: (d) => d.eventId ?? '—' },
              { key: 'status', header: 'Outcome', render: (d) => humanize(d.status) },
              { key: 'http', header: 'HTTP', className: 'num', render: (d) => d.httpStatus },
              { key: 'reason', header: 'Reason', render: (d) => d.reason ?? '—' },
            ]}
          />
        </div>
      )}
    </>
  );
}
