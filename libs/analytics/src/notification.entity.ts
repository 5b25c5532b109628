import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const notificationLevels = ['success', 'info', 'warning', 'error'] as const;
export type NotificationLevel = (typeof notificationLevels)[number];

/** An in-app notification of a workspace, written from a domain event (at most one per event). */
@Entity('notifications')
@Index(['workspaceId', 'createdAt', 'id'])
@Index('IDX_notifications_unread', ['workspaceId'], { where: '"read_at" IS NULL' })
// What the next e-mail digests still have to include.
@Index('IDX_notifications_unmailed', ['workspaceId', 'createdAt'], { where: '"emailed_at" IS NULL' })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  /** The domain event it came from: a redelivered event writes nothing twice. */
  @Column({ type: 'uuid', unique: true }) eventId: string;
  /** The event type, e.g. import.completed. */
  @Column({ type: 'varchar', length: 50 }) kind: string;
  @Column({ type: 'varchar', length: 10 }) level: NotificationLevel;
  @Column({ type: 'varchar', length: 500 }) message: string;
  @Column({ type: 'jsonb', default: () => "'{}'" }) data: Record<string, unknown>;
  @Column({ type: 'timestamptz', nullable: true }) readAt: Date | null;
  /** When an e-mail digest included it (or decided to leave it out); null: not yet. */
  @Column({ type: 'timestamptz', nullable: true }) emailedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}
