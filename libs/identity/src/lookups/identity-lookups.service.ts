import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, MoreThanOrEqual, Repository } from 'typeorm';
import { sha256 } from '@crescendo/platform';
import { OneTimeTokenEntity } from '../auth/one-time-token.entity';
import { RefreshTokenEntity } from '../auth/refresh-token.entity';
import { UserEntity } from '../users/user.entity';
import { MembershipEntity, MembershipStatus } from '../workspaces/membership.entity';
import { WorkspaceEntity } from '../workspaces/workspace.entity';

/** The profile fields of a user that the user edits from settings. */
export interface UserProfile {
  id: string;
  email: string;
  name: string;
  bio: string | null;
  avatarUrl: string | null;
  timezone: string;
  locale: string;
  createdAt: Date;
  updatedAt: Date;
}

export type UserProfilePatch = Partial<Pick<UserProfile, 'name' | 'bio' | 'avatarUrl' | 'timezone' | 'locale'>>;

const profileOf = (u: UserEntity): UserProfile => ({
  id: u.id,
  email: u.email,
  name: u.name,
  bio: u.bio,
  avatarUrl: u.avatarUrl,
  timezone: u.timezone,
  locale: u.locale,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

/** Counts of the instance's people and workspaces (operations' metrics). */
export interface IdentityCounts {
  totalUsers: number;
  activeUsers: number;
  totalWorkspaces: number;
}

/**
 * The narrow questions other features ask identity (does this workspace exist, a user's e-mail, instance
 * counts) and the token cleanup identity owns, so no other feature reads identity's tables.
 */
@Injectable()
export class IdentityLookupsService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(WorkspaceEntity) private readonly workspaces: Repository<WorkspaceEntity>,
    @InjectRepository(RefreshTokenEntity) private readonly refreshTokens: Repository<RefreshTokenEntity>,
    @InjectRepository(OneTimeTokenEntity) private readonly oneTimeTokens: Repository<OneTimeTokenEntity>,
    @InjectRepository(MembershipEntity) private readonly memberships: Repository<MembershipEntity>,
  ) {}

  workspaceExists(id: string): Promise<boolean> {
    return this.workspaces.exists({ where: { id } });
  }

  /** The workspace's plan, or null when there is no such workspace. */
  async workspacePlan(id: string): Promise<string | null> {
    const workspace = await this.workspaces.findOne({ where: { id }, select: { id: true, plan: true } });
    return workspace?.plan ?? null;
  }

  async userIdByEmail(email: string): Promise<string | null> {
    const user = await this.users.findOne({ where: { email }, select: { id: true } });
    return user?.id ?? null;
  }

  /** Replaces a user's password (a hash from PasswordService). */
  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.users.update({ id: userId }, { passwordHash });
  }

  /**
   * The first workspace the user is an active member of (the one registration made for them, unless they were
   * deactivated there), the id breaking ties; null when none. Invited and deactivated memberships do not count.
   */
  async firstMembership(userId: string): Promise<{ workspaceId: string; role: string } | null> {
    const membership = await this.memberships.findOne({
      where: { userId, status: MembershipStatus.Active },
      order: { createdAt: 'ASC', id: 'ASC' },
      select: { id: true, workspaceId: true, role: true },
    });
    return membership ? { workspaceId: membership.workspaceId, role: membership.role } : null;
  }

  async userEmail(userId: string): Promise<string | null> {
    const user = await this.users.findOne({ where: { id: userId }, select: { id: true, email: true } });
    return user?.email ?? null;
  }

  async profile(userId: string): Promise<UserProfile | null> {
    const user = await this.users.findOne({ where: { id: userId } });
    return user && profileOf(user);
  }

  /** Changes the fields given (undefined = unchanged); null when there is no such user. */
  async updateProfile(userId: string, patch: UserProfilePatch): Promise<UserProfile | null> {
    const user = await this.users.findOne({ where: { id: userId } });
    if (!user) return null;
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) Object.assign(user, { [key]: value });
    return profileOf(await this.users.save(user));
  }

  /** The user of a refresh token that is neither revoked nor expired, else null. */
  async userIdOfLiveRefreshToken(token: string): Promise<string | null> {
    const row = await this.refreshTokens.findOne({
      where: { tokenHash: sha256(token), revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      select: { id: true, userId: true },
    });
    return row?.userId ?? null;
  }

  /** Users, users signed in since `activeSince`, and workspaces, instance-wide. */
  async counts(activeSince: Date): Promise<IdentityCounts> {
    const [totalUsers, activeUsers, totalWorkspaces] = await Promise.all([
      this.users.count(),
      this.users.count({ where: { lastLoginAt: MoreThanOrEqual(activeSince) } }),
      this.workspaces.count(),
    ]);
    return { totalUsers, activeUsers, totalWorkspaces };
  }

  /**
   * Deletes expired refresh tokens and those revoked before `revokedBefore`, and one-time tokens that expired
   * or were used; answers how many of each went.
   */
  async purgeTokens(revokedBefore: Date): Promise<{ refreshTokens: number; oneTimeTokens: number }> {
    const now = new Date();
    const refreshTokens = await this.refreshTokens
      .createQueryBuilder()
      .delete()
      .where('expires_at <= :now', { now })
      .orWhere('revoked_at < :revokedBefore', { revokedBefore })
      .execute();
    const oneTimeTokens = await this.oneTimeTokens
      .createQueryBuilder()
      .delete()
      .where('expires_at <= :now', { now })
      .orWhere('used_at IS NOT NULL')
      .execute();
    return { refreshTokens: refreshTokens.affected ?? 0, oneTimeTokens: oneTimeTokens.affected ?? 0 };
  }
}
