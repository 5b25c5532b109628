import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, MailService } from '@crescendo/platform';
import { LogsService } from '@crescendo/audit';
import { IdentityLookupsService } from '@crescendo/identity';

/** Revoked sessions are kept this long (support, forensics) before they are deleted. */
export const REVOKED_SESSION_RETENTION_DAYS = 7;
/** Sent mails are kept this long in the outbox. */
export const SENT_MAIL_RETENTION_DAYS = 30;

export interface CleanupResult {
  cleaned: number;
  details: { refreshTokens: number; oneTimeTokens: number; auditLogs: number; mails: number };
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

/**
 * Deletes what has outlived its use, each through the feature that owns it; run daily by the worker and on
 * demand by GET /api/cron/cleanup.
 */
@Injectable()
export class CleanupService {
  private readonly logger = new Logger(CleanupService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly identity: IdentityLookupsService,
    private readonly auditLogs: LogsService,
    private readonly mail: MailService,
  ) {}

  async run(): Promise<CleanupResult> {
    const tokens = await this.identity.purgeTokens(daysAgo(REVOKED_SESSION_RETENTION_DAYS));
    const auditLogs = await this.auditLogs.purgeOlderThan(this.config.env.LOG_RETENTION_DAYS);
    const mails = await this.mail.purgeSentBefore(daysAgo(SENT_MAIL_RETENTION_DAYS));

    const details = { ...tokens, auditLogs, mails };
    const cleaned = Object.values(details).reduce((sum, n) => sum + n, 0);
    this.logger.log({ cleaned, ...details }, 'Cleanup done');
    return { cleaned, details };
  }
}
