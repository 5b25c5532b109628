import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { JobFile, JobStatus } from './jobs.types';

/** A user-visible background job (import, export, generation…): its BullMQ job id is this row's id. */
@Entity('jobs')
@Index(['workspaceId', 'createdAt'])
// A user's jobs, newest first (keyset paging of GET /api/studio/jobs).
@Index('IDX_jobs_workspace_user_created', ['workspaceId', 'userId', 'createdAt', 'id'])
@Index(['finishedAt'])
export class JobRecordEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'uuid', nullable: true }) userId: string | null;
  @Column({ type: 'varchar', length: 64 }) name: string;
  @Column({ type: 'varchar', length: 16, default: JobStatus.Pending }) status: JobStatus;
  @Column({ type: 'smallint', default: 0 }) progress: number;
  @Column({ type: 'varchar', length: 300, nullable: true }) message: string | null;
  @Column({ type: 'jsonb', nullable: true }) result: Record<string, unknown> | null;
  @Column({ type: 'jsonb', nullable: true }) error: { code: string; message: string } | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) files: JobFile[];
  @Column({ type: 'int', default: 0 }) attempts: number;
  /**
   * Where a job that writes in batches stands, committed in the same transaction as each batch: another
   * attempt (the worker died) resumes from it instead of redoing what is already in the database.
   */
  @Column({ type: 'jsonb', nullable: true }) checkpoint: Record<string, unknown> | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) finishedAt: Date | null;

  // By entity name: the foreign key stays without importing identity's entity.
  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}
