import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import {
  containsPattern,
  conflict,
  CursorCodec,
  CursorPaginated,
  forbidden,
  notFound,
  Principal,
  queryBuilderList,
  Role,
} from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import { SessionService } from '../auth/session.service';
import { canGrantRole } from '../roles/role-policy';
import { MembershipEntity, MembershipStatus } from '../workspaces/membership.entity';
import { WorkspacePlanService } from '../workspaces/workspace-plan.service';
import { UserEntity } from './user.entity';
import { ListUsersQueryDto, UpdateUserDto, UpdateUserStatusDto, UserResponseDto } from './users.dto';
import { PrincipalCache, userTag } from '../auth/principal.cache';

/**
 * The list's sort keys, never NULL (keyset paging compares rows): a member who never signed in sorts first
 * ascending and last descending, as before. Joining the workspace (the default) reads IDX_memberships_list; the
 * others sort the workspace's members, whom the plan's seats bound.
 */
const sortColumns = {
  createdAt: 'm.created_at',
  name: 'u.name',
  email: 'u.email',
  lastLoginAt: `COALESCE(u.last_login_at, '-infinity'::timestamptz)`,
} as const;

type Member = MembershipEntity & { user: UserEntity };

/**
 * The members of a workspace: list, change role and status, remove. People join only by accepting an
 * invitation (InvitationsService); an admin never changes a member's global profile.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MembershipEntity) private readonly memberships: Repository<MembershipEntity>,
    private readonly principals: PrincipalCache,
    private readonly seats: WorkspacePlanService,
    private readonly cursors: CursorCodec,
  ) {}

  /** By cursor or page number, with a bounded total; filters and search apply before the seek. */
  list(workspaceId: string, query: ListUsersQueryDto): Promise<CursorPaginated<UserResponseDto>> {
    const members = this.memberships
      .createQueryBuilder('m')
      .where('m.workspaceId = :workspaceId', { workspaceId })
      .andWhere('m.status != :invited', { invited: MembershipStatus.Invited });
    if (query.role) members.andWhere('m.role = :role', { role: query.role });
    if (query.status) members.andWhere('m.status = :status', { status: query.status });
    if (query.search) {
      members.andWhere(
        'EXISTS (SELECT 1 FROM users s WHERE s.id = m.user_id AND (s.name ILIKE :pattern OR s.email ILIKE :pattern))',
        { pattern: containsPattern(query.search) },
      );
    }
    // Every membership has its user (a foreign key): the count reads memberships alone.
    const counted = members.clone().select('1');
    return queryBuilderList(members.innerJoinAndSelect('m.user', 'u'), {
      codec: this.cursors,
      scope: `${workspaceId}:users:${query.sortBy}:${query.order}`,
      request: query,
      order: { columns: [sortColumns[query.sortBy], 'm.id'], descending: query.order === 'desc' },
      map: (m) => toUserResponse(m as Member),
      countFrom: counted,
    });
  }

  async get(workspaceId: string, userId: string): Promise<UserResponseDto> {
    return toUserResponse(await this.findMember(this.dataSource.manager, workspaceId, userId));
  }

  async update(principal: Principal, userId: string, dto: UpdateUserDto): Promise<UserResponseDto> {
    const member = await this.dataSource.transaction(async (manager) => {
      const target = await this.findMember(manager, principal.workspaceId, userId, true);
      const roleChange = dto.role !== undefined && dto.role !== target.role ? dto.role : undefined;
      if (target.role === Role.Owner && (target.userId !== principal.userId || roleChange)) {
        throw ownerProtected();
      }
      if (roleChange) {
        if (target.userId === principal.userId)
          throw forbidden('CANNOT_MODIFY_SELF', 'You cannot change your own role');
        this.assertCanGrant(principal, target.role);
        this.assertCanGrant(principal, roleChange);
        await manager.getRepository(MembershipEntity).update(target.id, { role: roleChange });
        await this.audit.record(
          {
            type: LogType.Admin,
            action: 'user_updated',
            message: `${target.user.email} updated`,
            metadata: { targetUserId: target.userId, role: { from: target.role, to: roleChange } },
          },
          manager,
        );
      }
      return this.findMember(manager, principal.workspaceId, userId);
    });
    // After the commit: a role change applies to the member's very next request.
    await this.principals.invalidate(userTag(userId));
    return toUserResponse(member);
  }

  /** Activates or deactivates a member; deactivation revokes their sessions in this workspace at once. */
  async updateStatus(principal: Principal, userId: string, dto: UpdateUserStatusDto): Promise<UserResponseDto> {
    const member = await this.dataSource.transaction(async (manager) => {
      const target = await this.findMember(manager, principal.workspaceId, userId, true);
      if (target.userId === principal.userId)
        throw forbidden('CANNOT_MODIFY_SELF', 'You cannot change your own status');
      if (target.role === Role.Owner) throw ownerProtected();
      this.assertCanGrant(principal, target.role);
      if (target.status === dto.status) return target;
      if (target.status === MembershipStatus.Invited && dto.status === MembershipStatus.Active) {
        throw conflict('INVITATION_PENDING', 'An invited member becomes active by accepting the invitation');
      }
      if (dto.status === MembershipStatus.Active) await this.seats.assertSeatAvailable(manager, principal.workspaceId);
      await manager.getRepository(MembershipEntity).update(target.id, { status: dto.status });
      await this.audit.record(
        {
          type: LogType.Admin,
          action: dto.status === MembershipStatus.Inactive ? 'user_deactivated' : 'user_activated',
          message: `${target.user.email} ${dto.status === MembershipStatus.Inactive ? 'deactivated' : 'reactivated'}`,
          metadata: { targetUserId: target.userId, from: target.status, to: dto.status },
        },
        manager,
      );
      return this.findMember(manager, principal.workspaceId, userId);
    });
    // After the commit: the inactive membership already locks them out (PrincipalResolver); this ends the sessions.
    if (member.status === MembershipStatus.Inactive) {
      await this.sessions.revokeAllForUserInWorkspace(userId, principal.workspaceId, 'deactivated');
    } else {
      await this.principals.invalidate(userTag(userId));
    }
    return toUserResponse(member);
  }

  /** Removes the membership; an account left with no workspace at all is deleted. */
  async remove(principal: Principal, userId: string): Promise<void> {
    const accountDeleted = await this.dataSource.transaction(async (manager) => {
      const target = await this.findMember(manager, principal.workspaceId, userId, true);
      if (target.userId === principal.userId) throw forbidden('CANNOT_MODIFY_SELF', 'You cannot remove yourself');
      if (target.role === Role.Owner) throw ownerProtected();
      this.assertCanGrant(principal, target.role);
      await manager.getRepository(MembershipEntity).delete(target.id);
      const remaining = await manager.getRepository(MembershipEntity).count({ where: { userId: target.userId } });
      if (remaining === 0) await manager.getRepository(UserEntity).delete(target.userId);
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'user_removed',
          message: `${target.user.email} removed from the workspace${remaining === 0 ? '; account deleted' : ''}`,
          metadata: { targetUserId: target.userId, role: target.role, accountDeleted: remaining === 0 },
        },
        manager,
      );
      return remaining === 0;
    });
    // A deleted account takes its refresh tokens with it (cascade); otherwise end its sessions here.
    if (!accountDeleted) await this.sessions.revokeAllForUserInWorkspace(userId, principal.workspaceId, 'removed');
    else await this.principals.invalidate(userTag(userId));
  }

  private async findMember(manager: EntityManager, workspaceId: string, userId: string, lock = false): Promise<Member> {
    const repo = manager.getRepository(MembershipEntity);
    if (lock) {
      // Lock the membership row only (FOR UPDATE cannot apply to the nullable side of a join).
      const locked = await repo.findOne({ where: { workspaceId, userId }, lock: { mode: 'pessimistic_write' } });
      if (!locked || locked.status === MembershipStatus.Invited) throw userNotFound();
    }
    const member = await repo.findOne({ where: { workspaceId, userId }, relations: { user: true } });
    // Someone invited has not joined: only GET /api/users/invitations shows them, as an e-mail.
    if (!member?.user || member.status === MembershipStatus.Invited) throw userNotFound();
    return member as Member;
  }

  private assertCanGrant(principal: Principal, role: Role): void {
    if (!canGrantRole(principal, role)) {
      throw forbidden('ROLE_NOT_ASSIGNABLE', `You cannot assign or manage the role ${role}`, [
        { field: 'role', message: `not assignable by the caller: ${role}` },
      ]);
    }
  }
}

export function toUserResponse(member: Member): UserResponseDto {
  return {
    id: member.user.id,
    email: member.user.email,
    name: member.user.name,
    role: member.role,
    status: member.status,
    avatarUrl: member.user.avatarUrl,
    createdAt: member.user.createdAt.toISOString(),
    joinedAt: member.createdAt.toISOString(),
    lastLoginAt: member.user.lastLoginAt?.toISOString() ?? null,
    invitedById: member.invitedById,
  };
}

const userNotFound = () => notFound('USER_NOT_FOUND', 'User not found in this workspace');
const ownerProtected = () =>
  forbidden('OWNER_PROTECTED', 'The workspace owner cannot be changed, deactivated or removed by another member');
