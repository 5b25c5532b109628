import { useTranslation } from 'react-i18next';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import type {
  AutomationActionDto,
  AutomationRuleDto,
  AutomationTriggerDto,
  CreateAutomationRuleDto,
} from '@crescendo/api-client';
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
  QueryView,
  SelectField,
  humanize,
  type Column,
  type Option,
  useCursor,
} from '../components';
import { STATUS_OPTIONS } from '../crm';
import { valuesOf } from '../enums';
import { RuleGroupEditor, emptyGroup, type RuleGroup } from '../rule-builder';

type TriggerType = AutomationTriggerDto['type'];
type ActionType = AutomationActionDto['type'];
type RuleStatus = AutomationRuleDto['status'];
const TRIGGERS = valuesOf<TriggerType>()(
  'lead.created',
  'lead.status_changed',
  'lead.tag_added',
  'webhook.received',
  'schedule',
);
const ACTIONS = valuesOf<ActionType>()(
  'add_tag',
  'remove_tag',
  'change_status',
  'set_score',
  'enroll_in_campaign',
  'call_webhook',
  'notify',
);
const TRIGGER_LABELS: Record<TriggerType, string> = {
  'lead.created': 'A lead is created',
  'lead.status_changed': 'A lead changes status',
  'lead.tag_added': 'A tag is added to a lead',
  'webhook.received': 'An inbound webhook arrives',
  schedule: 'On a schedule (cron)',
};
const triggerOptions: Option[] = TRIGGERS.map((t) => ({ value: t, label: TRIGGER_LABELS[t] }));
const actionOptions: Option[] = ACTIONS.map((a) => ({ value: a, label: humanize(a) }));

export const automationKey = ['automation'] as const;
const ruleKey = (id: string) => ['automation-rule', id] as const;

/** "Tag hot leads" when a lead changes status from new to qualified. */
function describeTrigger(t: AutomationTriggerDto): string {
  const base = TRIGGER_LABELS[t.type];
  const parts = [
    t.from && `from ${humanize(t.from)}`,
    t.to && `to ${humanize(t.to)}`,
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
      header: 'Rule',
      render: (r) => (
        <>
          <Link to={`/automation/${r.id}`} data-testid="automation-link">
            {r.name}
          </Link>
          <div className="muted small">{describeTrigger(r.trigger)}</div>
        </>
      ),
    },
    { key: 'actions', header: 'Does', render: (r) => r.actions.map((a) => humanize(a.type)).join(', ') },
    {
      key: 'status',
      header: 'Status',
      render: (r) => (
        <>
          <span className={`tag rule-${r.status}`} data-testid="automation-status">
            {humanize(r.status)}
          </span>
          {r.pausedReason && <div className="muted small">{r.pausedReason}</div>}
        </>
      ),
    },
    { key: 'lastRunAt', header: 'Last run', render: (r) => <DateCell value={r.lastRunAt} /> },
    { key: 'failures', header: 'Failures in a row', className: 'num', render: (r) => r.consecutiveFailures },
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
            {r.status === 'active' ? 'Pause' : 'Activate'}
          </button>
          <ConfirmButton label="Delete" onConfirm={() => remove.mutate(r.id)} testId="automation-delete" />
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
            {creating ? 'Close' : 'New rule'}
          </button>
        )}
      </header>
      {creating && write && <RuleForm onSaved={refresh} />}
      <div className="card">
        <div className="filter-row">
          <SelectField
            label="Status"
            name="status"
            options={[
              { value: 'active', label: 'Active' },
              { value: 'paused', label: 'Paused' },
            ]}
            placeholder="Any status"
            value={filters.status}
            error={rules.error}
            onChange={(e) => setFilters({ ...filters, status: e.target.value })}
          />
          <SelectField
            label="Trigger"
            name="triggerType"
            options={triggerOptions}
            placeholder="Any trigger"
            value={filters.triggerType}
            error={rules.error}
            onChange={(e) => setFilters({ ...filters, triggerType: e.target.value })}
          />
        </div>
        <FormError error={setStatus.error ?? remove.error} />
        <PagedTable
          query={rules}
          emptyTestId="automation-empty"
          empty="No automation rules yet."
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

type Action = AutomationActionDto;

function RuleForm({ rule, onSaved }: { rule?: AutomationRuleDto; onSaved: (r: AutomationRuleDto) => void }) {
  const [name, setName] = useState(rule?.name ?? '');
  const [trigger, setTrigger] = useState<AutomationTriggerDto>(rule?.trigger ?? { type: 'lead.created' });
  const [useConditions, setUseConditions] = useState(!!rule?.conditions);
  const [conditions, setConditions] = useState<RuleGroup>((rule?.conditions as RuleGroup | null) ?? emptyGroup());
  const [actions, setActions] = useState<Action[]>(rule?.actions ?? [{ type: 'add_tag', tag: '' }]);
  const campaigns = useQuery({
    queryKey: ['campaigns', 'options'],
    queryFn: () => api.listCampaigns({ limit: 100, sortBy: 'name', order: 'asc' }),
    staleTime: 60_000,
  });
  const save = useMutation({
    mutationFn: () => {
      const body: CreateAutomationRuleDto = {
        name,
        trigger,
        conditions: useConditions ? conditions : null,
        actions,
      };
      return rule ? api.updateAutomationRule(rule.id, body) : api.createAutomationRule(body);
    },
    onSuccess: onSaved,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const setAction = (index: number, action: Action) => setActions(actions.map((a, i) => (i === index ? action : a)));
  const statusChoice = (key: 'from' | 'to') => (
    <SelectField
      label={key === 'from' ? 'From status' : 'To status'}
      name={`trigger.${key}`}
      options={STATUS_OPTIONS}
      placeholder="Any"
      value={trigger[key] ?? ''}
      error={save.error}
      onChange={(e) => setTrigger({ ...trigger, [key]: e.target.value || undefined })}
    />
  );
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="automation-form">
      <h2>{rule ? 'Edit the rule' : 'New rule'}</h2>
      <FormError error={save.error} testId="automation-form-error" />
      {save.isSuccess && <Notice testId="automation-saved">Rule “{save.data.name}” saved.</Notice>}
      <Field
        label="Name"
        name="name"
        required
        data-testid="automation-name"
        value={name}
        error={save.error}
        onChange={(e) => setName(e.target.value)}
      />
      <h3>When</h3>
      <div className="row">
        <SelectField
          label="Trigger"
          name="trigger.type"
          data-testid="automation-trigger"
          options={triggerOptions}
          value={trigger.type}
          error={save.error}
          onChange={(e) => setTrigger({ type: e.target.value as TriggerType })}
        />
        {trigger.type === 'lead.status_changed' && (
          <>
            {statusChoice('from')}
            {statusChoice('to')}
          </>
        )}
        {trigger.type === 'lead.tag_added' && (
          <Field
            label="Tag"
            name="trigger.tag"
            value={trigger.tag ?? ''}
            error={save.error}
            onChange={(e) => setTrigger({ ...trigger, tag: e.target.value || undefined })}
          />
        )}
        {trigger.type === 'schedule' && (
          <Field
            label="Cron (UTC)"
            name="trigger.cron"
            placeholder="0 9 * * 1"
            data-testid="automation-cron"
            value={trigger.cron ?? ''}
            error={save.error}
            onChange={(e) => setTrigger({ ...trigger, cron: e.target.value })}
            hint="minute hour day month weekday"
          />
        )}
      </div>
      <label className="check">
        <input type="checkbox" checked={useConditions} onChange={(e) => setUseConditions(e.target.checked)} />
        Only for leads matching conditions
      </label>
      {useConditions && (
        <RuleGroupEditor group={conditions} onChange={setConditions} error={save.error} path="conditions" />
      )}
      <h3>Do</h3>
      {actions.map((action, index) => (
        <ActionEditor
          key={index}
          action={action}
          index={index}
          error={save.error}
          campaigns={(campaigns.data?.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          onChange={(a) => setAction(index, a)}
          onRemove={actions.length > 1 ? () => setActions(actions.filter((_, i) => i !== index)) : undefined}
        />
      ))}
      <FieldMessage name="actions" error={save.error} />
      <p>
        <button
          type="button"
          onClick={() => setActions([...actions, { type: 'add_tag', tag: '' }])}
          data-testid="automation-add-action"
        >
          Add an action
        </button>
      </p>
      <button className="primary" type="submit" disabled={save.isPending} data-testid="automation-submit">
        {save.isPending ? 'Saving…' : rule ? 'Save' : 'Create rule'}
      </button>
    </form>
  );
}

function ActionEditor({
  action,
  index,
  error,
  campaigns,
  onChange,
  onRemove,
}: {
  action: Action;
  index: number;
  error: unknown;
  campaigns: Option[];
  onChange: (a: Action) => void;
  onRemove?: () => void;
}) {
  const name = (key: string) => `actions.${index}.${key}`;
  const text = (key: 'tag' | 'url' | 'subject' | 'message', label: string) => (
    <Field
      label={label}
      name={name(key)}
      data-testid={`automation-action-${key}`}
      value={action[key] ?? ''}
      error={error}
      onChange={(e) => onChange({ ...action, [key]: e.target.value })}
    />
  );
  return (
    <div className="action-editor" data-testid="automation-action">
      <div className="row">
        <SelectField
          label={`Action ${index + 1}`}
          name={name('type')}
          data-testid="automation-action-type"
          options={actionOptions}
          value={action.type}
          error={error}
          onChange={(e) => onChange({ type: e.target.value as ActionType })}
        />
        {(action.type === 'add_tag' || action.type === 'remove_tag') && text('tag', 'Tag')}
        {action.type === 'change_status' && (
          <SelectField
            label="Status"
            name={name('status')}
            options={STATUS_OPTIONS}
            placeholder="Choose…"
            value={action.status ?? ''}
            error={error}
            onChange={(e) => onChange({ ...action, status: (e.target.value || undefined) as Action['status'] })}
          />
        )}
        {action.type === 'set_score' && (
          <Field
            label="Score"
            name={name('score')}
            type="number"
            value={action.score?.toString() ?? ''}
            error={error}
            onChange={(e) => onChange({ ...action, score: e.target.value === '' ? undefined : Number(e.target.value) })}
          />
        )}
        {action.type === 'enroll_in_campaign' && (
          <SelectField
            label="Campaign"
            name={name('campaignId')}
            options={campaigns}
            placeholder="Choose…"
            value={action.campaignId ?? ''}
            error={error}
            onChange={(e) => onChange({ ...action, campaignId: e.target.value || undefined })}
          />
        )}
        {action.type === 'call_webhook' && text('url', 'URL')}
        {action.type === 'notify' && (
          <SelectField
            label="Channel"
            name={name('channel')}
            options={[
              { value: 'email', label: 'E-mail the members' },
              { value: 'audit', label: 'Audit log' },
            ]}
            placeholder="Choose…"
            value={action.channel ?? ''}
            error={error}
            onChange={(e) => onChange({ ...action, channel: (e.target.value || undefined) as Action['channel'] })}
          />
        )}
      </div>
      {action.type === 'notify' && (
        <div className="row">
          {action.channel === 'email' && text('subject', 'Subject')}
          {text('message', 'Message ({{lead.name}}, {{lead.email}}, {{lead.status}}, {{rule.name}})')}
        </div>
      )}
      {onRemove && (
        <button type="button" className="link" onClick={onRemove}>
          Remove this action
        </button>
      )}
    </div>
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
        <Link to="/automation">← Automation</Link>
      </p>
      <QueryView query={rule}>
        {(r) => (
          <>
            <header className="page-header">
              <h1 data-testid="automation-title">
                {r.name} <span className={`tag rule-${r.status}`}>{humanize(r.status)}</span>
              </h1>
              <p className="muted">
                {describeTrigger(r.trigger)} · {r.actions.map((a) => humanize(a.type)).join(', ')}
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
        <h2>Runs</h2>
        <div className="filter-row">
          <SelectField
            label="Outcome"
            name="status"
            options={['succeeded', 'failed', 'skipped'].map((s) => ({ value: s, label: humanize(s) }))}
            placeholder="Any"
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
          empty="The rule has not run yet."
          onCursor={setCursor}
          rowKey={(run) => run.id}
          rowTestId="automation-run"
          columns={[
            { key: 'when', header: 'When', render: (run) => <DateCell value={run.createdAt} /> },
            { key: 'trigger', header: 'Trigger', render: (run) => run.triggerType },
            {
              key: 'lead',
              header: 'Lead',
              render: (run) => (run.leadId ? <Link to={`/leads/${run.leadId}`}>open</Link> : '—'),
            },
            {
              key: 'status',
              header: 'Outcome',
              render: (run) => <span className={`tag run-${run.status}`}>{humanize(run.status)}</span>,
            },
            {
              key: 'actions',
              header: 'Actions',
              render: (run) =>
                run.error ?? (run.actionsDone.map((a) => `${humanize(a.type)} (${a.outcome})`).join(', ') || '—'),
            },
            { key: 'ms', header: 'ms', className: 'num', render: (run) => run.durationMs },
          ]}
        />
      </div>
    </section>
  );
}
