import {
  Column,
  CreateDateColumn,
  Entity,
  EntityManager,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { LeadEntity } from './lead.entity';
import { LeadEventType } from './leads.types';

/** One entry of a lead's timeline. */
@Entity('lead_events')
@Index(['leadId', 'createdAt'])
@Index(['workspaceId', 'createdAt'])
export class LeadEventEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) leadId: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 32 }) type: LeadEventType;
  @Column({ type: 'jsonb', default: () => "'{}'" }) data: Record<string, unknown>;
  @Column({ type: 'uuid', nullable: true }) actorUserId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  // No foreign key: its per-row check cost about half an import's database time. A statement trigger on leads
  // deletes the events of deleted leads (migration lead-events-set-based-cascade).
  @ManyToOne(() => LeadEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'lead_id' })
  lead?: LeadEntity;
}

export interface NewLeadEvent {
  leadId: string;
  workspaceId: string;
  type: LeadEventType;
  data: Record<string, unknown>;
  actorUserId: string | null;
}

/** Appends events to leads' timelines, inside the caller's transaction. */
export async function insertLeadEvent(manager: EntityManager, events: NewLeadEvent | NewLeadEvent[]): Promise<void> {
  const rows = Array.isArray(events) ? events : [events];
  if (!rows.length) return;
  await manager.getRepository(LeadEventEntity).insert(
    rows.map((event) => ({
      ...event,
      data: event.data as QueryDeepPartialEntity<Record<string, unknown>>,
      // clock_timestamp(), not now(): events written in one transaction keep their order.
      createdAt: () => 'clock_timestamp()',
    })),
  );
}
