import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig, MailOutboxEntity } from '@crescendo/platform';
import { LogsService } from '@crescendo/audit';
import { OneTimeTokenEntity, RefreshTokenEntity } from '@crescendo/identity';

/** Revoked sessions are kept this long (support, forensics) before they are deleted. */
export const REVOKED_SESSION_RETENTION_DAYS = 7;
/** Sent mails are kept this long in the outbox. */
export const SENT_MAIL_RETENTION_DAYS = 30;

export interface CleanupResult {
  cleaned: number;
  details: { refreshTokens: number; oneTimeTokens: number; auditLogs: number; mails: number };
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

/** Deletes what has outlived its use; run daily by the worker and on demand by GET /api/cron/cleanup. */
@Injectable()
export class CleanupService {
  private readonly logger = new Logger(CleanupService.name);

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(RefreshTokenEntity) private readonly refreshTokens: Repository<RefreshTokenEntity>,
    @InjectRepository(OneTimeTokenEntity) private readonly oneTimeTokens: Repository<OneTimeTokenEntity>,
    private readonly auditLogs: LogsService,
    @InjectRepository(MailOutboxEntity) private readonly mails: Repository<MailOutboxEntity>,
  ) {}

  async run(): Promise<CleanupResult> {
    const now = new Date();
    const refreshTokens = await this.refreshTokens
      .createQueryBuilder()
      .delete()
      .where('expires_at <= :now', { now })
      .orWhere('revoked_at < :revokedBefore', { revokedBefore: daysAgo(REVOKED_SESSION_RETENTION_DAYS) })
      .execute();
    const oneTimeTokens = await this.oneTimeTokens
      .createQueryBuilder()
      .delete()
      .where('expires_at <= :now', { now })
      .orWhere('used_at IS NOT NULL')
      .execute();
    const auditLogs = await this.auditLogs.purgeOlderThan(this.config.env.LOG_RETENTION_DAYS);
    const mails = await this.mails
      .createQueryBuilder()
      .delete()
      .where("status = 'sent'")
      .andWhere('COALESCE(sent_at, created_at) < :before', { before: daysAgo(SENT_MAIL_RETENTION_DAYS) })
      .execute();

    const details = {
      refreshTokens: refreshTokens.affected ?? 0,
      oneTimeTokens: oneTimeTokens.affected ?? 0,
      auditLogs,
      mails: mails.affected ?? 0,
    };
    const cleaned = Object.values(details).reduce((sum, n) => sum + n, 0);
    this.logger.log({ cleaned, ...details }, 'Cleanup done');
    return { cleaned, details };
  }
}
