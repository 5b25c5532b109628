import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { AgentStatus, AgentTool, AgentTriggerType, AgentType } from './agents.types';

/** An AI agent of a workspace: a model, a prompt, granted tools, a trigger and limits. */
@Entity('agents')
@Index('UQ_agents_workspace_name', ['workspaceId', 'name'], { unique: true })
@Index(['workspaceId', 'triggerType', 'status'])
@Index(['workspaceId', 'createdAt', 'id'])
@Check('CHK_agents_limits', '"runs_per_day" > 0 AND "tokens_per_run" > 0')
export class AgentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'varchar', length: 32 }) type: AgentType;
  @Column({ type: 'varchar', length: 100 }) provider: string;
  @Column({ type: 'varchar', length: 100 }) model: string;
  @Column({ type: 'text', default: '' }) systemPrompt: string;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) tools: AgentTool[];
  @Column({ type: 'varchar', length: 16 }) triggerType: AgentTriggerType;
  /** Cron pattern (UTC) when triggerType = schedule. */
  @Column({ type: 'varchar', length: 100, nullable: true }) schedule: string | null;
  /** A domain event name (DomainEventName) when triggerType = event. */
  @Column({ type: 'varchar', length: 64, nullable: true }) eventType: string | null;
  @Column({ type: 'int' }) runsPerDay: number;
  @Column({ type: 'int' }) tokensPerRun: number;
  @Column({ type: 'varchar', length: 16, default: AgentStatus.Active }) status: AgentStatus;
  @Column({ type: 'text', nullable: true }) errorReason: string | null;
  @Column({ type: 'int', default: 0 }) consecutiveFailures: number;
  @Column({ type: 'timestamptz', nullable: true }) lastRunAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  // By entity name: the foreign key stays without importing identity's entity.
  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}
