import { Injectable } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import {
  AppConfig,
  type Catalogue,
  type DomainEvent,
  type DomainEventName,
  OnDomainEvent,
  OnJob,
  QueueRegistry,
  safePost,
  statusName,
  toLanguage,
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
    const [{ slackWebhookUrl }, general] = await Promise.all([
      this.settings.resolveIntegrations(payload.workspaceId),
      this.settings.getGeneral(payload.workspaceId),
    ]);
    if (!slackWebhookUrl) return { delivered: false };
    // A channel is no one member: it reads the workspace's default language.
    const body = JSON.stringify({ text: slackText(payload.event, general.defaultLanguage) });
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

interface SlackTexts {
  newLead: (name: string) => string;
  leadStatus: (name: string, from: string, to: string) => string;
  campaignStatus: (id: string, from: string, to: string) => string;
  importCompleted: (d: { inserted: number; updated: number; failed: number }) => string;
}

const en: SlackTexts = {
  newLead: (name) => `New lead: ${name}`,
  leadStatus: (name, from, to) => `Lead ${name}: status ${from} → ${to}`,
  campaignStatus: (id, from, to) => `Campaign ${id}: ${from} → ${to}`,
  importCompleted: (d) => `Leads import finished: ${d.inserted} created, ${d.updated} updated, ${d.failed} failed`,
};

const fr: SlackTexts = {
  newLead: (name) => `Nouveau prospect : ${name}`,
  leadStatus: (name, from, to) => `Prospect ${name} : statut ${from} → ${to}`,
  campaignStatus: (id, from, to) => `Campagne ${id} : ${from} → ${to}`,
  importCompleted: (d) =>
    `Import de prospects terminé : ${d.inserted} créés, ${d.updated} mis à jour, ${d.failed} en échec`,
};

/** What the Slack messages say, per language (the channel reads the workspace's default language). */
export const SLACK_TEXTS: Catalogue<SlackTexts> = { en, fr };

/** The one line posted for an event, in `language` (a BCP 47 tag; anything but French posts English). */
export function slackText(event: DomainEvent, language: string): string {
  const reader = toLanguage(language);
  const texts = SLACK_TEXTS[reader];
  const status = (s: string) => statusName(s, reader);
  switch (event.type) {
    case LeadsEvents.LeadCreated:
      return texts.newLead(event.data.lead.name);
    case LeadsEvents.LeadStatusChanged:
      return texts.leadStatus(event.data.lead.name, status(event.data.from), status(event.data.to));
    case CampaignsEvents.CampaignStatusChanged:
      return texts.campaignStatus(event.data.campaignId, status(event.data.from), status(event.data.to));
    case LeadsEvents.ImportCompleted:
      return texts.importCompleted(event.data);
    default:
      return event.type;
  }
}
