import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { LogLevel, LogType } from './audit.types';

/** The audit trail: auth events, admin actions, agent runs and server errors. */
@Entity('audit_logs')
// The list's order (newest first, the id breaking ties), per workspace and per workspace and type.
@Index(['workspaceId', 'createdAt', 'id'])
@Index(['workspaceId', 'type', 'createdAt', 'id'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', nullable: true }) workspaceId: string | null;
  @Column({ type: 'uuid', nullable: true }) userId: string | null;
  @Column({ type: 'uuid', nullable: true }) apiKeyId: string | null;
  @Column({ type: 'varchar', length: 16 }) type: LogType;
  @Column({ type: 'varchar', length: 8 }) level: LogLevel;
  @Column({ type: 'varchar', length: 64 }) action: string;
  @Column({ type: 'text' }) message: string;
  @Column({ type: 'jsonb', default: () => "'{}'" }) metadata: Record<string, unknown>;
  @Column({ type: 'varchar', length: 128, nullable: true }) requestId: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @Index() @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
