import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  AiPrivacy,
  AiPrivacySource,
  CursorCodec,
  CursorPaginated,
  ImportedConsent,
  ImportedConsentRecorder,
  ImportedConsentSink,
  Principal,
  SqlRunner,
  queryBuilderList,
} from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import type {
  AiPrivacySettingsDto,
  RecordSubjectConsentDto,
  SubjectConsentQueryDto,
  SubjectConsentRecordResponseDto,
  SubjectConsentStateDto,
  UpdateAiPrivacySettingsDto,
} from './gdpr.dto';
import { RetentionSettingsEntity } from './retention-settings.entity';
import { SubjectConsentRecordEntity } from './subject-consent-record.entity';
import { SubjectConsentPurpose, SubjectConsentSource } from './gdpr.types';

const DEFAULTS: AiPrivacySettingsDto = { aiRedactPii: true, aiRequiresConsent: false };

/**
 * Consent of data subjects who are not users (marketing e-mail, AI processing), kept as a history per e-mail, and
 * the workspace's AI privacy settings. It is the instance's AiPrivacy source: the AI layer and the agents ask it
 * what may leave.
 */
@Injectable()
export class SubjectConsentService implements AiPrivacySource, ImportedConsentSink, OnModuleInit {
  constructor(
    @InjectRepository(SubjectConsentRecordEntity) private readonly records: Repository<SubjectConsentRecordEntity>,
    @InjectRepository(RetentionSettingsEntity) private readonly settings: Repository<RetentionSettingsEntity>,
    private readonly privacy: AiPrivacy,
    private readonly imported: ImportedConsentRecorder,
    private readonly cursors: CursorCodec,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.privacy.use(this);
    this.imported.use(this);
  }

  /**
   * Consent columns of a lead import, in the importer's transaction: a record (source `import`, by the member who
   * imported) for each purpose whose choice differs from the person's newest one; the same choice adds nothing.
   */
  async recordImported(
    run: SqlRunner,
    workspaceId: string,
    recordedById: string | null,
    consents: readonly ImportedConsent[],
  ): Promise<number> {
    const rows = (await run(
      `INSERT INTO subject_consent_records (workspace_id, email, purpose, granted, source, recorded_by_id)
       SELECT $1, i.email, i.purpose, i.granted, $2, $3
         FROM unnest($4::text[], $5::text[], $6::boolean[]) AS i(email, purpose, granted)
         LEFT JOIN LATERAL (
           SELECT c.granted FROM subject_consent_records c
            WHERE c.workspace_id = $1 AND c.email = i.email AND c.purpose = i.purpose
            ORDER BY c.created_at DESC, c.id DESC LIMIT 1) c ON TRUE
        WHERE c.granted IS DISTINCT FROM i.granted
       RETURNING id`,
      [
        workspaceId,
        SubjectConsentSource.Import,
        recordedById,
        consents.map((c) => c.email),
        consents.map((c) => c.purpose),
        consents.map((c) => c.granted),
      ],
    )) as { rows?: unknown[] } | unknown[];
    return Array.isArray(rows) ? rows.length : (rows.rows?.length ?? 0);
  }

  async aiSettings(workspaceId: string): Promise<AiPrivacySettingsDto> {
    const row = await this.settings.findOneBy({ workspaceId });
    return row ? { aiRedactPii: row.aiRedactPii, aiRequiresConsent: row.aiRequiresConsent } : { ...DEFAULTS };
  }

  async updateAiSettings(principal: Principal, dto: UpdateAiPrivacySettingsDto): Promise<AiPrivacySettingsDto> {
    const next = { ...(await this.aiSettings(principal.workspaceId)) };
    if (dto.aiRedactPii !== undefined) next.aiRedactPii = dto.aiRedactPii;
    if (dto.aiRequiresConsent !== undefined) next.aiRequiresConsent = dto.aiRequiresConsent;
    await this.settings.upsert({ workspaceId: principal.workspaceId, ...next }, ['workspaceId']);
    await this.audit.record({
      type: LogType.Admin,
      action: 'gdpr.ai_privacy_updated',
      message: 'AI privacy settings updated',
      workspaceId: principal.workspaceId,
      userId: principal.kind === 'user' ? principal.userId : null,
      apiKeyId: principal.apiKeyId ?? null,
      metadata: { ...next },
    });
    return next;
  }

  async redactsPii(workspaceId: string): Promise<boolean> {
    return (await this.aiSettings(workspaceId)).aiRedactPii;
  }

  async withheldFromAi(workspaceId: string, emails: readonly string[]): Promise<Set<string>> {
    const { aiRequiresConsent } = await this.aiSettings(workspaceId);
    const rows: Array<{ email: string }> = await this.records.query(
      `SELECT e.email FROM unnest($2::text[]) AS e(email)
         LEFT JOIN LATERAL (
           SELECT c.granted FROM subject_consent_records c
            WHERE c.workspace_id = $1 AND c.email = e.email AND c.purpose = $3
            ORDER BY c.created_at DESC, c.id DESC LIMIT 1) c ON TRUE
        WHERE c.granted = FALSE OR (c.granted IS NULL AND $4)`,
      [
        workspaceId,
        [...new Set(emails.map((e) => e.toLowerCase()))],
        SubjectConsentPurpose.AiProcessing,
        aiRequiresConsent,
      ],
    );
    return new Set(rows.map((r) => r.email));
  }

  async state(workspaceId: string, email: string): Promise<SubjectConsentStateDto> {
    const latest = await this.records
      .createQueryBuilder('c')
      .distinctOn(['c.purpose'])
      .where('c.workspace_id = :workspaceId AND c.email = :email', { workspaceId, email })
      .orderBy('c.purpose')
      .addOrderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
    const granted = new Map(latest.map((r) => [r.purpose, r.granted]));
    const withheld = await this.withheldFromAi(workspaceId, [email]);
    return {
      email,
      marketingEmail: granted.get(SubjectConsentPurpose.MarketingEmail) ?? null,
      aiProcessing: granted.get(SubjectConsentPurpose.AiProcessing) ?? null,
      aiAllowed: !withheld.has(email),
    };
  }

  /** Records the purposes whose choice changed (or was never recorded); the same choice again adds nothing. */
  async record(
    principal: Principal,
    dto: RecordSubjectConsentDto,
    source = SubjectConsentSource.Manual,
  ): Promise<SubjectConsentStateDto> {
    const { workspaceId } = principal;
    await this.records.manager.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `subject-consent:${workspaceId}:${dto.email}`,
      ]);
      const now = await this.state(workspaceId, dto.email);
      const changes: Array<[SubjectConsentPurpose, boolean | undefined, boolean | null]> = [
        [SubjectConsentPurpose.MarketingEmail, dto.marketingEmail, now.marketingEmail],
        [SubjectConsentPurpose.AiProcessing, dto.aiProcessing, now.aiProcessing],
      ];
      const rows = changes
        .filter(([, wanted, current]) => wanted !== undefined && wanted !== current)
        .map(([purpose, granted]) => ({
          workspaceId,
          email: dto.email,
          purpose,
          granted: granted as boolean,
          source,
          recordedById: principal.kind === 'user' && principal.userId ? principal.userId : null,
        }));
      if (rows.length) await manager.getRepository(SubjectConsentRecordEntity).insert(rows);
    });
    return this.state(workspaceId, dto.email);
  }

  /** Every change recorded for the person, newest first. */
  history(
    workspaceId: string,
    query: SubjectConsentQueryDto,
  ): Promise<CursorPaginated<SubjectConsentRecordResponseDto>> {
    return queryBuilderList(
      this.records
        .createQueryBuilder('c')
        .where('c.workspace_id = :workspaceId AND c.email = :email', { workspaceId, email: query.email }),
      {
        codec: this.cursors,
        scope: `${workspaceId}:subject-consent:${query.email}`,
        request: query,
        order: { columns: ['c.created_at', 'c.id'], descending: true },
        map: (r) => ({
          id: r.id,
          purpose: r.purpose,
          granted: r.granted,
          source: r.source,
          recordedById: r.recordedById,
          createdAt: r.createdAt.toISOString(),
        }),
      },
    );
  }
}
