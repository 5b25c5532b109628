import { Injectable, Logger } from '@nestjs/common';
import { WorkspaceMembersService } from '@crescendo/identity';
import { AppConfig, MailService, OnJob } from '@crescendo/platform';
import { AnalyticsJobs } from './analytics.jobs';
import { WorkspaceSettingsService } from '@crescendo/settings';
import { timeAgo } from './human-time';
import { settingOf } from './notification-kinds';
import { notificationText, notificationTexts } from './notification-messages';
import { NotificationsRepository } from './notifications.repository';

/** The local hour (workspace time zone) digests go out. */
export const DIGEST_HOUR = 8;
/** How far back a first digest looks, and how long a notification may wait for one. */
const LOOKBACK_DAYS = 8;

/** Hour, minute and weekday of an instant in a time zone. */
function localTime(now: Date, timeZone: string): { hour: number; minute: number; weekday: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'long',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { hour: Number(part('hour')), minute: Number(part('minute')), weekday: part('weekday').toLowerCase() };
}

/** Whether HH:mm falls in [start, end), a span that may cross midnight. */
function inQuietHours(time: { hour: number; minute: number }, quiet: { enabled: boolean; start: string; end: string }) {
  if (!quiet.enabled) return false;
  const at = time.hour * 60 + time.minute;
  const [start, end] = [quiet.start, quiet.end].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));
  return start <= end ? at >= start && at < end : at >= start || at < end;
}

export interface DigestRun {
  workspaces: number;
  sent: number;
}

/**
 * The e-mail digest of the notification settings: at DIGEST_HOUR in the workspace time zone (every day, or on the
 * first day of the week), outside quiet hours, the active members get one e-mail (through the mail outbox)
 * listing the notifications since the last digest whose e-mail switch is on. Each notification is considered by
 * one digest only (emailed_at), so a re-run sends nothing twice.
 */
@Injectable()
export class NotificationsDigestService {
  private readonly logger = new Logger(NotificationsDigestService.name);

  constructor(
    private readonly repository: NotificationsRepository,
    private readonly settings: WorkspaceSettingsService,
    private readonly members: WorkspaceMembersService,
    private readonly mail: MailService,
    private readonly config: AppConfig,
  ) {}

  @OnJob(AnalyticsJobs.SendNotificationDigests)
  scheduled(): Promise<DigestRun> {
    return this.run(new Date());
  }

  async run(now: Date): Promise<DigestRun> {
    const since = new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);
    const workspaces = await this.repository.workspacesAwaitingDigest(since);
    let sent = 0;
    for (const id of workspaces) {
      try {
        if (await this.digest(id, now, since)) sent += 1;
      } catch (error) {
        this.logger.warn({ err: error, workspaceId: id }, 'Digest not sent');
      }
    }
    return { workspaces: workspaces.length, sent };
  }

  /** Sends the workspace's digest if it is due; answers whether one went out. */
  private async digest(workspaceId: string, now: Date, since: Date): Promise<boolean> {
    const [notifications, general] = await Promise.all([
      this.settings.getNotifications(workspaceId),
      this.settings.getGeneral(workspaceId),
    ]);
    if (notifications.digestFrequency === 'none') return false;
    const local = localTime(now, general.timezone);
    if (local.hour !== DIGEST_HOUR || inQuietHours(local, notifications.quietHours)) return false;
    if (notifications.digestFrequency === 'weekly' && local.weekday !== general.weekStartsOn) return false;

    return this.repository.transaction(async (manager) => {
      // Claimed under lock: two workers running the job at once send one digest.
      const rows = await this.repository.claimForDigest(manager, workspaceId, since, now);
      const included = rows
        .filter((r) => {
          const setting = settingOf(r.kind);
          // Unknown kinds stay out; always-on kinds (null) go in.
          return setting === null || (setting !== undefined && notifications.email[setting]);
        })
        .sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime());
      if (!included.length) return false;
      const recipients = await this.members.activeMembers(workspaceId);
      // Each member reads it in their own language (their preferences), else the workspace's.
      const languages = await this.mail.languagesOf(
        recipients.map((r) => r.userId),
        workspaceId,
      );
      const frequency = notifications.digestFrequency === 'daily' ? 'daily' : 'weekly';
      for (const recipient of recipients) {
        const language = languages.get(recipient.userId)!;
        const texts = notificationTexts(language);
        const lines = included.map(
          (r) => `• ${notificationText(r, language)} (${timeAgo(new Date(r.created_at), now, language)})`,
        );
        const text = [
          ...lines,
          '',
          texts.digest.seeAll(`${this.config.env.APP_URL}/#/notifications`),
          texts.digest.settings,
        ].join('\n');
        const subject = texts.digest.subject(frequency, included.length);
        await this.mail.send({ to: recipient.email, subject, text, template: 'notification-digest', workspaceId });
      }
      return recipients.length > 0;
    });
  }
}
