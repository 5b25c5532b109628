import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException } from '@crescendo/platform';
import { MembershipEntity, MembershipStatus } from './membership.entity';

/** The narrow reads other features make of a workspace's members (people to notify, owners to check). */
@Injectable()
export class WorkspaceMembersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The active members' user ids and e-mails (what is written to each may depend on their preferences). */
  async activeMembers(workspaceId: string): Promise<{ userId: string; email: string }[]> {
    return (await this.dataSource
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .innerJoin('m.user', 'u')
      .select('u.id', 'userId')
      .addSelect('u.email', 'email')
      .where('m.workspaceId = :workspaceId', { workspaceId })
      .andWhere('m.status = :status', { status: MembershipStatus.Active })
      .getRawMany()) as { userId: string; email: string }[];
  }

  /**
   * A user id in a body (an owner, an assignee) must be a member of the workspace: 404 OWNER_NOT_MEMBER naming
   * `field` otherwise. Someone invited who has not accepted is not a member. `manager`: the caller's transaction.
   */
  async assertMember(workspaceId: string, userId: string, field = 'ownerId', manager?: EntityManager): Promise<void> {
    const rows: unknown[] = await (manager ?? this.dataSource.manager).query(
      `SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2 AND status <> $3`,
      [workspaceId, userId, MembershipStatus.Invited],
    );
    if (!rows.length) {
      throw new AppException(HttpStatus.NOT_FOUND, 'OWNER_NOT_MEMBER', 'The owner must be a member of the workspace', [
        { field, message: 'not a member of this workspace' },
      ]);
    }
  }
}
