import { Injectable } from '@nestjs/common';
import { type DomainEvent, DomainEventType, OnDomainEvent } from '@crescendo/platform';
import type { NotificationLevel } from './notification.entity';
import { NotificationsService } from './notifications.service';

type Built = { kind?: string; level: NotificationLevel; message: string };

interface Rule {
  /** The notification, or null when this event does not call for one; `kind` defaults to the event type. */
  build: (data: Record<string, unknown>) => Built | null;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const num = (value: unknown) => (typeof value === 'number' ? value : 0);

/** What a finished job is called in a notification (tracked jobs a person waits for). */
const JOB_TITLES: Record<string, string> = {
  'leads.import': 'Lead import',
  'leads.export': 'Lead export',
  'gdpr.export': 'Personal data export',
  'studio.compose': 'Video composition',
  'ai.media': 'AI media generation',
  'ai.generate': 'AI content generation',
};

/** Which domain events notify, saying what. */
const rules: Partial<Record<DomainEventType, Rule>> = {
  [DomainEventType.ImportCompleted]: {
    build: (d) => ({
      level: num(d.failed) ? 'warning' : 'success',
      message:
        `Import finished: ${num(d.inserted)} created, ${num(d.updated)} updated, ` +
        `${num(d.skipped)} skipped, ${num(d.failed)} failed`,
    }),
  },
  [DomainEventType.WebhookReceived]: {
    build: (d) => (d.leadId ? { level: 'info', message: `Lead received from the ${text(d.source)} webhook` } : null),
  },
  [DomainEventType.LeadStatusChanged]: {
    // Only conversions: every status change would drown the list.
    build: (d) =>
      d.to === 'converted'
        ? { level: 'success', message: `Lead ${text((d.lead as { name?: unknown } | undefined)?.name)} converted` }
        : null,
  },
  [DomainEventType.CampaignStatusChanged]: {
    build: (d) => ({ level: 'info', message: `A campaign went from ${text(d.from)} to ${text(d.to)}` }),
  },
  [DomainEventType.JobCompleted]: {
    build: (d) => {
      const name = text(d.name);
      // An import says more through import.completed (its counts); agent runs are routine, only failures notify.
      if (name === 'leads.import' || !JOB_TITLES[name]) return null;
      const message =
        name === 'gdpr.export' ? 'Your personal data export is ready to download' : `${JOB_TITLES[name]} finished`;
      return { level: 'success', message };
    },
  },
  [DomainEventType.JobFailed]: {
    build: (d) => {
      const name = text(d.name);
      const reason = text(d.message);
      if (name === 'agents.run') {
        return {
          kind: 'agent.failed',
          level: 'error',
          message: `An AI agent run failed${reason ? `: ${reason}` : ''}`,
        };
      }
      if (!JOB_TITLES[name]) return null;
      return { level: 'error', message: `${JOB_TITLES[name]} failed${reason ? `: ${reason}` : ''}` };
    },
  },
};

/** Worker side: turns domain events into in-app notifications, honouring the workspace's in-app switches. */
@Injectable()
export class NotificationsFeeder {
  constructor(private readonly notifications: NotificationsService) {}

  @OnDomainEvent()
  async onEvent(event: DomainEvent): Promise<void> {
    const built = rules[event.type]?.build(event.data);
    if (!built) return;
    await this.notifications.notify({
      workspaceId: event.workspaceId,
      eventId: event.id,
      kind: built.kind ?? event.type,
      level: built.level,
      message: built.message,
      data: pick(event.data, ['leadId', 'jobId', 'name', 'agentId']),
    });
  }
}

const pick = (data: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => data[k] !== undefined).map((k) => [k, data[k]]));
