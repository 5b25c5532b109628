import { Injectable } from '@nestjs/common';
import {
  type DomainEvent,
  type DomainEventName,
  type DomainEventOf,
  type DomainEventPayloads,
  OnDomainEvent,
} from '@crescendo/platform';
import { CampaignsEvents } from '@crescendo/campaigns';
import { LeadsEvents } from '@crescendo/leads';
import { type NotificationEventsDto, WorkspaceSettingsService } from '@crescendo/settings';
import { WebhooksEvents } from '@crescendo/webhooks';
import type { NotificationLevel } from './notification.entity';
import { NotificationsService } from './notifications.service';

interface Rule<N extends DomainEventName> {
  /** The in-app switch (notification settings) that turns it on. */
  setting: keyof NotificationEventsDto;
  /** The notification, or null when this event does not call for one. */
  build: (data: DomainEventPayloads[N]) => { level: NotificationLevel; message: string } | null;
}

/** Which domain events notify, under which setting, saying what. */
const rules: { [N in DomainEventName]?: Rule<N> } = {
  [LeadsEvents.ImportCompleted]: {
    setting: 'jobCompleted',
    build: (d) => ({
      level: d.failed ? 'warning' : 'success',
      message: `Import finished: ${d.inserted} created, ${d.updated} updated, ${d.skipped} skipped, ${d.failed} failed`,
    }),
  },
  [WebhooksEvents.WebhookReceived]: {
    setting: 'newLead',
    build: (d) => (d.leadId ? { level: 'info', message: `Lead received from the ${d.source} webhook` } : null),
  },
  [LeadsEvents.LeadStatusChanged]: {
    setting: 'leadStatusChanged',
    // Only conversions: every status change would drown the list.
    build: (d) => (d.to === 'converted' ? { level: 'success', message: `Lead ${d.lead.name} converted` } : null),
  },
  [CampaignsEvents.CampaignStatusChanged]: {
    setting: 'campaignStatusChanged',
    build: (d) => ({ level: 'info', message: `A campaign went from ${d.from} to ${d.to}` }),
  },
};

/** The rule of an event and what it builds (one name at a time, so that the rule's data is the event's). */
function notificationOf<N extends DomainEventName>(event: DomainEventOf<N>) {
  const rule = rules[event.type] as Rule<N> | undefined;
  const built = rule?.build(event.data);
  return rule && built ? { setting: rule.setting, ...built } : null;
}

/** The notification-settings switch that governs notifications of this kind (domain event type). */
export function settingOf(kind: string): keyof NotificationEventsDto | null {
  return rules[kind as DomainEventName]?.setting ?? null;
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
    const built = notificationOf(event);
    if (!built) return;
    const { inApp } = await this.settings.getNotifications(event.workspaceId);
    if (!inApp[built.setting]) return;
    await this.notifications.record({
      workspaceId: event.workspaceId,
      eventId: event.id,
      kind: event.type,
      level: built.level,
      message: built.message,
      data: 'leadId' in event.data && event.data.leadId ? { leadId: event.data.leadId } : {},
    });
  }
}
