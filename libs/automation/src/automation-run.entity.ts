import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AutomationRuleEntity } from './automation-rule.entity';
import type { AutomationActionResult, AutomationRunStatus } from './automation.types';

/** One run of a rule on one trigger: the unique (rule, trigger event) key makes a redelivered event a no-op. */
@Entity('automation_runs')
@Index('UQ_automation_runs_rule_event', ['ruleId', 'triggerEventId'], { unique: true })
// A rule's run log, newest first, the id breaking ties (keyset paging, both directions).
@Index('IDX_automation_runs_list', ['workspaceId', 'ruleId', 'createdAt', 'id'])
export class AutomationRunEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'uuid' }) ruleId: string;
  /** The domain event's id; for a schedule tick, `schedule-<tick>-<leadId>`. */
  @Column({ type: 'varchar', length: 200 }) triggerEventId: string;
  @Column({ type: 'varchar', length: 32 }) triggerType: string;
  @Column({ type: 'uuid', nullable: true }) leadId: string | null;
  @Column({ type: 'varchar', length: 16 }) status: AutomationRunStatus;
  @Column({ type: 'jsonb', default: () => "'[]'" }) actionsDone: AutomationActionResult[];
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ type: 'int' }) durationMs: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne(() => AutomationRuleEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rule_id' })
  rule?: AutomationRuleEntity;
}
