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
import { WorkspaceEntity } from '@crescendo/identity';
import type { LeadStatus } from '@crescendo/leads';
import type { SegmentRuleGroup } from '@crescendo/segments';

export enum AutomationStatus {
  Active = 'active',
  Paused = 'paused',
}

export enum AutomationTriggerType {
  LeadCreated = 'lead.created',
  LeadStatusChanged = 'lead.status_changed',
  LeadTagAdded = 'lead.tag_added',
  WebhookReceived = 'webhook.received',
  Schedule = 'schedule',
}

export enum AutomationActionType {
  AddTag = 'add_tag',
  RemoveTag = 'remove_tag',
  ChangeStatus = 'change_status',
  SetScore = 'set_score',
  EnrollInCampaign = 'enroll_in_campaign',
  CallWebhook = 'call_webhook',
  Notify = 'notify',
}

export interface AutomationTrigger {
  type: AutomationTriggerType;
  /** lead.status_changed: only from / to this status. */
  from?: LeadStatus;
  to?: LeadStatus;
  /** lead.tag_added: only when this tag is added. */
  tag?: string;
  /** schedule: five-field cron, UTC. */
  cron?: string;
}

export interface AutomationAction {
  type: AutomationActionType;
  tag?: string;
  status?: LeadStatus;
  score?: number;
  campaignId?: string;
  url?: string;
  channel?: 'email' | 'audit';
  subject?: string;
  message?: string;
}

/** After this many failed runs in a row a rule pauses itself. */
export const AUTOMATION_MAX_CONSECUTIVE_FAILURES = 5;

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

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: WorkspaceEntity;
}
