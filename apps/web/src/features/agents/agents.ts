import type { AgentResponseDto } from '@crescendo/api-client';
import { i18n } from '../../i18n';
import { eventKey } from '../../i18n/domain';

export const AGENTS_KEY = ['agents'] as const;
export const AGENT_TYPES = [
  'lead_qualifier',
  'outreach_writer',
  'content_planner',
  'support_responder',
  'custom',
] as const;
export const AGENT_TOOLS = ['read_leads', 'update_lead_status_score', 'draft_message', 'create_content_ideas'] as const;
export const AGENT_EVENTS = [
  'lead.created',
  'lead.updated',
  'lead.status_changed',
  'lead.tag_added',
  'lead.deleted',
  'campaign.status_changed',
  'import.completed',
  'webhook.received',
  'job.completed',
  'job.failed',
  'ai.quota_reached',
  'automation.run_failed',
] as const;

export function triggerLabel(a: AgentResponseDto): string {
  if (a.trigger.type === 'schedule') return i18n.t('agents.scheduleIs', { cron: a.trigger.schedule ?? '' });
  if (a.trigger.type === 'event')
    return i18n.t('agents.onEvent', { event: i18n.t(eventKey(a.trigger.eventType ?? '')) });
  return i18n.t('agents.manual');
}

export const agentStatusLabel = (status: AgentResponseDto['status']) => i18n.t(`agents.statuses.${status}`);
