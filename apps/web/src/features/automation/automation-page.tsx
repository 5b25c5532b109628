import { i18n } from '../../i18n';
import { usePageIntent } from '../../app/page-intent';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { AutomationRuleDto, AutomationTriggerDto } from '@crescendo/api-client';
import { api } from '../../api/endpoints';
import { useAuth } from '../../auth';
import {
  ConfirmButton,
  DateCell,
  FormError,
  PagedTable,
  QueryView,
  SelectField,
  type Column,
  useCursor,
} from '../../components';
import { statusLabel } from '../../crm';

import { actionLabel, labelOf, triggerLabel, triggerOptions, type RuleStatus, type TriggerType } from './automation';
import { RuleForm } from './rule-form';

export const automationKey = ['automation'] as const;
const ruleKey = (id: string) => ['automation-rule', id] as const;

/** "Tag hot leads" when a lead changes status from new to qualified. */
function describeTrigger(t: AutomationTriggerDto): string {
  const base = triggerLabel(t.type);
  const parts = [
    t.from && i18n.t('automation.fromStatus', { status: statusLabel(t.from) }),
    t.to && i18n.t('automation.toStatus', { status: statusLabel(t.to) }),
    t.tag && `“${t.tag}”`,
    t.cron && `${t.cron} UTC`,
  ].filter(Boolean);
  return parts.length ? `${base}: ${parts.join(' ')}` : base;
}

export function AutomationPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const write = can('campaigns:write');
  const [creating, setCreating] = useState(false);
  usePageIntent('create', () => setCreating(true));
  const { cursor, setCursor } = useCursor();
  const [filters, setFilters] = useState({ status: '', triggerType: '' });
  const rules = useQuery({
    queryKey: [...automationKey, cursor, filters],
    queryFn: () =>
      api.listAutomationRules({
        cursor,
        pageSize: 20,
        status: (filters.status || undefined) as RuleStatus | undefined,
        triggerType: (filters.triggerType || undefined) as TriggerType | undefined,
      }),
    placeholderData: keepPreviousData,
  });
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: automationKey });
  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: RuleStatus }) => api.setAutomationRuleStatus(id, status),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api.deleteAutomationRule(id), onSuccess: refresh });
  const columns: Column<AutomationRuleDto>[] = [
    {
      key: 'name',
      header: i18n.t('automation.colRule'),
      render: (r) => (
        <>
          <Link to={`/automation/${r.id}`} data-testid="automation-link">
            {r.name}
          </Link>
          <div className="muted small">{describeTrigger(r.trigger)}</div>
        </>
      ),
    },
    {
      key: 'actions',
      header: i18n.t('automation.colDoes'),
      render: (r) => r.actions.map((a) => actionLabel(a.type)).join(', '),
    },
    {
      key: 'status',
      header: i18n.t('automation.colStatus'),
      render: (r) => (
        <>
          <span className={`tag rule-${r.status}`} data-testid="automation-status">
            {labelOf(`automation.statuses.${r.status}`, r.status)}
          </span>
          {r.pausedReason && <div className="muted small">{r.pausedReason}</div>}
        </>
      ),
    },
    { key: 'lastRunAt', header: i18n.t('automation.colLastRun'), render: (r) => <DateCell value={r.lastRunAt} /> },
    {
      key: 'failures',
      header: i18n.t('automation.colFailures'),
      className: 'num',
      render: (r) => r.consecutiveFailures,
    },
  ];
  if (write) {
    columns.push({
      key: 'manage',
      header: '',
      className: 'actions',
      render: (r) => (
        <>
          <button
            type="button"
            disabled={setStatus.isPending}
            onClick={() => setStatus.mutate({ id: r.id, status: r.status === 'active' ? 'paused' : 'active' })}
            data-testid="automation-toggle"
          >
            {r.status === 'active' ? i18n.t('automation.pause') : i18n.t('automation.activate')}
          </button>
          <ConfirmButton
            label={i18n.t('automation.delete')}
            onConfirm={() => remove.mutate(r.id)}
            testId="automation-delete"
          />
        </>
      ),
    });
  }
  return (
    <section>
      <header className="page-header split">
        <div>
          <h1>{t('pages.automationTitle')}</h1>
          <p className="muted">{t('pages.automationSubtitle')}</p>
        </div>
        {write && (
          <button type="button" className="primary" onClick={() => setCreating(!creating)} data-testid="automation-new">
            {creating ? i18n.t('automation.close') : i18n.t('automation.new')}
          </button>
        )}
      </header>
      {creating && write && <RuleForm onSaved={refresh} />}
      <div className="card">
        <div className="filter-row">
          <SelectField
            label={i18n.t('automation.status')}
            name="status"
            options={[
              { value: 'active', label: i18n.t('automation.statuses.active') },
              { value: 'paused', label: i18n.t('automation.statuses.paused') },
            ]}
            placeholder={i18n.t('automation.anyStatus')}
            value={filters.status}
            error={rules.error}
            onChange={(e) => setFilters({ ...filters, status: e.target.value })}
          />
          <SelectField
            label={i18n.t('automation.trigger')}
            name="triggerType"
            options={triggerOptions}
            placeholder={i18n.t('automation.anyTrigger')}
            value={filters.triggerType}
            error={rules.error}
            onChange={(e) => setFilters({ ...filters, triggerType: e.target.value })}
          />
        </div>
        <FormError error={setStatus.error ?? remove.error} />
        <PagedTable
          query={rules}
          emptyTestId="automation-empty"
          empty={i18n.t('automation.empty')}
          onCursor={setCursor}
          columns={columns}
          rowKey={(r) => r.id}
          testId="automation-table"
          rowTestId="automation-row"
        />
      </div>
    </section>
  );
}

export function AutomationDetailPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const rule = useQuery({ queryKey: ruleKey(id), queryFn: () => api.getAutomationRule(id) });
  const { cursor, setCursor } = useCursor();
  const [status, setStatus] = useState('');
  const runs = useQuery({
    queryKey: [...ruleKey(id), 'runs', cursor, status],
    queryFn: () =>
      api.listAutomationRuns(id, {
        cursor,
        pageSize: 20,
        status: (status || undefined) as 'succeeded' | 'failed' | 'skipped' | undefined,
      }),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
  return (
    <section>
      <p>
        <Link to="/automation">{i18n.t('automation.back')}</Link>
      </p>
      <QueryView query={rule}>
        {(r) => (
          <>
            <header className="page-header">
              <h1 data-testid="automation-title">
                {r.name}{' '}
                <span className={`tag rule-${r.status}`}>{labelOf(`automation.statuses.${r.status}`, r.status)}</span>
              </h1>
              <p className="muted">
                {describeTrigger(r.trigger)} · {r.actions.map((a) => actionLabel(a.type)).join(', ')}
              </p>
            </header>
            {can('campaigns:write') && (
              <RuleForm
                key={r.updatedAt}
                rule={r}
                onSaved={(saved) => {
                  queryClient.setQueryData(ruleKey(id), saved);
                  void queryClient.invalidateQueries({ queryKey: automationKey });
                }}
              />
            )}
          </>
        )}
      </QueryView>
      <div className="card" data-testid="automation-runs">
        <h2>{i18n.t('automation.runs')}</h2>
        <div className="filter-row">
          <SelectField
            label={i18n.t('automation.outcome')}
            name="status"
            options={['succeeded', 'failed', 'skipped'].map((s) => ({
              value: s,
              label: i18n.t(`automation.outcomes.${s}`),
            }))}
            placeholder={i18n.t('automation.any')}
            value={status}
            error={runs.error}
            onChange={(e) => {
              setStatus(e.target.value);
              setCursor(null);
            }}
          />
        </div>
        <PagedTable
          query={runs}
          emptyTestId="automation-runs-empty"
          empty={i18n.t('automation.notRun')}
          onCursor={setCursor}
          rowKey={(run) => run.id}
          rowTestId="automation-run"
          columns={[
            { key: 'when', header: i18n.t('automation.colWhen'), render: (run) => <DateCell value={run.createdAt} /> },
            { key: 'trigger', header: i18n.t('automation.colTrigger'), render: (run) => triggerLabel(run.triggerType) },
            {
              key: 'lead',
              header: i18n.t('automation.colLead'),
              render: (run) =>
                run.leadId ? <Link to={`/leads/${run.leadId}`}>{i18n.t('automation.open')}</Link> : '—',
            },
            {
              key: 'status',
              header: i18n.t('automation.colOutcome'),
              render: (run) => (
                <span className={`tag run-${run.status}`}>
                  {labelOf(`automation.outcomes.${run.status}`, run.status)}
                </span>
              ),
            },
            {
              key: 'actions',
              header: i18n.t('automation.colActions'),
              render: (run) =>
                run.error ?? (run.actionsDone.map((a) => `${actionLabel(a.type)} (${a.outcome})`).join(', ') || '—'),
            },
            { key: 'ms', header: i18n.t('automation.colMs'), className: 'num', render: (run) => run.durationMs },
          ]}
        />
      </div>
    </section>
  );
}
