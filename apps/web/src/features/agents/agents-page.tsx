import { usePageIntent } from '../../app/page-intent';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AgentResponseDto } from '@crescendo/api-client';
import { aiApi } from '../../api/ai-endpoints';
import { useAuth } from '../../auth';
import { DataTable, QueryView, formatDate, type Column } from '../../components';
import { AgentDetail } from './agent-detail';
import { AgentForm } from './agent-form';
import { AGENTS_KEY as AGENTS, agentStatusLabel, triggerLabel } from './agents';

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
      header: t('agents.colName'),
      render: (a) => (
        <button type="button" className="link" onClick={() => setSelected(a.id)} data-testid="agent-open">
          {a.name}
        </button>
      ),
    },
    { key: 'type', header: t('agents.colType'), render: (a) => t(`agents.types.${a.type}`) },
    { key: 'model', header: t('agents.colModel'), render: (a) => `${a.provider} · ${a.model}` },
    { key: 'trigger', header: t('agents.colTrigger'), render: (a) => triggerLabel(a) },
    {
      key: 'status',
      header: t('agents.colStatus'),
      render: (a) => (
        <>
          <span className={`tag status-${a.status}`}>{agentStatusLabel(a.status)}</span>
          {a.readOnly && (
            <span className="tag" title={t('agents.readOnlyPlan')} data-testid="agent-read-only">
              {t('agents.readOnly')}
            </span>
          )}
        </>
      ),
    },
    { key: 'last', header: t('agents.colLastRun'), render: (a) => formatDate(a.lastRunAt, t('agents.never')) },
    {
      key: 'actions',
      header: '',
      className: 'actions',
      render: (a) =>
        canWrite &&
        !a.readOnly && (
          <button type="button" onClick={() => setEditing(a)} data-testid="agent-edit">
            {t('agents.edit')}
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
            {t('agents.new')}
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
        <QueryView query={agents} empty={t('agents.empty')} emptyTestId="agents-empty">
          {(rows) => (
            <DataTable columns={columns} rows={rows} rowKey={(a) => a.id} testId="agents-table" rowTestId="agent-row" />
          )}
        </QueryView>
      </div>
      {selected && <AgentDetail id={selected} canWrite={canWrite} />}
    </section>
  );
}
