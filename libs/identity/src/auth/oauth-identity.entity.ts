import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/** An account at an OAuth provider (Google, GitHub) that signs in as a Crescendo user. */
@Entity('oauth_identities')
@Index(['provider', 'providerUserId'], { unique: true })
export class OAuthIdentityEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 32 }) provider: string;
  /** The provider's stable id of the account (Google's `sub`, GitHub's numeric id), never the e-mail. */
  @Column({ type: 'varchar', length: 255 }) providerUserId: string;
  @Index() @Column({ type: 'uuid' }) userId: string;
  /** The verified e-mail the provider gave when the identity was linked. */
  @Column({ type: 'varchar', length: 320 }) email: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) lastLoginAt: Date | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: UserEntity;
}
