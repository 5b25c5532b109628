import { Injectable } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import {
  AppConfig,
  type DomainEvent,
  type DomainEventName,
  OnDomainEvent,
  OnJob,
  QueueRegistry,
  safePost,
} from '@crescendo/platform';
import { CampaignsEvents } from '@crescendo/campaigns';
import { LeadsEvents } from '@crescendo/leads';
import { SlackNotificationEventsDto } from './notification-settings.dto';
import { WorkspaceSettingsService } from './workspace-settings.service';
import { NotifySlackPayload, SettingsJobs } from './settings.jobs';

const SLACK_TIMEOUT_MS = 10_000;

/** Which Slack switch each domain event answers to; events not listed are never posted. */
const slackSwitchOf: Partial<Record<DomainEventName, keyof SlackNotificationEventsDto>> = {
  [LeadsEvents.LeadCreated]: 'newLead',
  [LeadsEvents.LeadStatusChanged]: 'leadStatusChanged',
  [CampaignsEvents.CampaignStatusChanged]: 'campaignStatusChanged',
  [LeadsEvents.ImportCompleted]: 'importCompleted',
};

/** Worker side: posts the events a workspace switched on to its Slack incoming webhook, as retried jobs. */
@Injectable()
export class SlackNotificationsHandler {
  constructor(
    private readonly config: AppConfig,
    private readonly queues: QueueRegistry,
    private readonly settings: WorkspaceSettingsService,
  ) {}

  /** Quick and idempotent: at most one job per event (its id derives from the event's). */
  @OnDomainEvent()
  async fanOut(event: DomainEvent): Promise<void> {
    const name = slackSwitchOf[event.type];
    if (!name) return;
    const notifications = await this.settings.getNotifications(event.workspaceId);
    if (!notifications.slack[name]) return;
    if (!(await this.settings.resolveIntegrations(event.workspaceId)).slackWebhookUrl) return;
    const { WEBHOOK_DELIVERY_ATTEMPTS: attempts, WEBHOOK_RETRY_DELAY_MS: delay } = this.config.env;
    await this.queues.enqueue(
      SettingsJobs.NotifySlack,
      { workspaceId: event.workspaceId, event },
      { jobId: `slack-${event.id}`, attempts, backoff: { type: 'exponential', delay } },
    );
  }

  /** One attempt; the URL is read now (it may have changed or gone) and checked again at connection time. */
  @OnJob(SettingsJobs.NotifySlack)
  async deliver(payload: NotifySlackPayload, job: Job): Promise<{ delivered: boolean }> {
    const { slackWebhookUrl } = await this.settings.resolveIntegrations(payload.workspaceId);
    if (!slackWebhookUrl) return { delivered: false };
    const body = JSON.stringify({ text: slackText(payload.event) });
    let status: number;
    try {
      ({ status } = await safePost(
        slackWebhookUrl,
        body,
        {},
        {
          allowPrivate: this.config.env.WEBHOOKS_ALLOW_PRIVATE_URLS,
          timeoutMs: SLACK_TIMEOUT_MS,
        },
      ));
    } catch (error) {
      throw new Error(`Slack notification failed (attempt ${job.attemptsMade + 1}): ${(error as Error).message}`);
    }
    if (status >= 200 && status < 300) return { delivered: true };
    const message = `Slack answered ${status} (attempt ${job.attemptsMade + 1})`;
    // A 4xx other than 429 (revoked webhook, bad payload) will not get better by retrying.
    throw status >= 400 && status < 500 && status !== 429 ? new UnrecoverableError(message) : new Error(message);
  }
}

/** The one line posted for an event. */
export function slackText(event: DomainEvent): string {
  switch (event.type) {
    case LeadsEvents.LeadCreated:
      return `New lead: ${event.data.lead.name}`;
    case LeadsEvents.LeadStatusChanged:
      return `Lead ${event.data.lead.name}: status ${event.data.from} → ${event.data.to}`;
    case CampaignsEvents.CampaignStatusChanged:
      return `Campaign ${event.data.campaignId}: ${event.data.from} → ${event.data.to}`;
    case LeadsEvents.ImportCompleted:
      return `Leads import finished: ${event.data.inserted} created, ${event.data.updated} updated, ${event.data.failed} failed`;
    default:
      return event.type;
  }
}
