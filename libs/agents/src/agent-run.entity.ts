import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AgentEntity } from './agent.entity';
import { AgentRunStatus, AgentRunTrigger } from './agents.types';

/** One run of an agent; its id is also the tracked job's id (GET /api/jobs/:id follows it). */
@Entity('agent_runs')
@Index(['agentId', 'createdAt'])
@Index(['agentId', 'startedAt'])
export class AgentRunEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'uuid' }) agentId: string;
  @Column({ type: 'varchar', length: 16 }) trigger: AgentRunTrigger;
  /** The domain event that triggered the run. */
  @Column({ type: 'uuid', nullable: true }) eventId: string | null;
  /** What the run works on: the event's data, or nothing. */
  @Column({ type: 'jsonb', default: () => "'{}'" }) triggerData: Record<string, unknown>;
  @Column({ type: 'varchar', length: 16, default: AgentRunStatus.Queued }) status: AgentRunStatus;
  @Column({ type: 'int', default: 0 }) inputTokens: number;
  @Column({ type: 'int', default: 0 }) outputTokens: number;
  @Column({
    type: 'numeric',
    precision: 12,
    scale: 6,
    default: 0,
    transformer: { to: (v: number) => v, from: (v: string | null) => Number(v ?? 0) },
  })
  costUsd: number;
  /** Null for a run that never started (a limit, or the agent stopped meanwhile). */
  @Column({ type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ type: 'jsonb', nullable: true }) error: { code: string; message: string } | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) summary: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne(() => AgentEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'agent_id' }) agent?: AgentEntity;
}
