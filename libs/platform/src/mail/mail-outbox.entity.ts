import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type MailStatus = 'queued' | 'sent' | 'failed';

/** Every mail the platform sends; without SMTP it stays queued here (tests read it). */
@Entity('mail_outbox')
export class MailOutboxEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ type: 'varchar', length: 320 }) to: string;
  @Column({ type: 'varchar', length: 500 }) subject: string;
  @Column({ type: 'text' }) text: string;
  @Column({ type: 'varchar', length: 64 }) template: string;
  /** The workspace the mail was sent for (its SMTP override applies); null: the instance's own mail. */
  @Index() @Column({ type: 'uuid', nullable: true }) workspaceId: string | null;
  @Column({ type: 'varchar', length: 16, default: 'queued' }) status: MailStatus;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) sentAt: Date | null;
}
