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
import { NotificationsService } from './notifications.service';

type Built = {
  kind?: string;
  level: NotificationLevel;
  message: string;
  /** Notified once per key (per workspace and kind) rather than once per event. */
  once?: string;
};

interface Rule<N extends DomainEventName> {
  /** The notification, or null when this event does not call for one; `kind` defaults to the event type. */
  build: (data: DomainEventPayloads[N]) => Built | null;
}

/**
 * What a finished tracked job is called in a notification; null: its end notifies no one as a job (agent runs are
 * routine, a failed one notifies as agent.failed). Keyed by every tracked job's name: a new tracked job left out,
 * or a name that is not one, fails the compilation.
 */
const JOB_TITLES: Record<TrackedJobName, string | null> = {
  'leads.import': 'Lead import',
  'leads.export': 'Lead export',
  'gdpr.export': 'Personal data export',
  'studio.compose': 'Video composition',
  'ai.media': 'AI media generation',
  'ai.generate': 'AI content generation',
  'agents.run': null,
};

/** Which domain events notify, saying what (the settings' switch of each kind: notification-kinds.ts). */
const rules: { [N in DomainEventName]?: Rule<N> } = {
  [LeadsEvents.ImportCompleted]: {
    build: (d) => ({
      level: d.failed ? 'warning' : 'success',
      message: `Import finished: ${d.inserted} created, ${d.updated} updated, ${d.skipped} skipped, ${d.failed} failed`,
    }),
  },
  [WebhooksEvents.WebhookReceived]: {
    build: (d) => (d.leadId ? { level: 'info', message: `Lead received from the ${d.source} webhook` } : null),
  },
  [LeadsEvents.LeadStatusChanged]: {
    // Only conversions: every status change would drown the list.
    build: (d) => (d.to === 'converted' ? { level: 'success', message: `Lead ${d.lead.name} converted` } : null),
  },
  [CampaignsEvents.CampaignStatusChanged]: {
    build: (d) => ({ level: 'info', message: `A campaign went from ${d.from} to ${d.to}` }),
  },
  [JobsEvents.JobCompleted]: {
    build: (d) => {
      // An import says more through import.completed (its counts); agent runs are routine, only failures notify.
      if (d.name === 'leads.import' || !JOB_TITLES[d.name]) return null;
      const message =
        d.name === 'gdpr.export' ? 'Your personal data export is ready to download' : `${JOB_TITLES[d.name]} finished`;
      return { level: 'success', message };
    },
  },
  [AutomationEvents.AutomationRunFailed]: {
    // The first failure in a row, and the one that pauses the rule: not one per lead of a rule that keeps failing.
    build: (d) =>
      d.paused
        ? {
            level: 'error',
            message: `Automation rule ${d.ruleName} paused after ${d.consecutiveFailures} failed runs in a row: ${d.error}`,
          }
        : d.consecutiveFailures === 1
          ? { level: 'error', message: `Automation rule ${d.ruleName} failed: ${d.error}` }
          : null,
  },
  [AiToolsEvents.AiQuotaReached]: {
    build: (d) => ({
      level: d.percent === 100 ? 'error' : 'warning',
      message:
        d.percent === 100
          ? `The monthly AI generation quota (${d.limit}) is used up; it resets on ${d.resetAt.slice(0, 10)}`
          : `${d.used} of the ${d.limit} AI generations of the month are used (${d.percent} %)`,
      // Once a month per threshold: a unit given back and taken again does not notify twice.
      once: `${d.period}:${d.percent}`,
    }),
  },
  [JobsEvents.JobFailed]: {
    build: (d) => {
      const reason = d.message;
      if (d.name === 'agents.run') {
        return {
          kind: 'agent.failed',
          level: 'error',
          message: `An AI agent run failed${reason ? `: ${reason}` : ''}`,
        };
      }
      if (!JOB_TITLES[d.name]) return null;
      return { level: 'error', message: `${JOB_TITLES[d.name]} failed${reason ? `: ${reason}` : ''}` };
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
    await this.notifications.notify({
      workspaceId: event.workspaceId,
      eventId: built.once ? stableUuid(`${event.workspaceId}:${event.type}:${built.once}`) : event.id,
      kind: built.kind ?? event.type,
      level: built.level,
      message: built.message,
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
