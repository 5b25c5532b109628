import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * A row an import could not take (line, reason, raw text), written in the transaction of its batch so that an
 * attempt resumed after a crash reports the rows the first one refused; the report file is made from these.
 */
@Entity('lead_import_failures')
export class LeadImportFailureEntity {
  @PrimaryColumn({ type: 'uuid' }) jobId: string;
  @PrimaryColumn({ type: 'int' }) line: number;
  @Column({ type: 'text' }) reason: string;
  @Column({ type: 'text' }) raw: string;

  // By entity name: the foreign key stays without importing the jobs feature's entity.
  @ManyToOne('JobRecordEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'job_id' })
  job?: unknown;
}
