import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A workspace's retention windows in days (null: kept until deleted), applied nightly. */
@Entity('retention_settings')
export class RetentionSettingsEntity {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'int', nullable: true }) inactiveLeadsDays: number | null;
  @Column({ type: 'int', nullable: true }) chatHistoryDays: number | null;
  @Column({ type: 'int', nullable: true }) fanConversationsDays: number | null;
  @Column({ type: 'int', nullable: true }) auditLogsDays: number | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
