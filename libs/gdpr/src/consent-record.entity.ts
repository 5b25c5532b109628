import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ConsentPurpose } from './gdpr.types';

/** One change of a user's consent to one purpose: never updated, the newest per purpose is the current state. */
@Entity('consent_records')
@Index('IDX_consent_records_user_created', ['userId', 'createdAt', 'id'])
export class ConsentRecordEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 32 }) purpose: ConsentPurpose;
  @Column({ type: 'boolean' }) granted: boolean;
  @Column({ type: 'varchar', length: 32 }) policyVersion: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @Column({ type: 'varchar', length: 512, nullable: true }) userAgent: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
