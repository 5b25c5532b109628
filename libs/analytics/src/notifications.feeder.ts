import { Injectable } from '@nestjs/common';
import { type DomainEvent, DomainEventType, OnDomainEvent } from '@crescendo/platform';
import { type NotificationEventsDto, WorkspaceSettingsService } from '@crescendo/settings';
import type { NotificationLevel } from './notification.entity';
import { NotificationsService } from './notifications.service';

interface Rule {
  /** The in-app switch (notification settings) that turns it on. */
  setting: keyof NotificationEventsDto;
  /** The notification, or null when this event does not call for one. */
  build: (data: Record<string, unknown>) => { level: NotificationLevel; message: string } | null;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const num = (value: unknown) => (typeof value === 'number' ? value : 0);

/** Which domain events notify, under which setting, saying what. */
const rules: Partial<Record<DomainEventType, Rule>> = {
  [DomainEventType.ImportCompleted]: {
    setting: 'jobCompleted',
    build: (d) => ({
      level: num(d.failed) ? 'warning' : 'success',
      message:
        `Import finished: ${num(d.inserted)} created, ${num(d.updated)} updated, ` +
        `${num(d.skipped)} skipped, ${num(d.failed)} failed`,
    }),
  },
  [DomainEventType.WebhookReceived]: {
    setting: 'newLead',
    build: (d) => (d.leadId ? { level: 'info', message: `Lead received from the ${text(d.source)} webhook` } : null),
  },
  [DomainEventType.LeadStatusChanged]: {
    setting: 'leadStatusChanged',
    // Only conversions: every status change would drown the list.
    build: (d) =>
      d.to === 'converted'
        ? { level: 'success', message: `Lead ${text((d.lead as { name?: unknown } | undefined)?.name)} converted` }
        : null,
  },
  [DomainEventType.CampaignStatusChanged]: {
    setting: 'campaignStatusChanged',
    build: (d) => ({ level: 'info', message: `A campaign went from ${text(d.from)} to ${text(d.to)}` }),
  },
};

/** The notification-settings switch that governs notifications of this kind (domain event type). */
export function settingOf(kind: string): keyof NotificationEventsDto | null {
  return rules[kind as DomainEventType]?.setting ?? null;
}

/** Worker side: turns domain events into in-app notifications, honouring the workspace's in-app switches. */
@Injectable()
export class NotificationsFeeder {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly settings: WorkspaceSettingsService,
  ) {}

  @OnDomainEvent()
  async onEvent(event: DomainEvent): Promise<void> {
    const rule = rules[event.type];
    const built = rule?.build(event.data);
    if (!rule || !built) return;
    const { inApp } = await this.settings.getNotifications(event.workspaceId);
    if (!inApp[rule.setting]) return;
    await this.notifications.record({
      workspaceId: event.workspaceId,
      eventId: event.id,
      kind: event.type,
      level: built.level,
      message: built.message,
      data: event.data.leadId ? { leadId: event.data.leadId } : {},
    });
  }
}
