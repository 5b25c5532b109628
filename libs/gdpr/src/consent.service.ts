import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CursorCodec, CursorPaginated, queryBuilderList } from '@crescendo/platform';
import type { ClientMeta } from './client-meta';
import { ConsentRecordEntity } from './consent-record.entity';
import { ConsentPurpose, consentPurposes } from './gdpr.types';
import type {
  ConsentHistoryQueryDto,
  ConsentRecordResponseDto,
  ConsentResponseDto,
  UpdateConsentDto,
  UpdateConsentResponseDto,
} from './gdpr.dto';

/** The privacy policy the consent choices refer to; a new version is a new record on the next change. */
export const PRIVACY_POLICY_VERSION = '2026-01';

/** Consent per purpose: each change is a new record (who, what, when, from where, under which policy). */
@Injectable()
export class ConsentService {
  constructor(
    @InjectRepository(ConsentRecordEntity) private readonly records: Repository<ConsentRecordEntity>,
    private readonly cursors: CursorCodec,
  ) {}

  async current(userId: string): Promise<ConsentResponseDto> {
    const latest = await this.records
      .createQueryBuilder('c')
      .distinctOn(['c.purpose'])
      .where('c.user_id = :userId', { userId })
      .orderBy('c.purpose')
      .addOrderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
    const granted = new Map(latest.map((r) => [r.purpose, r.granted]));
    return {
      consent: {
        necessary: true,
        analytics: granted.get(ConsentPurpose.Analytics) ?? false,
        marketing: granted.get(ConsentPurpose.Marketing) ?? false,
        preferences: granted.get(ConsentPurpose.Preferences) ?? false,
      },
      policyVersion: latest.reduce((v, r) => (r.policyVersion > v ? r.policyVersion : v), PRIVACY_POLICY_VERSION),
    };
  }

  /** Records the purposes whose choice changed (or was never made); the same choice again adds nothing. */
  async update(userId: string, dto: UpdateConsentDto, client: ClientMeta): Promise<UpdateConsentResponseDto> {
    await this.records.manager.transaction(async (manager) => {
      // One change at a time per user, so two tabs cannot both decide a purpose changed.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`consent:${userId}`]);
      const now = await this.currentIn(manager.getRepository(ConsentRecordEntity), userId);
      const rows = consentPurposes
        .filter((purpose) => dto[purpose] !== undefined && now.get(purpose) !== dto[purpose])
        .map((purpose) =>
          manager.getRepository(ConsentRecordEntity).create({
            userId,
            purpose,
            granted: dto[purpose] as boolean,
            policyVersion: PRIVACY_POLICY_VERSION,
            ip: client.ip,
            userAgent: client.userAgent,
          }),
        );
      if (rows.length) await manager.getRepository(ConsentRecordEntity).insert(rows);
    });
    return { success: true, message: 'Consent preferences updated' };
  }

  /** Every change, newest first. */
  history(userId: string, query: ConsentHistoryQueryDto): Promise<CursorPaginated<ConsentRecordResponseDto>> {
    return queryBuilderList(this.records.createQueryBuilder('c').where('c.user_id = :userId', { userId }), {
      codec: this.cursors,
      scope: `${userId}:consent-history`,
      request: query,
      order: { columns: ['c.created_at', 'c.id'], descending: true },
      map: (r) => ({
        id: r.id,
        purpose: r.purpose,
        granted: r.granted,
        policyVersion: r.policyVersion,
        ip: r.ip,
        userAgent: r.userAgent,
        createdAt: r.createdAt.toISOString(),
      }),
    });
  }

  private async currentIn(repo: Repository<ConsentRecordEntity>, userId: string): Promise<Map<string, boolean>> {
    const latest = await repo
      .createQueryBuilder('c')
      .distinctOn(['c.purpose'])
      .where('c.user_id = :userId', { userId })
      .orderBy('c.purpose')
      .addOrderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
    return new Map(latest.map((r) => [r.purpose, r.granted]));
  }
}
