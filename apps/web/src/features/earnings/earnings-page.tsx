import { i18n } from '../../i18n';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { EarningDto } from '@crescendo/api-client';
import { api, type EarningsQuery } from '../../api/endpoints';
import { useAuth } from '../../auth';
import { DateField } from '../../ui/date-field';
import { LineChart } from '../../charts';
import {
  DataTable,
  DateCell,
  CursorPager,
  QueryView,
  SelectField,
  formatMoney,
  minorDigits,
  useCursor,
} from '../../components';

import { TYPES, typeLabel } from './earning-types';
import { RecordEarningForm } from './record-earning-form';

export { RecordEarningForm };

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
      <h2>{i18n.t('earnings.report')}</h2>
      <div className="filter-row">
        <DateField
          label={i18n.t('earnings.from')}
          name="from"
          value={range.from}
          error={report.error}
          onChange={(from) => change({ from })}
          hint={i18n.t('earnings.fromHint')}
        />
        <DateField
          label={i18n.t('earnings.to')}
          name="to"
          value={range.to}
          error={report.error}
          onChange={(to) => change({ to })}
          hint={i18n.t('earnings.toHint')}
        />
        <SelectField
          label={i18n.t('earnings.groupBy')}
          name="period"
          options={['day', 'week', 'month'].map((p) => ({ value: p, label: i18n.t(`earnings.periods.${p}`) }))}
          value={range.period}
          error={report.error}
          onChange={(e) => change({ period: e.target.value as EarningsQuery['period'] })}
        />
        <SelectField
          label={i18n.t('earnings.currency')}
          name="currency"
          options={(report.data?.currencies ?? []).map((c) => ({ value: c, label: c }))}
          placeholder={i18n.t('earnings.mostUsed')}
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
                <dt>{i18n.t('earnings.net')}</dt>
                <dd data-testid="earnings-net">{formatMoney(data.totals.net, data.currency)}</dd>
              </div>
              <div>
                <dt>{i18n.t('earnings.gross')}</dt>
                <dd>{formatMoney(data.totals.gross, data.currency)}</dd>
              </div>
              <div>
                <dt>{i18n.t('earnings.refunds')}</dt>
                <dd>{formatMoney(data.totals.refunds, data.currency)}</dd>
              </div>
              <div>
                <dt>{i18n.t('earnings.entries')}</dt>
                <dd>{data.totals.count}</dd>
              </div>
            </dl>
            <div className="columns">
              <LineChart
                title={i18n.t('earnings.netBy', { period: i18n.t(`earnings.periods.${data.period}`).toLowerCase() })}
                testId="earnings-chart"
                labels={data.totals.byPeriod.map((p) => p.period.slice(5))}
                series={[
                  {
                    name: i18n.t('earnings.netIn', { currency: data.currency ?? '—' }),
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
                  { key: 'type', header: i18n.t('earnings.colType'), render: (r) => typeLabel(r.type) },
                  { key: 'count', header: i18n.t('earnings.colEntries'), className: 'num', render: (r) => r.count },
                  {
                    key: 'amount',
                    header: i18n.t('earnings.colAmount'),
                    className: 'num',
                    render: (r) => formatMoney(r.amount, data.currency),
                  },
                ]}
              />
            </div>
            <h3>{i18n.t('earnings.entries')}</h3>
            {data.entries.length === 0 ? (
              <p className="empty" data-testid="earnings-empty">
                {i18n.t('earnings.noEntry', {
                  from: new Date(data.from).toLocaleDateString(i18n.language),
                  to: new Date(data.to).toLocaleDateString(i18n.language),
                })}
              </p>
            ) : (
              <>
                <DataTable
                  testId="earnings-entries"
                  rowTestId="earning-row"
                  rowKey={(e) => e.id}
                  rows={data.entries}
                  columns={[
                    {
                      key: 'when',
                      header: i18n.t('earnings.colWhen'),
                      render: (e) => <DateCell value={e.occurredAt} />,
                    },
                    { key: 'type', header: i18n.t('earnings.colType'), render: (e) => typeLabel(e.type) },
                    {
                      key: 'amount',
                      header: i18n.t('earnings.colAmount'),
                      className: 'num',
                      render: (e) => formatMoney(e.amount, e.currency),
                    },
                    {
                      key: 'description',
                      header: i18n.t('earnings.colDescription'),
                      render: (e) => e.description ?? '—',
                    },
                    ...(subscriberId
                      ? []
                      : [
                          {
                            key: 'subscriber',
                            header: i18n.t('earnings.colSubscriber'),
                            render: (e: EarningDto) =>
                              e.subscriberId ? (
                                <Link to={`/subscribers/${e.subscriberId}`}>{i18n.t('earnings.open')}</Link>
                              ) : (
                                '—'
                              ),
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
