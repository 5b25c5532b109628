import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const notificationLevels = ['success', 'info', 'warning', 'error'] as const;
export type NotificationLevel = (typeof notificationLevels)[number];

/**
 * An in-app notification: a workspace's (every member sees it), written from a domain event (at most one per
 * event), or one member's own wherever they work (`userId`, no workspace: a forum mention).
 */
@Entity('notifications')
@Index(['workspaceId', 'createdAt', 'id'])
@Index('IDX_notifications_unread', ['workspaceId'], { where: '"read_at" IS NULL' })
// A member's own, for their listing beside the workspace's.
@Index('IDX_notifications_user', ['userId', 'createdAt', 'id'], { where: '"user_id" IS NOT NULL' })
// What the next e-mail digests still have to include.
@Index('IDX_notifications_unmailed', ['workspaceId', 'createdAt'], { where: '"emailed_at" IS NULL' })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Null for a member's own notification. */
  @Column({ type: 'uuid', nullable: true }) workspaceId: string | null;
  /** The one member it is for (null: the whole workspace); goes with their account. */
  @Column({ type: 'uuid', nullable: true }) userId: string | null;
  /** The domain event it came from: a redelivered event writes nothing twice. */
  @Column({ type: 'uuid', unique: true }) eventId: string;
  /** The event type, e.g. import.completed. */
  @Column({ type: 'varchar', length: 50 }) kind: string;
  @Column({ type: 'varchar', length: 10 }) level: NotificationLevel;
  /** Its text in English when recorded; readers get it in their language from `kind` and `params`. */
  @Column({ type: 'varchar', length: 500 }) message: string;
  /** What the kind's text says (notification-messages.ts); null for a notification recorded before them. */
  @Column({ type: 'jsonb', nullable: true }) params: Record<string, unknown> | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) data: Record<string, unknown>;
  @Column({ type: 'timestamptz', nullable: true }) readAt: Date | null;
  /** When an e-mail digest included it (or decided to leave it out); null: not yet. */
  @Column({ type: 'timestamptz', nullable: true }) emailedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;

  @ManyToOne('UserEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: unknown;
}
