import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import {
  badRequest,
  CursorCodec,
  CursorPaginated,
  notFound,
  Permission,
  Principal,
  queryBuilderList,
  randomToken,
  safeEqual,
  sha256,
  unauthorized,
} from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyResponseDto, CreateApiKeyDto, CreatedApiKeyResponseDto, ListApiKeysQueryDto } from './api-keys.dto';

export const API_KEY_PREFIX = 'crk_';
/** lastUsedAt and the "key used" audit entry are written at most this often per key. */
const USE_RECORD_INTERVAL_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    private readonly audit: AuditService,
    private readonly cursors: CursorCodec,
  ) {}

  async create(principal: Principal, dto: CreateApiKeyDto): Promise<CreatedApiKeyResponseDto> {
    const scopes = [...new Set(dto.scopes)];
    const beyond = scopes.filter((s) => !principal.permissions.includes(s));
    if (beyond.length) {
      throw badRequest(
        'SCOPE_NOT_ALLOWED',
        'An API key cannot carry permissions its creator does not have',
        beyond.map((scope) => ({ field: 'scopes', message: `you do not have ${scope}` })),
      );
    }
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw badRequest('VALIDATION_FAILED', 'expiresAt must be in the future', [
        { field: 'expiresAt', message: 'expiresAt must be in the future' },
      ]);
    }
    const prefix = `${API_KEY_PREFIX}${randomBytes(6).toString('hex')}`;
    const secret = `${prefix}_${randomToken(32)}`;
    const row = await this.keys.save(
      this.keys.create({
        workspaceId: principal.workspaceId,
        createdById: principal.userId,
        name: dto.name,
        prefix,
        keyHash: sha256(secret),
        scopes,
        expiresAt,
      }),
    );
    await this.audit.record({
      type: LogType.Admin,
      action: 'api_key_created',
      message: `API key ${dto.name} (${prefix}) created`,
      metadata: { apiKeyId: row.id, scopes },
    });
    return { ...this.toDto(row), key: secret };
  }

  /** Newest first (IDX_api_keys_list), by cursor or page number, with a bounded total; revoked keys on request. */
  list(workspaceId: string, query: ListApiKeysQueryDto): Promise<CursorPaginated<ApiKeyResponseDto>> {
    const qb = this.keys.createQueryBuilder('k').where('k.workspace_id = :workspaceId', { workspaceId });
    if (!query.includeRevoked) qb.andWhere('k.revoked_at IS NULL');
    return queryBuilderList(qb, {
      codec: this.cursors,
      // The filter is in the scope: a cursor of the list with revoked keys is refused by the list without them.
      scope: `${workspaceId}:api-keys:${query.includeRevoked ? 'all' : 'live'}`,
      request: query,
      order: { columns: ['k.created_at', 'k.id'], descending: true },
      map: (r) => this.toDto(r),
    });
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    const row = await this.keys.findOne({ where: { id, workspaceId: principal.workspaceId, revokedAt: IsNull() } });
    if (!row) throw notFound('API_KEY_NOT_FOUND', 'API key not found');
    await this.keys.update(row.id, { revokedAt: new Date() });
    await this.audit.record({
      type: LogType.Admin,
      action: 'api_key_revoked',
      message: `API key ${row.name} (${row.prefix}) revoked`,
      metadata: { apiKeyId: row.id },
    });
  }

  /** Verifies a presented key and returns the principal it acts as: its workspace, with its scopes. */
  async authenticate(presented: string, route: { method: string; path: string }): Promise<Principal> {
    const prefix = presented.slice(0, presented.indexOf('_', API_KEY_PREFIX.length));
    const row = prefix ? await this.keys.findOne({ where: { prefix } }) : null;
    if (!row || !safeEqual(row.keyHash, sha256(presented)))
      throw unauthorized('INVALID_API_KEY', 'The API key is invalid');
    if (row.revokedAt) throw unauthorized('API_KEY_REVOKED', 'The API key has been revoked');
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now())
      throw unauthorized('API_KEY_EXPIRED', 'The API key has expired');

    const now = Date.now();
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > USE_RECORD_INTERVAL_MS) {
      await this.keys.update(row.id, { lastUsedAt: new Date(now) });
      await this.audit.record({
        type: LogType.Auth,
        action: 'api_key_used',
        message: `API key ${row.prefix} used`,
        workspaceId: row.workspaceId,
        userId: row.createdById,
        apiKeyId: row.id,
        metadata: { route: route.path, method: route.method },
      });
    }
    return {
      kind: 'api_key',
      userId: row.createdById ?? '',
      workspaceId: row.workspaceId,
      role: null,
      permissions: row.scopes as Permission[],
      apiKeyId: row.id,
    };
  }

  private toDto(row: ApiKeyEntity): ApiKeyResponseDto {
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      scopes: row.scopes,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
    };
  }
}
