import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { SubjectConsentPurpose, SubjectConsentSource } from './gdpr.types';

/** One change of a data subject's consent (by e-mail, in one workspace): never updated, the newest one holds. */
@Entity('subject_consent_records')
@Index('IDX_subject_consent_records_lookup', ['workspaceId', 'email', 'purpose', 'createdAt', 'id'])
// The person's history, newest first across purposes (keyset paging seeks it).
@Index('IDX_subject_consent_records_history', ['workspaceId', 'email', 'createdAt', 'id'])
export class SubjectConsentRecordEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  /** Lower-cased. */
  @Column({ type: 'varchar', length: 320 }) email: string;
  @Column({ type: 'varchar', length: 32 }) purpose: SubjectConsentPurpose;
  @Column({ type: 'boolean' }) granted: boolean;
  @Column({ type: 'varchar', length: 16 }) source: SubjectConsentSource;
  /** The member who recorded it; null after their erasure or for a system import. */
  @Column({ type: 'uuid', nullable: true }) recordedById: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
