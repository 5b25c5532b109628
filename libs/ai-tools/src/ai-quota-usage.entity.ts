import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * One counter per workspace and calendar month (UTC) of the quota'd AI generations
 * (POST /api/content/ai-generate). Incremented by a conditional upsert so parallel calls never pass the limit.
 */
@Entity('ai_quota_usage')
@Check('CHK_ai_quota_usage_used', '"used" >= 0')
export class AiQuotaUsageEntity {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  /** First day of the month, UTC. */
  @PrimaryColumn({ type: 'date' }) period: string;
  @Column({ type: 'int', default: 0 }) used: number;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  // By entity name: the foreign key stays without importing identity's entity.
  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}
