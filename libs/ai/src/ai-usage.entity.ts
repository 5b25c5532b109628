import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import type { AiUsageStatus } from './ai.types';

/** One row per AI call (answered, failed, aborted or served from the prompt cache): the cost ledger. */
@Entity('ai_usage')
// The calls list's order (newest first, the id breaking ties).
@Index(['workspaceId', 'createdAt', 'id'])
export class AiUsageEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  /** Null for calls made by the system (a job) rather than a member. */
  @Column({ type: 'uuid', nullable: true }) userId: string | null;
  @Column({ type: 'varchar', length: 50 }) provider: string;
  @Column({ type: 'varchar', length: 100 }) model: string;
  @Column({ type: 'varchar', length: 50 }) feature: string;
  @Column({ type: 'int', default: 0 }) inputTokens: number;
  @Column({ type: 'int', default: 0 }) outputTokens: number;
  // numeric comes back from pg as a string; the service converts it.
  @Column({ type: 'numeric', precision: 12, scale: 6, default: 0 }) costUsd: string;
  @Column({ type: 'int' }) latencyMs: number;
  @Column({ type: 'varchar', length: 10 }) status: AiUsageStatus;
  @Column({ type: 'varchar', length: 50, nullable: true }) errorCode: string | null;
  /** What kinds of personal data the call carried (`lead_profile`, `email_redacted`…). */
  @Column({ type: 'text', array: true, default: () => "'{}'" }) dataCategories: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
