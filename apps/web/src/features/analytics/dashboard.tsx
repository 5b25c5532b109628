import { BarChart, DonutChart, FunnelChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import {
  Badge,
  Card,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { DatePickerInput, type DatesRangeValue } from '@mantine/dates';
import '@mantine/dates/styles.css';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { aiApi } from '../../api/ai-endpoints';
import { analyticsApi, type RangeQuery } from '../../api/analytics-endpoints';
import { formatMoney, formatNumber, formatPercent, useScrollFocus } from '../../components';
import { statusLabel } from '../../crm';

type Preset = '7d' | '30d' | '90d' | '1y';
type Model = 'first_touch' | 'last_touch' | 'linear';
interface Metric {
  current: number | null;
  previous: number | null;
  changePercent: number | null;
}

const PALETTE = ['violet.6', 'teal.6', 'orange.6', 'blue.6', 'pink.6', 'lime.7', 'cyan.6', 'grape.6', 'yellow.7'];
const toDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/**
 * The analytics dashboard: KPI tiles with the change against the previous equal period, the lead funnel,
 * revenue over time by source, campaign performance, niches, AI spend and revenue attribution, for a preset
 * period or a picked range of days (workspace time zone).
 */
export function Dashboard() {
  const { t } = useTranslation();
  const attributionScroll = useScrollFocus<HTMLDivElement>();
  // AI costs are in US dollars, written the UI language's way ("0,00 $US" in French)
  const usd = (dollars: number) => formatMoney(Math.round(dollars * 100), 'USD');
  const [preset, setPreset] = useState<Preset>('30d');
  const [range, setRange] = useState<DatesRangeValue>([null, null]);
  const [model, setModel] = useState<Model>('linear');
  const [from, to] = range;
  const query: RangeQuery =
    from && to ? { startDate: toDay(new Date(from)), endDate: toDay(new Date(to)) } : { period: preset };
  const key = JSON.stringify(query);
  const overview = useQuery({ queryKey: ['stats', 'overview', key], queryFn: () => analyticsApi.overview(query) });
  const conversion = useQuery({
    queryKey: ['stats', 'conversion', key],
    queryFn: () => analyticsApi.conversion(query),
  });
  const revenue = useQuery({ queryKey: ['analytics', 'revenue', key], queryFn: () => analyticsApi.revenue(query) });
  const campaigns = useQuery({ queryKey: ['stats', 'campaigns', key], queryFn: () => analyticsApi.campaigns(query) });
  const niches = useQuery({ queryKey: ['stats', 'niches', key], queryFn: () => analyticsApi.niches(query) });
  const attribution = useQuery({
    queryKey: ['analytics', 'attribution', key, model],
    queryFn: () => analyticsApi.attribution(query, model),
  });
  const period = overview.data?.period;
  const ai = useQuery({
    queryKey: ['ai', 'usage', 'dashboard', period?.from, period?.to],
    // The usage ledger takes instants: the period's days from midnight UTC (a few hours' shift at most).
    queryFn: () =>
      aiApi.usage({ from: `${period!.from}T00:00:00.000Z`, to: new Date(`${period!.to}T00:00:00.000Z`).toISOString() }),
    enabled: Boolean(period),
  });
  const currency = overview.data?.currency ?? revenue.data?.currency ?? 'EUR';
  const money = (minor: number | null) => formatMoney(minor, currency);

  const sources = Object.keys(revenue.data?.revenueBySource ?? {});
  // One row per day, one column per source (revenueBySourceByDay: per source, a number per day of revenueByDay).
  const revenueSeries = (revenue.data?.revenueByDay ?? []).map((day, i) => ({
    date: day.date,
    ...Object.fromEntries(sources.map((s) => [s, (revenue.data?.revenueBySourceByDay[s]?.[i] ?? 0) / 100])),
  }));
  const topCampaigns = [...(campaigns.data?.campaigns ?? [])]
    .filter((c) => c.enrolled > 0)
    .sort((a, b) => b.enrolled - a.enrolled)
    .slice(0, 8);
  const funnelColors = ['violet.7', 'violet.5', 'violet.4', 'teal.6'];

  return (
    <Stack gap="lg" data-testid="dashboard">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <SegmentedControl
          value={from && to ? '' : preset}
          onChange={(value) => {
            setPreset(value as Preset);
            setRange([null, null]);
          }}
          data={(['7d', '30d', '90d', '1y'] as const).map((value) => ({
            value,
            label: t(`dashboard.preset.${value}`),
          }))}
          aria-label={t('dashboard.period')}
          data-testid="dashboard-preset"
        />
        <DatePickerInput
          type="range"
          label={t('dashboard.range')}
          placeholder={t('dashboard.rangePlaceholder')}
          value={range}
          onChange={setRange}
          clearable
          maxDate={new Date()}
          miw={240}
          data-testid="dashboard-range"
        />
      </Group>
      {period && (
        <Text size="sm" className="muted" data-testid="dashboard-period">
          {t('dashboard.periodLine', {
            from: period.from,
            to: period.to,
            previousFrom: period.previousFrom,
            previousTo: period.previousTo,
            timeZone: period.timeZone,
          })}
        </Text>
      )}

      <SimpleGrid cols={{ base: 2, sm: 3, xl: 6 }} data-testid="dashboard-kpis">
        <Kpi
          label={t('dashboard.kpi.newLeads')}
          metric={overview.data?.leads.new}
          format={formatNumber}
          testId="kpi-leads"
        />
        <Kpi
          label={t('dashboard.kpi.conversionRate')}
          metric={overview.data?.leads.conversionRate}
          format={formatPercent}
          testId="kpi-conversion"
        />
        <Kpi label={t('dashboard.kpi.revenue')} metric={overview.data?.revenue} format={money} testId="kpi-revenue" />
        <Kpi
          label={t('dashboard.kpi.enrollments')}
          metric={overview.data?.campaigns.enrollments}
          format={formatNumber}
          testId="kpi-enrollments"
        />
        <Kpi
          label={t('dashboard.kpi.newSubscribers')}
          metric={overview.data?.subscribers.new}
          format={formatNumber}
          testId="kpi-subscribers"
        />
        <Kpi
          label={t('dashboard.kpi.aiCost')}
          metric={overview.data?.aiCostUsd}
          format={(v) => formatMoney(v === null ? null : Math.round(v * 100), 'USD')}
          invert
          testId="kpi-ai"
        />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Panel title={t('dashboard.funnel')} testId="chart-funnel" ready={conversion.isSuccess}>
          {/* the chart's shapes have no text of their own: the figure is named by its stages and counts */}
          <div
            role="img"
            aria-label={[
              t('dashboard.funnel'),
              ...(conversion.data?.leadFunnel ?? []).map(
                (stage) => `${statusLabel(stage.stage)}: ${formatNumber(stage.count)}`,
              ),
            ].join(', ')}
          >
            <div aria-hidden="true">
              <FunnelChart
                data={(conversion.data?.leadFunnel ?? []).map((stage, i) => ({
                  name: statusLabel(stage.stage),
                  value: stage.count,
                  color: funnelColors[i % funnelColors.length],
                }))}
                size={220}
                withTooltip
                withLabels
                labelsPosition="right"
                valueFormatter={(v) => formatNumber(v)}
              />
            </div>
          </div>
          <Group gap="lg" mt="xs">
            {(conversion.data?.leadFunnel ?? []).slice(1).map((stage) => (
              <Text key={stage.stage} size="sm">
                {statusLabel(stage.stage)} · {formatPercent(stage.rateFromStart)}
              </Text>
            ))}
          </Group>
        </Panel>
        <Panel title={t('dashboard.revenueBySource')} testId="chart-revenue" ready={revenue.isSuccess}>
          <BarChart
            h={260}
            data={revenueSeries}
            dataKey="date"
            type="stacked"
            series={sources.map((name, i) => ({ name, color: PALETTE[i % PALETTE.length] }))}
            withLegend
            valueFormatter={(v) => formatMoney(Math.round(v * 100), currency)}
            data-series={sources.join(',')}
          />
        </Panel>
        <Panel title={t('dashboard.campaignPerformance')} testId="chart-campaigns" ready={campaigns.isSuccess}>
          <BarChart
            h={260}
            data={topCampaigns.map((c) => ({
              name: c.name,
              enrolled: c.enrolled,
              contacted: c.contacted,
              replied: c.replied,
              converted: c.converted,
            }))}
            dataKey="name"
            withLegend
            series={[
              { name: 'enrolled', label: t('dashboard.stage.enrolled'), color: 'violet.3' },
              { name: 'contacted', label: t('dashboard.stage.contacted'), color: 'violet.5' },
              { name: 'replied', label: t('dashboard.stage.replied'), color: 'violet.7' },
              { name: 'converted', label: t('dashboard.stage.converted'), color: 'teal.6' },
            ]}
          />
        </Panel>
        <Panel title={t('dashboard.niches')} testId="chart-niches" ready={niches.isSuccess}>
          <BarChart
            h={260}
            data={(niches.data?.niches ?? [])
              .filter((n) => n.leads || n.previousLeads)
              .map((n) => ({
                name: n.name ?? t('dashboard.noNiche'),
                leads: n.leads,
                previous: n.previousLeads,
                converted: n.converted,
              }))}
            dataKey="name"
            withLegend
            series={[
              { name: 'leads', label: t('dashboard.nicheLeads'), color: 'blue.6' },
              { name: 'previous', label: t('dashboard.nichePrevious'), color: 'gray.5' },
              { name: 'converted', label: t('dashboard.stage.converted'), color: 'teal.6' },
            ]}
          />
        </Panel>
        <Panel title={t('dashboard.aiSpend')} testId="chart-ai" ready={ai.isSuccess}>
          <Group align="center" wrap="wrap" gap="lg">
            <DonutChart
              size={170}
              mih={190}
              thickness={26}
              withTooltip
              data={(ai.data?.byFeature ?? [])
                .filter((f) => f.costUsd > 0)
                .map((f, i) => ({ name: f.name, value: +f.costUsd.toFixed(4), color: PALETTE[i % PALETTE.length] }))}
              valueFormatter={usd}
              chartLabel={usd(ai.data?.totals.costUsd ?? 0)}
            />
            <Stack gap={4}>
              {(ai.data?.byFeature ?? []).map((f) => (
                <Text key={f.name} size="sm">
                  {f.name}: {usd(f.costUsd)} · {t('dashboard.aiRequests', { count: f.requests })}
                </Text>
              ))}
            </Stack>
          </Group>
        </Panel>
        <Panel
          title={t('dashboard.attribution')}
          testId="table-attribution"
          ready={attribution.isSuccess}
          action={
            <Select
              size="xs"
              w={150}
              aria-label={t('dashboard.attributionModel')}
              value={model}
              onChange={(v) => v && setModel(v as Model)}
              allowDeselect={false}
              data={(['linear', 'first_touch', 'last_touch'] as const).map((value) => ({
                value,
                label: t(`dashboard.model.${value}`),
              }))}
              data-testid="attribution-model"
            />
          }
        >
          <Table.ScrollContainer ref={attributionScroll} minWidth={360} type="native">
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('dashboard.attributionCampaign')}</Table.Th>
                  <Table.Th ta="right">{t('dashboard.kpi.revenue')}</Table.Th>
                  <Table.Th ta="right">{t('dashboard.attributionLeads')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(attribution.data?.campaigns ?? []).slice(0, 8).map((row) => (
                  <Table.Tr key={row.id} data-testid="attribution-row">
                    <Table.Td>{row.name}</Table.Td>
                    <Table.Td ta="right">{money(row.revenue)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(row.leads)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {attribution.data && (
            <Text size="xs" className="muted" mt="xs">
              {t('dashboard.unattributed', { amount: money(attribution.data.unattributedToCampaigns) })}
            </Text>
          )}
        </Panel>
      </SimpleGrid>
    </Stack>
  );
}

function Panel({
  title,
  testId,
  ready,
  action,
  children,
}: {
  title: string;
  testId: string;
  ready: boolean;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card withBorder padding="lg" data-testid={testId}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={2} size="h4">
          {title}
        </Title>
        {action}
      </Group>
      {ready ? children : <Skeleton h={220} />}
    </Card>
  );
}

/** A figure with its change against the previous period; `invert` when going up is bad (spend). */
function Kpi({
  label,
  metric,
  format,
  invert,
  testId,
}: {
  label: string;
  metric: Metric | undefined;
  format: (value: number | null) => string;
  invert?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const change = metric?.changePercent ?? null;
  const good = change === null || change === 0 ? null : change > 0 !== Boolean(invert);
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Text size="xs" tt="uppercase" fw={600} className="muted">
        {label}
      </Text>
      {metric ? (
        <>
          <Text fz={24} fw={700} data-testid={`${testId}-value`} style={{ overflowWrap: 'anywhere' }}>
            {format(metric.current)}
          </Text>
          <Group gap={6} wrap="wrap">
            <Badge
              variant="light"
              color={good === null ? 'gray' : good ? 'teal' : 'red'}
              data-testid={`${testId}-delta`}
            >
              {change === null ? '—' : `${change > 0 ? '▲' : change < 0 ? '▼' : ''} ${Math.abs(change)} %`}
            </Badge>
            <Text size="xs" className="muted">
              {t('dashboard.previous', { value: format(metric.previous) })}
            </Text>
          </Group>
        </>
      ) : (
        <Skeleton h={48} mt={6} />
      )}
    </Card>
  );
}
