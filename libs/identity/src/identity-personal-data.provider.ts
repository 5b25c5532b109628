import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  camelRow,
  ErasureContext,
  pagedQuery,
  PersonalDataProvider,
  PersonalDataRegistry,
  PersonalDataSink,
  Role,
} from '@crescendo/platform';
import { PrincipalCache, userTag } from './auth/principal.cache';

export interface UserWorkspace {
  workspaceId: string;
  role: Role;
  /** No other active owner: erasing the user deletes the workspace. */
  soleOwner: boolean;
}

/**
 * Identity's personal data: the profile, memberships, sessions and API keys (never a password hash, a
 * refresh-token hash or a key hash). Erased last: the user row itself goes, so the e-mail is free again.
 */
@Injectable()
export class IdentityPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'identity';
  readonly tables = [
    'users',
    'memberships',
    'refresh_tokens',
    'one_time_tokens',
    'api_keys',
    'invitations',
    'workspaces',
    // Linked Google/GitHub accounts: deleted with the user (ON DELETE CASCADE).
    'oauth_identities',
  ];
  readonly erasureOrder = 100;

  constructor(
    private readonly registry: PersonalDataRegistry,
    @InjectDataSource() private readonly db: DataSource,
    private readonly principals: PrincipalCache,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /** The workspaces the user is an active member of, and whether they are its only owner. */
  async workspacesOf(userId: string): Promise<UserWorkspace[]> {
    const rows: Array<{ workspace_id: string; role: Role; other_owners: number }> = await this.db.query(
      `SELECT m.workspace_id, m.role,
              (SELECT count(*)::int FROM memberships o
                WHERE o.workspace_id = m.workspace_id AND o.user_id <> m.user_id
                  AND o.role = 'owner' AND o.status = 'active') AS other_owners
         FROM memberships m WHERE m.user_id = $1 AND m.status = 'active' ORDER BY m.workspace_id`,
      [userId],
    );
    return rows.map((r) => ({
      workspaceId: r.workspace_id,
      role: r.role,
      soleOwner: r.role === Role.Owner && r.other_owners === 0,
    }));
  }

  async exists(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM users WHERE id = $1`, [userId]);
    return rows.length > 0;
  }

  async emailOf(userId: string): Promise<string | null> {
    const [row]: Array<{ email: string }> = await this.db.query(`SELECT email FROM users WHERE id = $1`, [userId]);
    return row?.email ?? null;
  }

  /**
   * First step of an erasure: the user's sessions, API keys and memberships go, on every replica, so that no
   * request of theirs can write new data while the features erase the old.
   */
  async lockOut(userId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      // The tombstone. FOR UPDATE waits for every transaction that already wrote a row naming the user (its
      // write locked the user row FOR KEY SHARE: a foreign key or the erased-user guard, migration
      // ErasedUserGuard), so what the features erase next includes those rows; writes after it are refused.
      await manager.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [userId]);
      await manager.query(`UPDATE users SET erased_at = now() WHERE id = $1`, [userId]);
      await manager.query(`DELETE FROM refresh_tokens WHERE user_id = $1`, [userId]);
      await manager.query(`DELETE FROM api_keys WHERE created_by_id = $1`, [userId]);
      await manager.query(`DELETE FROM memberships WHERE user_id = $1`, [userId]);
    });
    await this.principals.invalidate(userTag(userId));
  }

  async exportFor(userId: string, _owned: readonly string[], sink: PersonalDataSink): Promise<void> {
    const query = (sql: string, params: unknown[]) => this.db.query(sql, params);
    const profile: Array<Record<string, unknown>> = await this.db.query(
      `SELECT id, email, name, subscription, bio, avatar_url, timezone, locale, terms_accepted_at, last_login_at,
              created_at, updated_at
         FROM users WHERE id = $1`,
      [userId],
    );
    await sink.section('profile', profile.map(camelRow));
    await sink.section(
      'memberships',
      pagedQuery(
        query,
        `SELECT m.id, m.workspace_id, w.name AS workspace_name, m.role, m.status, m.created_at
           FROM memberships m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = $1`,
        [userId],
      ),
    );
    await sink.section(
      'sessions',
      pagedQuery(
        query,
        `SELECT id, family_id, workspace_id, remember_me, user_agent, ip, created_at, expires_at, rotated_at,
                revoked_at, revoked_reason
           FROM refresh_tokens WHERE user_id = $1`,
        [userId],
      ),
    );
    await sink.section(
      'apiKeys',
      pagedQuery(
        query,
        `SELECT id, workspace_id, name, prefix, scopes, expires_at, last_used_at, revoked_at, created_at
           FROM api_keys WHERE created_by_id = $1`,
        [userId],
      ),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    await this.db.transaction(async (manager) => {
      const [user]: Array<{ email: string }> = await manager.query(`SELECT email FROM users WHERE id = $1 FOR UPDATE`, [
        userId,
      ]);
      if (!user) return;
      // A workspace the user owned on paper but shares with another owner passes to that owner.
      await manager.query(
        `UPDATE workspaces w SET owner_id = (
            SELECT o.user_id FROM memberships o
             WHERE o.workspace_id = w.id AND o.user_id <> $1 AND o.role = 'owner' AND o.status = 'active'
             ORDER BY o.created_at LIMIT 1)
          WHERE w.owner_id = $1 AND w.id = ANY($2::uuid[])`,
        [userId, ctx.sharedWorkspaceIds],
      );
      await manager.query(`DELETE FROM api_keys WHERE created_by_id = $1`, [userId]);
      await manager.query(`UPDATE memberships SET invited_by_id = NULL WHERE invited_by_id = $1`, [userId]);
      await manager.query(`UPDATE invitations SET invited_by_id = NULL WHERE invited_by_id = $1`, [userId]);
      await manager.query(`DELETE FROM invitations WHERE email = $1`, [user.email]);
      // Memberships, refresh tokens and one-time tokens go with the row (ON DELETE CASCADE).
      await manager.query(`DELETE FROM one_time_tokens WHERE user_id = $1`, [userId]);
      await manager.query(`DELETE FROM refresh_tokens WHERE user_id = $1`, [userId]);
      await manager.query(`DELETE FROM memberships WHERE user_id = $1`, [userId]);
      await manager.query(`DELETE FROM users WHERE id = $1`, [userId]);
    });
    // Access tokens still in flight stop resolving on every replica.
    await this.principals.invalidate(userTag(userId));
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    // What other features did not delete themselves goes by ON DELETE CASCADE.
    await this.db.query(`DELETE FROM workspaces WHERE id = $1`, [workspaceId]);
  }
}
