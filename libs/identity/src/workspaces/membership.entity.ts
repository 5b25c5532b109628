import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Role } from '@crescendo/platform';
import { UserEntity } from '../users/user.entity';
import { WorkspaceEntity } from './workspace.entity';

export enum MembershipStatus {
  Active = 'active',
  Invited = 'invited',
  Inactive = 'inactive',
}

/** A user's role in a workspace. Deactivating it locks the user out of that workspace. */
@Entity('memberships')
@Index(['workspaceId', 'userId'], { unique: true })
// The members list by joining date, the id breaking ties (keyset paging seeks it forwards and backwards).
@Index('IDX_memberships_list', ['workspaceId', 'createdAt', 'id'])
export class MembershipEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Index() @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 16 }) role: Role;
  @Column({ type: 'varchar', length: 16, default: MembershipStatus.Active }) status: MembershipStatus;
  @Column({ type: 'uuid', nullable: true }) invitedById: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: UserEntity;
  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: WorkspaceEntity;
}
