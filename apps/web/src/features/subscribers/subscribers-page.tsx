import { i18n } from '../../i18n';
import { PageBulkActions, useSelection } from '../bulk/bulk';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { CreateSubscriberDto, SubscriberDto, UpdateSubscriberDto } from '@crescendo/api-client';
import { api, type SubscriberQuery } from '../../api/endpoints';
import { useAuth } from '../../auth';
import {
  ConfirmButton,
  CreateToggle,
  DateCell,
  deleteColumn,
  Field,
  FilterBar,
  formatDate,
  formatMoney,
  FormError,
  fromMinor,
  humanize,
  ListEmpty,
  Notice,
  PagedTable,
  PageHeader,
  QueryView,
  SelectField,
  TextAreaField,
  toMinor,
  type Column,
  type Option,
  useDebounced,
  useListControls,
} from '../../components';
import { valuesOf } from '../../enums';
import { EarningsReport, RecordEarningForm, earningsKey } from '../earnings/earnings-page';

type Platform = SubscriberDto['platform'];
type SubscriberStatus = SubscriberDto['status'];
const PLATFORMS = valuesOf<Platform>()('onlyfans', 'fansly', 'patreon', 'fanvue', 'mym', 'other');
const STATUSES = valuesOf<SubscriberStatus>()('active', 'paused', 'expired', 'cancelled');
const platformLabel = (p: string) =>
  i18n.exists(`subscriber.platforms.${p}`) ? i18n.t(`subscriber.platforms.${p}`) : humanize(p);
const statusLabel = (s: string) =>
  i18n.exists(`subscriber.statuses.${s}`) ? i18n.t(`subscriber.statuses.${s}`) : humanize(s);
/** Labels read at render time, in the UI's language. */
const PLATFORM_OPTIONS: Option[] = PLATFORMS.map((p) => ({
  value: p,
  get label() {
    return platformLabel(p);
  },
}));
const STATUS_OPTIONS: Option[] = STATUSES.map((s) => ({
  value: s,
  get label() {
    return statusLabel(s);
  },
}));

export const subscribersKey = ['subscribers'] as const;
const subscriberKey = (id: string) => ['subscriber', id] as const;

export function SubscribersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const write = can('leads:write');
  const [creating, setCreating] = useState(false);
  const { filters, filter, filtered, cursor, setCursor, sort, setSort } = useListControls(
    { search: '', status: '', platform: '', tier: '' },
    { sortBy: 'subscribedSince', order: 'desc' },
  );
  const search = useDebounced(filters.search.trim(), 300);
  const tier = useDebounced(filters.tier.trim(), 300);
  const query: SubscriberQuery = {
    cursor,
    pageSize: 20,
    search: search || undefined,
    tier: tier || undefined,
    status: (filters.status || undefined) as SubscriberQuery['status'],
    platform: (filters.platform || undefined) as SubscriberQuery['platform'],
    sortBy: sort.sortBy as SubscriberQuery['sortBy'],
    order: sort.order,
  };
  const subscribers = useQuery({
    queryKey: [...subscribersKey, query],
    queryFn: () => api.listSubscribers(query),
    placeholderData: keepPreviousData,
  });
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: subscribersKey });
  const remove = useMutation({ mutationFn: (id: string) => api.deleteSubscriber(id), onSuccess: refresh });
  const selection = useSelection();
  // a selection belongs to the page and filters it was made on
  useEffect(() => selection.clear(), [JSON.stringify(query), selection.clear]);

  const columns: Column<SubscriberDto>[] = [
    {
      key: 'handle',
      header: t('subscribers.colSubscriber'),
      render: (s) => (
        <>
          <Link to={`/subscribers/${s.id}`} data-testid="subscriber-link">
            @{s.handle}
          </Link>
          {s.displayName && <div className="muted small">{s.displayName}</div>}
        </>
      ),
    },
    { key: 'platform', header: t('subscribers.colPlatform'), render: (s) => platformLabel(s.platform) },
    { key: 'tier', header: t('subscribers.colTier'), render: (s) => s.tier ?? '—' },
    {
      key: 'status',
      header: t('subscribers.colStatus'),
      render: (s) => <span className={`tag sub-${s.status}`}>{statusLabel(s.status)}</span>,
    },
    {
      key: 'price',
      header: t('subscribers.colMonthly'),
      sortBy: 'monthlyPrice',
      className: 'num',
      render: (s) => formatMoney(s.monthlyPrice, s.currency),
    },
    {
      key: 'spend',
      header: t('subscribers.colSpend'),
      sortBy: 'lifetimeSpend',
      className: 'num',
      render: (s) => <span data-testid="subscriber-spend">{formatMoney(s.lifetimeSpend, s.currency)}</span>,
    },
    { key: 'renewals', header: t('subscribers.colRenewals'), className: 'num', render: (s) => s.renewals },
    {
      key: 'since',
      header: t('subscribers.colSince'),
      sortBy: 'subscribedSince',
      render: (s) => <DateCell value={s.subscribedSince} />,
    },
    {
      key: 'lead',
      header: t('subscribers.colLead'),
      render: (s) => (s.leadId ? <Link to={`/leads/${s.leadId}`}>{t('subscribers.open')}</Link> : '—'),
    },
  ];
  if (write) {
    columns.push(
      deleteColumn({
        label: t('subscribers.delete'),
        disabled: remove.isPending,
        onConfirm: (s) => remove.mutate(s.id),
        testId: 'subscriber-delete',
      }),
    );
  }

  return (
    <section>
      <PageHeader title={t('subscribers.title')} subtitle={t('subscribers.subtitle')}>
        {write && (
          <CreateToggle
            open={creating}
            onToggle={setCreating}
            newLabel={t('subscribers.new')}
            closeLabel={t('subscribers.close')}
            testId="subscriber-new"
          />
        )}
      </PageHeader>
      {creating && write && <SubscriberForm onSaved={refresh} />}
      <div className="card filters">
        <FilterBar
          filters={filters}
          filter={filter}
          error={subscribers.error}
          fields={[
            {
              key: 'search',
              label: t('subscribers.search'),
              search: true,
              placeholder: t('subscribers.searchHint'),
              testId: 'subscriber-search',
            },
            { key: 'status', label: t('subscribers.status'), options: STATUS_OPTIONS, any: t('subscribers.anyStatus') },
            {
              key: 'platform',
              label: t('subscribers.platform'),
              options: PLATFORM_OPTIONS,
              any: t('subscribers.anyPlatform'),
            },
            { key: 'tier', label: t('subscribers.tier') },
          ]}
        />
      </div>
      {write && (
        <PageBulkActions
          selection={selection}
          statusOptions={STATUS_OPTIONS}
          setStatus={(id, status) => api.updateSubscriber(id, { status: status as SubscriberStatus })}
          remove={(id) => api.deleteSubscriber(id)}
          onDone={refresh}
        />
      )}
      <div className="card">
        <FormError error={remove.error} />
        <PagedTable
          query={subscribers}
          selection={write ? selection : undefined}
          rowLabel={(s) => `@${s.handle}`}
          emptyTestId="subscribers-empty"
          empty={
            <ListEmpty
              filtered={filtered}
              filteredText={t('subscribers.emptyFiltered')}
              emptyText={t('subscribers.empty')}
              action={write ? { label: t('subscribers.new'), onClick: () => setCreating(true) } : undefined}
            />
          }
          onCursor={setCursor}
          columns={columns}
          rowKey={(s) => s.id}
          sort={sort}
          onSort={setSort}
          testId="subscribers-table"
          rowTestId="subscriber-row"
        />
      </div>
    </section>
  );
}

interface SubscriberFormState {
  platform: Platform;
  handle: string;
  displayName: string;
  email: string;
  tier: string;
  monthlyPrice: string;
  currency: string;
  status: SubscriberStatus;
  notes: string;
}

const toForm = (s?: SubscriberDto): SubscriberFormState => ({
  platform: s?.platform ?? 'onlyfans',
  handle: s?.handle ?? '',
  displayName: s?.displayName ?? '',
  email: s?.email ?? '',
  tier: s?.tier ?? '',
  monthlyPrice: s ? fromMinor(s.monthlyPrice, s.currency) : '',
  currency: s?.currency ?? 'USD',
  status: s?.status ?? 'active',
  notes: s?.notes ?? '',
});

/** The body of a create (empty fields left out) or of an update (changed fields only, cleared → null). */
function toBody(form: SubscriberFormState, current?: SubscriberDto): CreateSubscriberDto | UpdateSubscriberDto {
  const text = (value: string) => value.trim() || (current ? null : undefined);
  const body: CreateSubscriberDto = {
    platform: form.platform,
    handle: form.handle,
    displayName: text(form.displayName),
    email: text(form.email),
    tier: text(form.tier),
    currency: form.currency,
    status: form.status,
    notes: text(form.notes),
    monthlyPrice: form.monthlyPrice.trim() ? toMinor(form.monthlyPrice, form.currency) : current ? 0 : undefined,
  };
  if (!current) return body;
  return Object.fromEntries(
    Object.entries(body).filter(([key, value]) => value !== (current[key as keyof SubscriberDto] ?? null)),
  ) as UpdateSubscriberDto;
}

function SubscriberForm({ subscriber, onSaved }: { subscriber?: SubscriberDto; onSaved: (s: SubscriberDto) => void }) {
  const { t } = useTranslation();
  const form = useForm({ initialValues: toForm(subscriber) });
  const save = useMutation({
    // the form shows its own notice
    meta: { toast: false },
    mutationFn: (values: SubscriberFormState) =>
      subscriber
        ? api.updateSubscriber(subscriber.id, toBody(values, subscriber))
        : api.createSubscriber(toBody(values) as CreateSubscriberDto),
    onSuccess: (saved) => {
      form.setValues(toForm(subscriber && saved));
      onSaved(saved);
    },
  });
  const text = (key: keyof SubscriberFormState, label: string, type = 'text') => (
    <Field
      label={label}
      name={key}
      type={type}
      data-testid={`subscriber-${key}`}
      value={form.values[key]}
      error={save.error}
      onChange={(e) => form.setFieldValue(key, e.target.value)}
    />
  );
  return (
    <form
      className="card"
      onSubmit={form.onSubmit((values) => save.mutate(values))}
      noValidate
      data-testid="subscriber-form"
    >
      <h2>{subscriber ? t('subscriber.details') : t('subscriber.newTitle')}</h2>
      <FormError error={save.error} testId="subscriber-form-error" />
      {save.isSuccess && (
        <Notice testId="subscriber-saved">
          {subscriber ? t('subscriber.saved') : t('subscriber.added', { handle: save.data.handle })}
        </Notice>
      )}
      <div className="grid">
        <SelectField
          label={t('subscriber.platform')}
          name="platform"
          data-testid="subscriber-platform"
          options={PLATFORM_OPTIONS}
          value={form.values.platform}
          error={save.error}
          onChange={(e) => form.setFieldValue('platform', e.target.value as Platform)}
        />
        {text('handle', t('subscriber.handle'))}
        {text('displayName', t('subscriber.displayName'))}
        {text('email', t('subscriber.email'), 'email')}
        {text('tier', t('subscriber.tier'))}
        {text('monthlyPrice', t('subscriber.monthlyPrice'))}
        {text('currency', t('subscriber.currency'))}
        <SelectField
          label={t('subscriber.status')}
          name="status"
          data-testid="subscriber-status"
          options={STATUS_OPTIONS}
          value={form.values.status}
          error={save.error}
          onChange={(e) => form.setFieldValue('status', e.target.value as SubscriberStatus)}
        />
      </div>
      {subscriber && (
        <TextAreaField
          label={t('subscriber.notes')}
          name="notes"
          rows={2}
          value={form.values.notes}
          error={save.error}
          onChange={(e) => form.setFieldValue('notes', e.target.value)}
        />
      )}
      <button className="primary" type="submit" disabled={save.isPending} data-testid="subscriber-submit">
        {save.isPending ? t('subscriber.saving') : subscriber ? t('subscriber.save') : t('subscriber.add')}
      </button>
    </form>
  );
}

export function SubscriberDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const subscriber = useQuery({ queryKey: subscriberKey(id), queryFn: () => api.getSubscriber(id) });
  const remove = useMutation({
    meta: { toast: 'toast.deleted' },
    mutationFn: () => api.deleteSubscriber(id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: subscribersKey });
      navigate('/subscribers');
    },
  });
  const saved = (s: SubscriberDto) => {
    queryClient.setQueryData(subscriberKey(id), s);
    void queryClient.invalidateQueries({ queryKey: subscribersKey });
  };
  return (
    <section>
      <p>
        <Link to="/subscribers">{t('subscriber.back')}</Link>
      </p>
      <QueryView query={subscriber}>
        {(s) => (
          <>
            <header className="page-header split">
              <div>
                <h1 data-testid="subscriber-title">
                  @{s.handle} <span className={`tag sub-${s.status}`}>{statusLabel(s.status)}</span>
                </h1>
                <p className="muted">
                  {t('subscriber.summary', {
                    platform: platformLabel(s.platform),
                    since: formatDate(s.subscribedSince),
                  })}{' '}
                  <strong data-testid="subscriber-lifetime">{formatMoney(s.lifetimeSpend, s.currency)}</strong> ·{' '}
                  {t('subscriber.renewals', { count: s.renewals })}
                  {s.leadId && (
                    <>
                      {' '}
                      · <Link to={`/leads/${s.leadId}`}>{t('subscriber.theLead')}</Link>
                    </>
                  )}
                </p>
              </div>
              {can('leads:write') && (
                <ConfirmButton
                  label={t('subscriber.delete')}
                  onConfirm={() => remove.mutate()}
                  testId="subscriber-detail-delete"
                />
              )}
            </header>
            <FormError error={remove.error} />
            {can('leads:write') ? <SubscriberForm subscriber={s} onSaved={saved} /> : null}
            {can('leads:write') && (
              <RecordEarningForm
                subscriber={s}
                onSaved={() => {
                  void queryClient.invalidateQueries({ queryKey: subscriberKey(id) });
                  void queryClient.invalidateQueries({ queryKey: earningsKey });
                }}
              />
            )}
            <EarningsReport subscriberId={s.id} />
          </>
        )}
      </QueryView>
    </section>
  );
}
