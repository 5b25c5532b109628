import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A topic of the instance-wide community forum (not per workspace). */
@Entity('forum_topics')
// The list's order: pinned first, then newest, id last in the same direction.
@Index('IDX_forum_topics_list', ['isPinned', 'createdAt', 'id'])
@Index('IDX_forum_topics_category_list', ['category', 'isPinned', 'createdAt', 'id'])
@Index(['userId'])
export class ForumTopicEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 32 }) category: string;
  @Column({ type: 'varchar', length: 200 }) title: string;
  /** Markdown as written. */
  @Column({ type: 'text' }) content: string;
  /** Rendered and sanitised once, when written. */
  @Column({ type: 'text' }) contentHtml: string;
  /** Null once the author erased their account. */
  @Column({ type: 'uuid', nullable: true }) userId: string | null;
  /** The display name shown, taken when posting (erasure replaces it). */
  @Column({ type: 'varchar', length: 200 }) userName: string;
  @Column({ type: 'int', default: 0 }) views: number;
  @Column({ type: 'int', default: 0 }) commentCount: number;
  @Column({ type: 'boolean', default: false }) isPinned: boolean;
  @Column({ type: 'boolean', default: false }) isLocked: boolean;
  @Column({ type: 'boolean', default: false }) isHidden: boolean;
  @Column({ type: 'timestamptz', nullable: true }) editedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
