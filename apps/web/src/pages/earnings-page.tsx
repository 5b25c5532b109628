import { useTranslation } from 'react-i18next';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { CreateEarningDto, EarningDto, SubscriberDto } from '@crescendo/api-client';
import { api, type EarningsQuery } from '../api/endpoints';
import { useAuth } from '../auth';
import { valuesOf } from '../enums';
import { LineChart } from '../charts';
import {
  DataTable,
  DateCell,
  Field,
  FormError,
  Notice,
  CursorPager,
  QueryView,
  SelectField,
  formatMoney,
  humanize,
  minorDigits,
  toMinor,
  type Option,
  useCursor,
} from '../components';

type EarningType = EarningDto['type'];
const TYPES = valuesOf<EarningType>()('subscription', 'tip', 'message', 'pay_per_view', 'other', 'refund');
const TYPE_OPTIONS: Option[] = TYPES.map((t) => ({ value: t, label: humanize(t) }));

export const earningsKey = ['earnings'] as const;

/** yyyy-mm-dd (local) → ISO 8601 at local midnight, `days` later. */
const dayStart = (day: string, days = 0) => {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + days);
  return date.toISOString();
};

export function EarningsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  return (
    <section>
      <header className="page-header">
        <h1>{t('pages.earningsTitle')}</h1>
        <p className="muted">{t('pages.earningsSubtitle')}</p>
      </header>
      {can('leads:write') && (
        <RecordEarningForm onSaved={() => void queryClient.invalidateQueries({ queryKey: earningsKey })} />
      )}
      <EarningsReport />
    </section>
  );
}

/** The earnings of a range (of one subscriber when given): totals, a chart by period, the entries. */
export function EarningsReport({ subscriberId }: { subscriberId?: string }) {
  const [range, setRange] = useState({ from: '', to: '', period: 'day' as EarningsQuery['period'], currency: '' });
  const { cursor, setCursor } = useCursor();
  const query: EarningsQuery = {
    cursor,
    pageSize: 20,
    period: range.period,
    from: range.from ? dayStart(range.from) : undefined,
    to: range.to ? dayStart(range.to, 1) : undefined,
    currency: range.currency || undefined,
    subscriberId,
  };
  const report = useQuery({
    queryKey: [...earningsKey, query],
    queryFn: () => api.getEarnings(query),
    placeholderData: keepPreviousData,
  });
  const change = (changes: Partial<typeof range>) => {
    setRange({ ...range, ...changes });
    setCursor(null);
  };
  return (
    <div className="card" data-testid="earnings-report">
      <h2>Report</h2>
      <div className="filter-row">
        <Field
          label="From"
          name="from"
          type="date"
          value={range.from}
          error={report.error}
          onChange={(e) => change({ from: e.target.value })}
          hint="Default: 30 days before the end"
        />
        <Field
          label="To"
          name="to"
          type="date"
          value={range.to}
          error={report.error}
          onChange={(e) => change({ to: e.target.value })}
          hint="Included; default: today"
        />
        <SelectField
          label="Group by"
          name="period"
          options={['day', 'week', 'month'].map((p) => ({ value: p, label: humanize(p) }))}
          value={range.period}
          error={report.error}
          onChange={(e) => change({ period: e.target.value as EarningsQuery['period'] })}
        />
        <SelectField
          label="Currency"
          name="currency"
          options={(report.data?.currencies ?? []).map((c) => ({ value: c, label: c }))}
          placeholder="Most used"
          value={range.currency}
          error={report.error}
          onChange={(e) => change({ currency: e.target.value })}
        />
      </div>
      <QueryView query={report}>
        {(data) => (
          <>
            <dl className="kpis">
              <div>
                <dt>Net</dt>
                <dd data-testid="earnings-net">{formatMoney(data.totals.net, data.currency)}</dd>
              </div>
              <div>
                <dt>Gross</dt>
                <dd>{formatMoney(data.totals.gross, data.currency)}</dd>
              </div>
              <div>
                <dt>Refunds</dt>
                <dd>{formatMoney(data.totals.refunds, data.currency)}</dd>
              </div>
              <div>
                <dt>Entries</dt>
                <dd>{data.totals.count}</dd>
              </div>
            </dl>
            <div className="columns">
              <LineChart
                title={`Net earnings by ${data.period}`}
                testId="earnings-chart"
                labels={data.totals.byPeriod.map((p) => p.period.slice(5))}
                series={[
                  {
                    name: `Net (${data.currency ?? '—'})`,
                    points: data.totals.byPeriod.map(
                      (p) => p.amount / 10 ** (data.currency ? minorDigits(data.currency) : 0),
                    ),
                  },
                ]}
              />
              <DataTable
                testId="earnings-by-type"
                rowKey={(row) => row.type}
                rows={TYPES.map((type) => ({ type, ...data.totals.byType[type] }))}
                columns={[
                  { key: 'type', header: 'Type', render: (r) => humanize(r.type) },
                  { key: 'count', header: 'Entries', className: 'num', render: (r) => r.count },
                  {
                    key: 'amount',
                    header: 'Amount',
                    className: 'num',
                    render: (r) => formatMoney(r.amount, data.currency),
                  },
                ]}
              />
            </div>
            <h3>Entries</h3>
            {data.entries.length === 0 ? (
              <p className="empty" data-testid="earnings-empty">
                No entry between {new Date(data.from).toLocaleDateString()} and {new Date(data.to).toLocaleDateString()}
                .
              </p>
            ) : (
              <>
                <DataTable
                  testId="earnings-entries"
                  rowTestId="earning-row"
                  rowKey={(e) => e.id}
                  rows={data.entries}
                  columns={[
                    { key: 'when', header: 'When', render: (e) => <DateCell value={e.occurredAt} /> },
                    { key: 'type', header: 'Type', render: (e) => humanize(e.type) },
                    {
                      key: 'amount',
                      header: 'Amount',
                      className: 'num',
                      render: (e) => formatMoney(e.amount, e.currency),
                    },
                    { key: 'description', header: 'Description', render: (e) => e.description ?? '—' },
                    ...(subscriberId
                      ? []
                      : [
                          {
                            key: 'subscriber',
                            header: 'Subscriber',
                            render: (e: EarningDto) =>
                              e.subscriberId ? <Link to={`/subscribers/${e.subscriberId}`}>open</Link> : '—',
                          },
                        ]),
                  ]}
                />
                <CursorPager meta={data.pagination} onCursor={setCursor} />
              </>
            )}
          </>
        )}
      </QueryView>
    </div>
  );
}

/** Records an earning; a refund's amount is entered positive and sent negative, as the API wants. */
export function RecordEarningForm({ subscriber, onSaved }: { subscriber?: SubscriberDto; onSaved: () => void }) {
  const blank = {
    type: 'subscription' as EarningType,
    amount: '',
    currency: subscriber?.currency ?? 'USD',
    subscriberId: subscriber?.id ?? '',
    occurredAt: '',
    description: '',
    externalId: '',
  };
  const [form, setForm] = useState(blank);
  const subscribers = useQuery({
    queryKey: ['subscribers', 'options'],
    queryFn: () => api.listSubscribers({ pageSize: 100, sortBy: 'subscribedSince', order: 'desc' }),
    enabled: !subscriber,
    staleTime: 60_000,
  });
  const record = useMutation({
    mutationFn: () => {
      const minor = toMinor(form.amount, form.currency);
      const body: CreateEarningDto = {
        type: form.type,
        amount: form.type === 'refund' ? -Math.abs(minor) : minor,
        currency: form.currency.trim() || undefined,
        subscriberId: form.subscriberId || undefined,
        occurredAt: form.occurredAt ? new Date(form.occurredAt).toISOString() : undefined,
        description: form.description.trim() || undefined,
        externalId: form.externalId.trim() || undefined,
      };
      return api.recordEarning(body);
    },
    onSuccess: () => {
      setForm(blank);
      onSaved();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate();
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="earning-form">
      <h2>Record an earning</h2>
      <FormError error={record.error} testId="earning-form-error" />
      {record.isSuccess && (
        <Notice testId="earning-saved">{formatMoney(record.data.amount, record.data.currency)} recorded.</Notice>
      )}
      <div className="grid">
        <SelectField
          label="Type"
          name="type"
          data-testid="earning-type"
          options={TYPE_OPTIONS}
          value={form.type}
          error={record.error}
          onChange={set('type')}
        />
        <Field
          label="Amount"
          name="amount"
          data-testid="earning-amount"
          placeholder="9.99"
          value={form.amount}
          error={record.error}
          onChange={set('amount')}
          hint={form.type === 'refund' ? 'Recorded as a negative amount' : undefined}
        />
        <Field
          label="Currency"
          name="currency"
          data-testid="earning-currency"
          value={form.currency}
          error={record.error}
          onChange={set('currency')}
        />
        {!subscriber && (
          <SelectField
            label="Subscriber"
            name="subscriberId"
            data-testid="earning-subscriber"
            options={(subscribers.data?.data ?? []).map((s) => ({ value: s.id, label: `@${s.handle}` }))}
            placeholder="None"
            value={form.subscriberId}
            error={record.error}
            onChange={set('subscriberId')}
          />
        )}
        <Field
          label="When"
          name="occurredAt"
          type="datetime-local"
          value={form.occurredAt}
          error={record.error}
          onChange={set('occurredAt')}
          hint="Default: now"
        />
        <Field
          label="Description"
          name="description"
          value={form.description}
          error={record.error}
          onChange={set('description')}
        />
        <Field
          label="External id"
          name="externalId"
          value={form.externalId}
          error={record.error}
          onChange={set('externalId')}
          hint="Id in the source system: a repeat is not counted twice"
        />
      </div>
      <button className="primary" type="submit" disabled={record.isPending} data-testid="earning-submit">
        {record.isPending ? 'Recording…' : 'Record'}
      </button>
    </form>
  );
}
