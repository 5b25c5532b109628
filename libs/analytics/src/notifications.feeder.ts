import { Injectable } from '@nestjs/common';
import {
  type DomainEvent,
  type DomainEventName,
  type DomainEventOf,
  type DomainEventPayloads,
  OnDomainEvent,
  stableUuid,
} from '@crescendo/platform';
import { AiToolsEvents } from '@crescendo/ai-tools';
import { AutomationEvents } from '@crescendo/automation';
import { CampaignsEvents } from '@crescendo/campaigns';
import { JobsEvents, type TrackedJobName } from '@crescendo/jobs';
import { LeadsEvents } from '@crescendo/leads';
import { WebhooksEvents } from '@crescendo/webhooks';
import type { NotificationLevel } from './notification.entity';
import type { NotificationContent } from './notification-messages';
import { NotificationsService } from './notifications.service';

type Built = NotificationContent & {
  level: NotificationLevel;
  /** Notified once per key (per workspace and kind) rather than once per event. */
  once?: string;
};

interface Rule<N extends DomainEventName> {
  /** The notification, or null when this event does not call for one. */
  build: (data: DomainEventPayloads[N]) => Built | null;
}

/**
 * Whether a finished tracked job notifies as a job: agent runs are routine (a failed one notifies as
 * agent.failed); an import says more through import.completed (its counts) but its failure notifies. Keyed by
 * every tracked job's name: a new tracked job left out, or a name that is not one, fails the compilation.
 */
const JOB_OUTCOMES: Record<TrackedJobName, { completed: boolean; failed: boolean }> = {
  'leads.import': { completed: false, failed: true },
  'leads.export': { completed: true, failed: true },
  'gdpr.export': { completed: true, failed: true },
  'studio.compose': { completed: true, failed: true },
  'ai.media': { completed: true, failed: true },
  'ai.generate': { completed: true, failed: true },
  'agents.run': { completed: false, failed: false },
};

/** Which domain events notify, with what (texts: notification-messages.ts; switches: notification-kinds.ts). */
const rules: { [N in DomainEventName]?: Rule<N> } = {
  [LeadsEvents.ImportCompleted]: {
    build: (d) => ({
      kind: 'import.completed',
      level: d.failed ? 'warning' : 'success',
      params: { inserted: d.inserted, updated: d.updated, skipped: d.skipped, failed: d.failed },
    }),
  },
  [WebhooksEvents.WebhookReceived]: {
    build: (d) => (d.leadId ? { kind: 'webhook.received', level: 'info', params: { source: String(d.source) } } : null),
  },
  [LeadsEvents.LeadStatusChanged]: {
    // Only conversions: every status change would drown the list.
    build: (d) =>
      d.to === 'converted' ? { kind: 'lead.status_changed', level: 'success', params: { name: d.lead.name } } : null,
  },
  [CampaignsEvents.CampaignStatusChanged]: {
    build: (d) => ({ kind: 'campaign.status_changed', level: 'info', params: { from: d.from, to: d.to } }),
  },
  [JobsEvents.JobCompleted]: {
    build: (d) =>
      JOB_OUTCOMES[d.name].completed ? { kind: 'job.completed', level: 'success', params: { job: d.name } } : null,
  },
  [AutomationEvents.AutomationRunFailed]: {
    // The first failure in a row, and the one that pauses the rule: not one per lead of a rule that keeps failing.
    build: (d) =>
      d.paused || d.consecutiveFailures === 1
        ? {
            kind: 'automation.run_failed',
            level: 'error',
            params: {
              ruleName: d.ruleName,
              consecutiveFailures: d.consecutiveFailures,
              error: d.error,
              paused: !!d.paused,
            },
          }
        : null,
  },
  [AiToolsEvents.AiQuotaReached]: {
    build: (d) => ({
      kind: 'ai.quota_reached',
      level: d.percent === 100 ? 'error' : 'warning',
      params: { percent: d.percent, used: d.used, limit: d.limit, resetAt: d.resetAt },
      // Once a month per threshold: a unit given back and taken again does not notify twice.
      once: `${d.period}:${d.percent}`,
    }),
  },
  [JobsEvents.JobFailed]: {
    build: (d) => {
      const reason = d.message || null;
      if (d.name === 'agents.run') return { kind: 'agent.failed', level: 'error', params: { reason } };
      return JOB_OUTCOMES[d.name].failed
        ? { kind: 'job.failed', level: 'error', params: { job: d.name, reason } }
        : null;
    },
  },
};

/** The rule of an event and what it builds (one name at a time, so that the rule's data is the event's). */
function notificationOf<N extends DomainEventName>(event: DomainEventOf<N>): Built | null {
  const rule = rules[event.type] as Rule<N> | undefined;
  return rule?.build(event.data) ?? null;
}

/** Worker side: turns domain events into in-app notifications, honouring the workspace's in-app switches. */
@Injectable()
export class NotificationsFeeder {
  constructor(private readonly notifications: NotificationsService) {}

  @OnDomainEvent()
  async onEvent(event: DomainEvent): Promise<void> {
    const built = notificationOf(event);
    if (!built) return;
    const { once, ...content } = built;
    await this.notifications.notify({
      ...content,
      workspaceId: event.workspaceId,
      eventId: once ? stableUuid(`${event.workspaceId}:${event.type}:${once}`) : event.id,
      data: pick(event.data as unknown as Record<string, unknown>, [
        'leadId',
        'jobId',
        'name',
        'agentId',
        'ruleId',
        'percent',
        'period',
      ]),
    });
  }
}

const pick = (data: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => data[k] !== undefined).map((k) => [k, data[k]]));
