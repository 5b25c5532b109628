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
import { WorkspaceEntity } from '../workspaces/workspace.entity';

/** `expired` is stored once an expired invitation is touched; until then a past `expiresAt` reads as expired. */
export enum InvitationStatus {
  Pending = 'pending',
  Accepted = 'accepted',
  Declined = 'declined',
  Revoked = 'revoked',
  Expired = 'expired',
}

/**
 * An invitation to join a workspace, addressed to an e-mail. No membership exists until the person
 * accepts it (signed in as that e-mail, or with the mailed token). Only the token's hash is stored.
 */
@Entity('invitations')
@Index('UQ_invitations_pending_email', ['workspaceId', 'email'], { unique: true, where: `"status" = 'pending'` })
// The workspace's list: newest first, the id breaking ties (keyset paging seeks it forwards and backwards).
@Index('IDX_invitations_list', ['workspaceId', 'createdAt', 'id'])
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  /** Stored lower-cased. */
  @Index() @Column({ type: 'varchar', length: 320 }) email: string;
  @Column({ type: 'varchar', length: 16 }) role: Role;
  @Column({ type: 'varchar', length: 16, default: InvitationStatus.Pending }) status: InvitationStatus;
  @Column({ type: 'char', length: 64, unique: true }) tokenHash: string;
  @Column({ type: 'timestamptz' }) expiresAt: Date;
  @Column({ type: 'uuid', nullable: true }) invitedById: string | null;
  /** When it was accepted, declined, revoked or marked expired. */
  @Column({ type: 'timestamptz', nullable: true }) respondedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: WorkspaceEntity;
}
