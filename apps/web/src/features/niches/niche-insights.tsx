import { Link } from 'react-router-dom';
import type {
  NicheRecommendationsResponseDto,
  NicheStatsResponseDto,
  RecommendedActionDto,
} from '@crescendo/api-client';
import { BarChart } from '../../charts';
import { DataTable, Empty, formatDate, formatNumber, formatPercent, humanize } from '../../components';
import { LEAD_STATUSES, StatusTag, statusLabel } from '../../crm';
import { i18n } from '../../i18n';

/** The message of a value the API may extend, else the value in words. */
const labelOr = (key: string, value: string) => (i18n.exists(key) ? i18n.t(key) : humanize(value));

export function Stats({ stats }: { stats: NicheStatsResponseDto }) {
  return (
    <div className="stats-layout">
      <dl className="kpis">
        <div>
          <dt>{i18n.t('niche.leads')}</dt>
          <dd data-testid="stat-total">{formatNumber(stats.total)}</dd>
        </div>
        <div>
          <dt>{i18n.t('niche.conversionRate')}</dt>
          <dd data-testid="stat-conversion">{formatPercent(stats.conversionRate)}</dd>
        </div>
        <div>
          <dt>{i18n.t('niche.averageScore')}</dt>
          <dd>{formatNumber(stats.averageScore, 2)}</dd>
        </div>
      </dl>
      <BarChart
        title={i18n.t('niche.byStatus')}
        testId="status-chart"
        bars={LEAD_STATUSES.map((s) => ({ label: statusLabel(s), value: stats.byStatus[s] }))}
      />
    </div>
  );
}

/** A figure in words: rates as percentages, lead ids as links. */
function Figure({ name, value }: { name: string; value: unknown }) {
  if (/rate$/i.test(name) && typeof value === 'number') return <>{formatPercent(value)}</>;
  if (/leadid$/i.test(name) && typeof value === 'string')
    return <Link to={`/leads/${value}`}>{i18n.t('niche.openLead')}</Link>;
  if (value === null) return <>{i18n.t('niche.none')}</>;
  return <>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</>;
}

function Action({ action }: { action: RecommendedActionDto }) {
  return (
    <li className={`action priority-${action.priority}`} data-testid="recommendation">
      <div className="action-head">
        <span className={`tag priority-${action.priority}`}>
          {labelOr(`niche.priorities.${action.priority}`, action.priority)}
        </span>
        <strong>{labelOr(`niche.actionTypes.${action.type}`, action.type)}</strong>
      </div>
      <p>{action.message}</p>
      <dl className="figures" data-testid="recommendation-figures">
        {Object.entries(action.figures).map(([name, value]) => (
          <div key={name}>
            <dt>{humanize(name)}</dt>
            <dd>
              <Figure name={name} value={value} />
            </dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

export function Recommendations({ advice }: { advice: NicheRecommendationsResponseDto }) {
  return (
    <>
      <p className="muted small">
        {i18n.t('niche.computed', {
          date: formatDate(advice.generatedAt),
          total: advice.stats.total,
          days: advice.staleAfterDays,
        })}
      </p>
      {advice.actions.length === 0 ? (
        <Empty testId="recommendations-empty">{i18n.t('niche.healthy')}</Empty>
      ) : (
        <ol className="actions-list">
          {advice.actions.map((a, i) => (
            <Action key={`${a.type}-${i}`} action={a} />
          ))}
        </ol>
      )}
      <div className="columns">
        <div>
          <h3>{i18n.t('niche.bestSources')}</h3>
          {advice.bestSources.length === 0 ? (
            <Empty>{i18n.t('niche.noSources')}</Empty>
          ) : (
            <DataTable
              testId="best-sources"
              rowKey={(s) => s.source ?? ''}
              rows={advice.bestSources}
              columns={[
                {
                  key: 'source',
                  header: i18n.t('niche.colSource'),
                  render: (s) => s.source ?? i18n.t('niche.noSource'),
                },
                { key: 'total', header: i18n.t('niche.colLeads'), className: 'num', render: (s) => s.total },
                {
                  key: 'converted',
                  header: i18n.t('niche.colConverted'),
                  className: 'num',
                  render: (s) => s.converted,
                },
                {
                  key: 'rate',
                  header: i18n.t('niche.colRate'),
                  className: 'num',
                  render: (s) => formatPercent(s.conversionRate),
                },
                {
                  key: 'score',
                  header: i18n.t('niche.colAvgScore'),
                  className: 'num',
                  render: (s) => formatNumber(s.averageScore, 2),
                },
              ]}
            />
          )}
        </div>
        <div>
          <h3>{i18n.t('niche.staleLeads', { count: advice.staleLeadCount })}</h3>
          {advice.staleLeads.length === 0 ? (
            <Empty>{i18n.t('niche.noStale')}</Empty>
          ) : (
            <DataTable
              testId="stale-leads"
              rowKey={(l) => l.id}
              rows={advice.staleLeads}
              columns={[
                {
                  key: 'name',
                  header: i18n.t('niche.colLead'),
                  render: (l) => <Link to={`/leads/${l.id}`}>{l.name}</Link>,
                },
                { key: 'status', header: i18n.t('niche.colStatus'), render: (l) => <StatusTag status={l.status} /> },
                { key: 'score', header: i18n.t('niche.colScore'), className: 'num', render: (l) => l.score },
                { key: 'days', header: i18n.t('niche.colDays'), className: 'num', render: (l) => l.daysSinceContact },
              ]}
            />
          )}
        </div>
      </div>
    </>
  );
}
