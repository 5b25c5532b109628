import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Stored lower-cased; unique across the instance. */
  @Column({ type: 'varchar', length: 320, unique: true }) email: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  /** argon2id; null while an invitation has not been accepted. */
  @Column({ type: 'varchar', length: 255, nullable: true }) passwordHash: string | null;
  @Column({ type: 'varchar', length: 32, default: 'free' }) subscription: string;
  @Column({ type: 'varchar', length: 1000, nullable: true }) bio: string | null;
  @Column({ type: 'varchar', length: 2048, nullable: true }) avatarUrl: string | null;
  @Column({ type: 'varchar', length: 64, default: 'UTC' }) timezone: string;
  @Column({ type: 'varchar', length: 16, default: 'en' }) locale: string;
  @Column({ type: 'timestamptz', nullable: true }) termsAcceptedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) lastLoginAt: Date | null;
  /** Set when an erasure starts: from then on no row may name the user (migration ErasedUserGuard). */
  @Column({ type: 'timestamptz', nullable: true }) erasedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
