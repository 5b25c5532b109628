import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A workspace's privacy settings: retention windows in days (null: kept until deleted), applied nightly, and what
 * may reach an AI provider.
 */
@Entity('retention_settings')
export class RetentionSettingsEntity {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'int', nullable: true }) inactiveLeadsDays: number | null;
  @Column({ type: 'int', nullable: true }) chatHistoryDays: number | null;
  @Column({ type: 'int', nullable: true }) fanConversationsDays: number | null;
  @Column({ type: 'int', nullable: true }) auditLogsDays: number | null;
  /** Replace e-mail addresses and phone numbers in prompts by placeholders (on unless turned off). */
  @Column({ type: 'boolean', default: true }) aiRedactPii: boolean;
  /** Send no lead, fan or subscriber to an AI provider unless they consented to AI processing. */
  @Column({ type: 'boolean', default: false }) aiRequiresConsent: boolean;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
