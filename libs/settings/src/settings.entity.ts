import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One row per workspace and section (general, integrations, notifications, scheduling). */
@Entity('workspace_settings')
export class WorkspaceSettingsEntity {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  @PrimaryColumn({ type: 'varchar', length: 32 }) section: string;
  @Column({ type: 'jsonb' }) data: Record<string, unknown>;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** A user's own preferences (the management settings). */
@Entity('user_settings')
export class UserSettingsEntity {
  @PrimaryColumn({ type: 'uuid' }) userId: string;
  @Column({ type: 'jsonb' }) data: Record<string, unknown>;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
