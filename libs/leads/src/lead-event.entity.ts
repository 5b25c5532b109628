import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { LeadEntity } from './lead.entity';

export enum LeadEventType {
  Created = 'created',
  Updated = 'updated',
  StatusChanged = 'status_changed',
  Deleted = 'deleted',
  Restored = 'restored',
  /** A change or an action of an automation rule: {ruleId, action, changes?}. */
  Automation = 'automation',
}

/** One entry of a lead's timeline. */
@Entity('lead_events')
@Index(['leadId', 'createdAt'])
@Index(['workspaceId', 'createdAt'])
export class LeadEventEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) leadId: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 32 }) type: LeadEventType;
  @Column({ type: 'jsonb', default: () => "'{}'" }) data: Record<string, unknown>;
  @Column({ type: 'uuid', nullable: true }) actorUserId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne(() => LeadEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'lead_id' }) lead?: LeadEntity;
}
