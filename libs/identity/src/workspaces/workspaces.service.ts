import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { badRequest, conflict, forbidden, notFound, Principal, Role, unauthorized } from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import { clientOf } from '../auth/auth.service';
import { PrincipalCache, userTag } from '../auth/principal.cache';
import { IssuedSession, SessionService } from '../auth/session.service';
import { UserEntity } from '../users/user.entity';
import { MembershipEntity, MembershipStatus } from './membership.entity';
import { WorkspaceEntity } from './workspace.entity';
import { MyWorkspaceDto } from './workspaces.dto';

/**
 * The workspaces a person belongs to: create one (they own it), list theirs, switch the session to
 * another, leave one, hand one over. Joining is the invitations' business (an invitee's acceptance).
 */
@Injectable()
export class WorkspacesService {
  constructor(
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly principals: PrincipalCache,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MembershipEntity) private readonly memberships: Repository<MembershipEntity>,
  ) {}

  async create(principal: Principal, name: string): Promise<MyWorkspaceDto> {
    const userId = signedInUser(principal);
    const { workspace, membership } = await this.dataSource.transaction(async (manager) => {
      const workspace = await manager
        .getRepository(WorkspaceEntity)
        .save(manager.getRepository(WorkspaceEntity).create({ name, ownerId: userId }));
      const memberships = manager.getRepository(MembershipEntity);
      const membership = await memberships.save(
        memberships.create({ workspaceId: workspace.id, userId, role: Role.Owner, status: MembershipStatus.Active }),
      );
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'workspace_created',
          message: `Workspace "${name}" created`,
          userId,
          workspaceId: workspace.id,
          metadata: { fromWorkspaceId: principal.workspaceId },
        },
        manager,
      );
      return { workspace, membership };
    });
    return toMyWorkspace(membership, workspace, principal);
  }

  async mine(principal: Principal): Promise<MyWorkspaceDto[]> {
    const userId = signedInUser(principal);
    const rows = await this.memberships.find({
      where: { userId, status: MembershipStatus.Active },
      relations: { workspace: true },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return rows.map((m) => toMyWorkspace(m, m.workspace!, principal));
  }

  /**
   * A new session in another of my workspaces. The calling session stays what it was: its token keeps
   * reading its own workspace only, since every token names one workspace and is checked against it.
   */
  async switchTo(principal: Principal, workspaceId: string): Promise<{ session: IssuedSession; user: UserEntity }> {
    const userId = signedInUser(principal);
    const membership = await this.activeMembership(this.dataSource.manager, userId, workspaceId);
    const session = await this.sessions.start(userId, membership.workspaceId, false, clientOf());
    await this.audit.record({
      type: LogType.Auth,
      action: 'workspace_switched',
      message: `Switched to workspace "${membership.workspace?.name ?? ''}"`,
      userId,
      workspaceId: membership.workspaceId,
      metadata: { fromWorkspaceId: principal.workspaceId, sessionId: session.familyId },
    });
    const user = await this.dataSource.getRepository(UserEntity).findOneByOrFail({ id: userId });
    return { session, user };
  }

  /** Ends my membership and my sessions there. An owner hands the workspace over first. */
  async leave(principal: Principal, workspaceId: string): Promise<void> {
    const userId = signedInUser(principal);
    await this.dataSource.transaction(async (manager) => {
      const membership = await this.activeMembership(manager, userId, workspaceId, true);
      if (membership.role === Role.Owner || membership.workspace?.ownerId === userId) {
        throw conflict('OWNER_MUST_TRANSFER', 'The owner cannot leave: transfer the ownership to a member first');
      }
      const others = await manager
        .getRepository(MembershipEntity)
        .count({ where: { userId, status: MembershipStatus.Active } });
      if (others <= 1) {
        throw conflict('LAST_WORKSPACE', 'This is your only workspace: create or join another before leaving it');
      }
      await manager.getRepository(MembershipEntity).delete(membership.id);
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'workspace_left',
          message: `${principal.email ?? userId} left the workspace`,
          userId,
          workspaceId,
          metadata: { role: membership.role },
        },
        manager,
      );
    });
    await this.sessions.revokeAllForUserInWorkspace(userId, workspaceId, 'left_workspace');
  }

  /** The owner hands the workspace to an active member; the former owner stays on as admin. */
  async transfer(principal: Principal, workspaceId: string, targetUserId: string): Promise<MyWorkspaceDto> {
    const userId = signedInUser(principal);
    if (workspaceId !== principal.workspaceId) {
      // Another member's workspace: 404 like any foreign id; one of mine: switch first.
      await this.activeMembership(this.dataSource.manager, userId, workspaceId);
      throw forbidden('WORKSPACE_NOT_CURRENT', 'Switch to the workspace before transferring it');
    }
    if (targetUserId === userId) {
      throw badRequest('ALREADY_OWNER', 'You already own this workspace', [{ field: 'userId', message: 'the caller' }]);
    }
    const result = await this.dataSource.transaction(async (manager) => {
      const mine = await this.activeMembership(manager, userId, workspaceId, true);
      if (mine.role !== Role.Owner || mine.workspace?.ownerId !== userId) {
        throw forbidden('OWNER_ONLY', 'Only the owner of the workspace can transfer it');
      }
      const memberships = manager.getRepository(MembershipEntity);
      const target = await memberships.findOne({
        where: { workspaceId, userId: targetUserId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!target || target.status === MembershipStatus.Invited) {
        throw notFound('MEMBER_NOT_FOUND', 'No member of this workspace has this id');
      }
      if (target.status !== MembershipStatus.Active) {
        throw conflict('MEMBER_NOT_ACTIVE', 'Only an active member can become the owner', [
          { field: 'userId', message: target.status },
        ]);
      }
      await memberships.update(target.id, { role: Role.Owner });
      await memberships.update(mine.id, { role: Role.Admin });
      await manager.getRepository(WorkspaceEntity).update(workspaceId, { ownerId: targetUserId });
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'workspace_ownership_transferred',
          message: 'Workspace ownership transferred',
          userId,
          workspaceId,
          metadata: { fromUserId: userId, toUserId: targetUserId, previousRole: target.role },
        },
        manager,
      );
      const workspace = await manager.getRepository(WorkspaceEntity).findOneByOrFail({ id: workspaceId });
      return toMyWorkspace({ ...mine, role: Role.Admin }, workspace, principal);
    });
    // Both roles changed: cached principals must not keep the old ones.
    await Promise.all([this.principals.invalidate(userTag(userId)), this.principals.invalidate(userTag(targetUserId))]);
    return result;
  }

  /** My active membership of a workspace (with it); any other case reads as an unknown workspace. */
  private async activeMembership(
    manager: EntityManager,
    userId: string,
    workspaceId: string,
    lock = false,
  ): Promise<MembershipEntity> {
    const membership = await manager.getRepository(MembershipEntity).findOne({
      where: { userId, workspaceId, status: MembershipStatus.Active },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!membership) throw notFound('WORKSPACE_NOT_FOUND', 'You are not a member of this workspace');
    membership.workspace = await manager.getRepository(WorkspaceEntity).findOneByOrFail({ id: workspaceId });
    return membership;
  }
}

function signedInUser(principal: Principal): string {
  if (principal.kind !== 'user' || !principal.sessionId) {
    throw unauthorized('USER_TOKEN_REQUIRED', 'Only a signed-in person manages their own workspaces');
  }
  return principal.userId;
}

function toMyWorkspace(membership: MembershipEntity, workspace: WorkspaceEntity, principal: Principal): MyWorkspaceDto {
  return {
    id: workspace.id,
    name: workspace.name,
    role: membership.role,
    owner: workspace.ownerId === membership.userId,
    current: workspace.id === principal.workspaceId,
    plan: workspace.plan,
    joinedAt: membership.createdAt.toISOString(),
  };
}
