import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MembershipEntity, MembershipStatus } from './membership.entity';

/** The narrow reads other features make of a workspace's members (people to notify). */
@Injectable()
export class WorkspaceMembersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The e-mail addresses of the workspace's active members. */
  async activeEmails(workspaceId: string): Promise<string[]> {
    const rows = (await this.dataSource
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .innerJoin('m.user', 'u')
      .select('u.email', 'email')
      .where('m.workspaceId = :workspaceId', { workspaceId })
      .andWhere('m.status = :status', { status: MembershipStatus.Active })
      .getRawMany()) as { email: string }[];
    return rows.map((r) => r.email);
  }
}
