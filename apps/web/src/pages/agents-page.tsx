import { usePageIntent } from '../app/page-intent';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { AgentResponseDto, CreateAgentDto } from '@crescendo/api-client';
import { aiApi } from '../api/ai-endpoints';
import { useAuth } from '../auth';
import {
  DataTable,
  EditorForm,
  Field,
  FieldMessage,
  FormError,
  Notice,
  QueryView,
  SelectField,
  TextAreaField,
  formatDate,
  humanize,
  type Column,
} from '../components';

const AGENTS = ['agents'] as const;
const TYPES = ['lead_qualifier', 'outreach_writer', 'content_planner', 'support_responder', 'custom'] as const;
const TOOLS = ['read_leads', 'update_lead_status_score', 'draft_message', 'create_content_ideas'] as const;
const EVENTS = [
  'lead.created',
  'lead.updated',
  'lead.status_changed',
  'lead.tag_added',
  'lead.deleted',
  'campaign.status_changed',
  'import.completed',
  'webhook.received',
] as const;

/** AI agents: list, create/edit, and one agent's status controls and logs. */
export function AgentsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canWrite = can('agents:write');
  const agents = useQuery({ queryKey: AGENTS, queryFn: aiApi.listAgents });
  const [editing, setEditing] = useState<AgentResponseDto | 'new' | null>(null);
  usePageIntent('create', () => setEditing('new'));
  const [selected, setSelected] = useState<string | null>(null);
  const columns: Column<AgentResponseDto>[] = [
    {
      key: 'name',
      header: 'Name',
      render: (a) => (
        <button type="button" className="link" onClick={() => setSelected(a.id)} data-testid="agent-open">
          {a.name}
        </button>
      ),
    },
    { key: 'type', header: 'Type', render: (a) => humanize(a.type) },
    { key: 'model', header: 'Model', render: (a) => `${a.provider} · ${a.model}` },
    { key: 'trigger', header: 'Trigger', render: (a) => triggerLabel(a) },
    { key: 'status', header: 'Status', render: (a) => <span className={`tag status-${a.status}`}>{a.status}</span> },
    { key: 'last', header: 'Last run', render: (a) => formatDate(a.lastRunAt, 'Never') },
    {
      key: 'actions',
      header: '',
      className: 'actions',
      render: (a) =>
        canWrite && (
          <button type="button" onClick={() => setEditing(a)} data-testid="agent-edit">
            Edit
          </button>
        ),
    },
  ];
  return (
    <section>
      <header className="page-header">
        <div>
          <h1>{t('pages.agentsTitle')}</h1>
          <p className="muted">{t('pages.agentsSubtitle')}</p>
        </div>
        {canWrite && (
          <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="agent-new">
            New agent
          </button>
        )}
      </header>
      {editing && (
        <AgentForm
          key={editing === 'new' ? 'new' : editing.id}
          agent={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
      <div className="card">
        <QueryView query={agents} empty="No agents yet." emptyTestId="agents-empty">
          {(rows) => (
            <DataTable columns={columns} rows={rows} rowKey={(a) => a.id} testId="agents-table" rowTestId="agent-row" />
          )}
        </QueryView>
      </div>
      {selected && <AgentDetail id={selected} canWrite={canWrite} />}
    </section>
  );
}

function triggerLabel(a: AgentResponseDto): string {
  if (a.trigger.type === 'schedule') return `Schedule ${a.trigger.schedule ?? ''}`;
  if (a.trigger.type === 'event') return `On ${a.trigger.eventType ?? ''}`;
  return 'Manual';
}

function AgentForm({ agent, onDone }: { agent: AgentResponseDto | null; onDone: () => void }) {
  const providers = useQuery({ queryKey: ['ai', 'providers'], queryFn: aiApi.listProviders, staleTime: 60_000 });
  const [name, setName] = useState(agent?.name ?? '');
  const [type, setType] = useState<CreateAgentDto['type']>(agent?.type ?? 'lead_qualifier');
  const [provider, setProvider] = useState(agent?.provider ?? '');
  const [model, setModel] = useState(agent?.model ?? '');
  const [prompt, setPrompt] = useState(agent?.systemPrompt ?? '');
  const [tools, setTools] = useState<string[]>(agent?.tools ?? ['read_leads']);
  const [triggerType, setTriggerType] = useState(agent?.trigger.type ?? 'manual');
  const [schedule, setSchedule] = useState(agent?.trigger.schedule ?? '0 * * * *');
  const [eventType, setEventType] = useState(agent?.trigger.eventType ?? 'lead.created');
  const [runsPerDay, setRunsPerDay] = useState(String(agent?.limits.runsPerDay ?? 24));
  const [tokensPerRun, setTokensPerRun] = useState(String(agent?.limits.tokensPerRun ?? 4000));
  const models = providers.data?.find((p) => p.name === provider)?.models ?? [];
  const save = () => {
    const body: CreateAgentDto = {
      name: name.trim(),
      type,
      ...(provider ? { provider } : {}),
      ...(model ? { model } : {}),
      ...(prompt.trim() ? { systemPrompt: prompt } : {}),
      tools: tools as CreateAgentDto['tools'],
      trigger:
        triggerType === 'schedule'
          ? { type: 'schedule', schedule }
          : triggerType === 'event'
            ? { type: 'event', eventType: eventType as (typeof EVENTS)[number] }
            : { type: 'manual' },
      limits: { runsPerDay: Number(runsPerDay), tokensPerRun: Number(tokensPerRun) },
    };
    return agent ? aiApi.updateAgent(agent.id, body) : aiApi.createAgent(body);
  };
  return (
    <EditorForm
      title={agent ? `Edit “${agent.name}”` : 'New agent'}
      testId="agent"
      listKey={AGENTS}
      save={save}
      onDone={onDone}
      submitLabel={agent ? 'Save' : 'Create agent'}
    >
      {(err) => (
        <>
          <div className="row">
            <Field
              label="Name"
              name="name"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={err}
              data-testid="agent-name"
            />
            <SelectField
              label="Type"
              name="type"
              value={type}
              options={TYPES.map((t) => ({ value: t, label: humanize(t) }))}
              onChange={(e) => setType(e.target.value as CreateAgentDto['type'])}
              error={err}
              data-testid="agent-type"
            />
            <SelectField
              label="Provider"
              name="provider"
              value={provider}
              placeholder="Default"
              options={(providers.data ?? []).map((p) => ({ value: p.name, label: p.name }))}
              onChange={(e) => {
                setProvider(e.target.value);
                setModel('');
              }}
              error={err}
            />
            <SelectField
              label="Model"
              name="model"
              value={model}
              placeholder="Provider default"
              options={models.map((m) => ({ value: m, label: m }))}
              onChange={(e) => setModel(e.target.value)}
              error={err}
            />
          </div>
          <TextAreaField
            label="Instructions (system prompt)"
            name="systemPrompt"
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            error={err}
          />
          <fieldset>
            <legend>Tools</legend>
            {TOOLS.map((t) => (
              <label className="check" key={t}>
                <input
                  type="checkbox"
                  checked={tools.includes(t)}
                  onChange={() => setTools((ts) => (ts.includes(t) ? ts.filter((x) => x !== t) : [...ts, t]))}
                />
                {humanize(t)}
              </label>
            ))}
            <FieldMessage name="tools" error={err} />
          </fieldset>
          <div className="row">
            <SelectField
              label="Trigger"
              name="trigger.type"
              value={triggerType}
              options={[
                { value: 'manual', label: 'Manual' },
                { value: 'schedule', label: 'Schedule (cron)' },
                { value: 'event', label: 'Event' },
              ]}
              onChange={(e) => setTriggerType(e.target.value as typeof triggerType)}
              error={err}
            />
            {triggerType === 'schedule' && (
              <Field
                label="Cron"
                name="schedule"
                value={schedule}
                onChange={(e) => setSchedule(e.target.value)}
                error={err}
              />
            )}
            {triggerType === 'event' && (
              <SelectField
                label="Event"
                name="eventType"
                value={eventType}
                options={EVENTS.map((e) => ({ value: e, label: e }))}
                onChange={(e) => setEventType(e.target.value)}
                error={err}
              />
            )}
            <Field
              label="Runs per day"
              name="runsPerDay"
              type="number"
              value={runsPerDay}
              onChange={(e) => setRunsPerDay(e.target.value)}
              error={err}
            />
            <Field
              label="Tokens per run"
              name="tokensPerRun"
              type="number"
              value={tokensPerRun}
              onChange={(e) => setTokensPerRun(e.target.value)}
              error={err}
            />
          </div>
        </>
      )}
    </EditorForm>
  );
}

function AgentDetail({ id, canWrite }: { id: string; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const agent = useQuery({ queryKey: [...AGENTS, id], queryFn: () => aiApi.getAgent(id) });
  const logs = useQuery({
    queryKey: [...AGENTS, id, 'logs'],
    queryFn: () => aiApi.agentLogs(id),
    refetchInterval: 5000,
  });
  // a run happens in the worker after the request: each new log line refreshes "Last run" and the status
  const newestLog = logs.data?.[0]?.id;
  useEffect(() => {
    if (!newestLog) return;
    void queryClient.invalidateQueries({ queryKey: AGENTS, exact: true });
    void queryClient.invalidateQueries({ queryKey: [...AGENTS, id], exact: true });
  }, [newestLog, id, queryClient]);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useMutation({
    meta: { toast: false },
    mutationFn: async (what: 'activate' | 'deactivate' | 'restart' | 'run') => {
      if (what === 'run') await aiApi.runAgent(id);
      else if (what === 'restart') await aiApi.restartAgent(id);
      else await aiApi.setAgentStatus(id, what === 'activate' ? 'active' : 'inactive');
      return what;
    },
    onSuccess: (what) => {
      setNotice(what === 'run' ? 'Run queued: its logs appear below.' : `Agent ${what}d.`);
      void queryClient.invalidateQueries({ queryKey: AGENTS });
    },
  });
  return (
    <div className="card" data-testid="agent-detail">
      <QueryView query={agent}>
        {(a) => (
          <>
            <h2>
              {a.name} <span className={`tag status-${a.status}`}>{a.status}</span>
            </h2>
            {a.errorReason && <FormError error={a.errorReason} />}
            {notice && <Notice testId="agent-notice">{notice}</Notice>}
            <FormError error={action.error} />
            {canWrite && (
              <div className="actions">
                {a.status === 'inactive' && (
                  <button type="button" onClick={() => action.mutate('activate')} data-testid="agent-activate">
                    Activate
                  </button>
                )}
                {a.status === 'active' && (
                  <button type="button" onClick={() => action.mutate('deactivate')} data-testid="agent-deactivate">
                    Deactivate
                  </button>
                )}
                {a.status === 'error' && (
                  <button type="button" onClick={() => action.mutate('restart')} data-testid="agent-restart">
                    Restart
                  </button>
                )}
                <button type="button" className="primary" onClick={() => action.mutate('run')} data-testid="agent-run">
                  Run now
                </button>
              </div>
            )}
          </>
        )}
      </QueryView>
      <h3>Logs</h3>
      <QueryView query={logs} empty="No logs yet." emptyTestId="agent-logs-empty">
        {(rows) => (
          <ul className="log-list" data-testid="agent-logs">
            {rows.map((l) => (
              <li key={l.id} className={`level-${l.level}`}>
                {formatDate(l.createdAt)} [{l.level}] {l.message}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </div>
  );
}
