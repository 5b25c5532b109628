import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal, Role, rolePermissions, unauthorized } from '@crescendo/platform';
import { PrincipalCache, sessionTag, userTag } from './principal.cache';
import type { AccessTokenPayload } from './session.service';

interface PrincipalRow {
  role: Role;
  status: string;
  email: string;
  session_active: boolean;
}

const isAccessPayload = (payload: AccessTokenPayload) =>
  payload.typ === 'access' && !!payload.sub && !!payload.wid && !!payload.sid;
const cacheKey = (payload: AccessTokenPayload) => `${payload.sub}:${payload.wid}:${payload.sid}`;
const cacheTags = (payload: AccessTokenPayload) => [userTag(payload.sub), sessionTag(payload.sid)];

/** Turns a verified access token into a principal, checking the membership and session are still live. */
@Injectable()
export class PrincipalResolver {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: PrincipalCache,
  ) {}

  async fromAccessToken(payload: AccessTokenPayload): Promise<Principal> {
    if (!isAccessPayload(payload)) throw unauthorized('INVALID_TOKEN', 'The access token is invalid');
    return this.cache.resolve(cacheKey(payload), cacheTags(payload), () => this.load(payload));
  }

  /** What fromAccessToken answers when the principal is cached and fresh, without waiting; else undefined. */
  cachedFromAccessToken(payload: AccessTokenPayload): Principal | undefined {
    if (!isAccessPayload(payload)) return undefined;
    return this.cache.cached(cacheKey(payload), cacheTags(payload), () => this.load(payload));
  }

  private async load(payload: AccessTokenPayload): Promise<Principal> {
    const rows: PrincipalRow[] = await this.dataSource.query(
      `SELECT m.role, m.status, u.email,
              EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = $3 AND r.user_id = $1 AND r.revoked_at IS NULL) AS session_active
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.user_id = $1 AND m.workspace_id = $2`,
      [payload.sub, payload.wid, payload.sid],
    );
    const row = rows[0];
    if (!row) throw unauthorized('INVALID_TOKEN', 'The access token is invalid');
    if (row.status !== 'active')
      throw unauthorized('ACCOUNT_DISABLED', 'This account is deactivated in this workspace');
    if (!row.session_active) throw unauthorized('SESSION_REVOKED', 'This session has been signed out');
    return {
      kind: 'user',
      userId: payload.sub,
      workspaceId: payload.wid,
      role: row.role,
      permissions: rolePermissions[row.role] ?? [],
      sessionId: payload.sid,
      email: row.email,
    };
  }
}
