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
import type { SegmentRuleGroup } from '@crescendo/segments';
import {
  type AutomationAction,
  AutomationStatus,
  type AutomationTrigger,
  type AutomationTriggerType,
} from './automation.types';

/** A workspace's rule: when the trigger fires for a lead matching the conditions, run the actions in order. */
@Entity('automation_rules')
@Index('UQ_automation_rules_workspace_name', ['workspaceId', 'name'], { unique: true })
@Index(['workspaceId', 'triggerType', 'status'])
// The list, newest first, the id breaking ties (keyset paging, both directions).
@Index('IDX_automation_rules_list', ['workspaceId', 'createdAt', 'id'])
export class AutomationRuleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'varchar', length: 1000, nullable: true }) description: string | null;
  @Column({ type: 'varchar', length: 16, default: AutomationStatus.Active }) status: AutomationStatus;
  /** Copied out of `trigger` so the worker finds a workspace's rules for an event by index. */
  @Column({ type: 'varchar', length: 32 }) triggerType: AutomationTriggerType;
  @Column({ type: 'jsonb' }) trigger: AutomationTrigger;
  @Column({ type: 'jsonb', nullable: true }) conditions: SegmentRuleGroup | null;
  @Column({ type: 'jsonb' }) actions: AutomationAction[];
  @Column({ type: 'int', default: 0 }) consecutiveFailures: number;
  @Column({ type: 'varchar', length: 500, nullable: true }) pausedReason: string | null;
  @Column({ type: 'timestamptz', nullable: true }) lastRunAt: Date | null;
  @Column({ type: 'uuid', nullable: true }) createdById: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}
