import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AgentEntity } from './agent.entity';
import { AgentLogLevel } from './agents.types';

/** A structured log line of an agent's run (what it read, decided, drafted, or why it stopped). */
@Entity('agent_logs')
@Index(['agentId', 'createdAt', 'id'])
@Index(['runId'])
export class AgentLogEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'uuid' }) agentId: string;
  @Column({ type: 'uuid', nullable: true }) runId: string | null;
  @Column({ type: 'varchar', length: 8 }) level: AgentLogLevel;
  @Column({ type: 'text' }) message: string;
  @Column({ type: 'jsonb', default: () => "'{}'" }) data: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne(() => AgentEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'agent_id' }) agent?: AgentEntity;
}
