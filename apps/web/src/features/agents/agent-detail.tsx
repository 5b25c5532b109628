import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { aiApi } from '../../api/ai-endpoints';
import { FormError, Notice, QueryView, formatDate } from '../../components';
import { AGENTS_KEY, agentStatusLabel } from './agents';

type AgentAction = 'activate' | 'deactivate' | 'restart' | 'run';
const NOTICES: Record<AgentAction, string> = {
  run: 'agents.runQueued',
  activate: 'agents.activated',
  deactivate: 'agents.deactivated',
  restart: 'agents.restarted',
};

/** One agent: its status controls, "Run now", and its logs (polled: a run happens in the worker). */
export function AgentDetail({ id, canWrite }: { id: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const agent = useQuery({ queryKey: [...AGENTS_KEY, id], queryFn: () => aiApi.getAgent(id) });
  const logs = useQuery({
    queryKey: [...AGENTS_KEY, id, 'logs'],
    queryFn: () => aiApi.agentLogs(id),
    refetchInterval: 5000,
  });
  // each new log line refreshes "Last run" and the status in the list
  const newestLog = logs.data?.[0]?.id;
  useEffect(() => {
    if (!newestLog) return;
    void queryClient.invalidateQueries({ queryKey: AGENTS_KEY, exact: true });
    void queryClient.invalidateQueries({ queryKey: [...AGENTS_KEY, id], exact: true });
  }, [newestLog, id, queryClient]);
  const [notice, setNotice] = useState<AgentAction | null>(null);
  const action = useMutation({
    meta: { toast: false },
    mutationFn: async (what: AgentAction) => {
      if (what === 'run') await aiApi.runAgent(id);
      else if (what === 'restart') await aiApi.restartAgent(id);
      else await aiApi.setAgentStatus(id, what === 'activate' ? 'active' : 'inactive');
      return what;
    },
    onSuccess: (what) => setNotice(what),
  });
  return (
    <div className="card" data-testid="agent-detail">
      <QueryView query={agent}>
        {(a) => (
          <>
            <h2>
              {a.name} <span className={`tag status-${a.status}`}>{agentStatusLabel(a.status)}</span>
            </h2>
            {a.errorReason && <FormError error={a.errorReason} />}
            {a.readOnly && <Notice testId="agent-read-only-notice">{t('agents.readOnlyPlan')}</Notice>}
            {notice && <Notice testId="agent-notice">{t(NOTICES[notice])}</Notice>}
            <FormError error={action.error} />
            {canWrite && !a.readOnly && (
              <div className="actions">
                {a.status === 'inactive' && (
                  <button type="button" onClick={() => action.mutate('activate')} data-testid="agent-activate">
                    {t('agents.activate')}
                  </button>
                )}
                {a.status === 'active' && (
                  <button type="button" onClick={() => action.mutate('deactivate')} data-testid="agent-deactivate">
                    {t('agents.deactivate')}
                  </button>
                )}
                {a.status === 'error' && (
                  <button type="button" onClick={() => action.mutate('restart')} data-testid="agent-restart">
                    {t('agents.restart')}
                  </button>
                )}
                <button type="button" className="primary" onClick={() => action.mutate('run')} data-testid="agent-run">
                  {t('agents.run')}
                </button>
              </div>
            )}
          </>
        )}
      </QueryView>
      <h3>{t('agents.logs')}</h3>
      <QueryView query={logs} empty={t('agents.noLogs')} emptyTestId="agent-logs-empty">
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
