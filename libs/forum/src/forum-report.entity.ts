import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ForumCommentEntity } from './forum-comment.entity';
import { ForumTopicEntity } from './forum-topic.entity';

export enum ForumReportStatus {
  Open = 'open',
  Resolved = 'resolved',
  Dismissed = 'dismissed',
}

/** A member's report of a topic or one of its comments, handled by the instance moderators. */
@Entity('forum_reports')
@Index('IDX_forum_reports_status_created', ['status', 'createdAt', 'id'])
export class ForumReportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) topicId: string;
  @ManyToOne(() => ForumTopicEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id' })
  topic?: ForumTopicEntity;
  /** Null: the report is about the topic itself. */
  @Column({ type: 'uuid', nullable: true }) commentId: string | null;
  @ManyToOne(() => ForumCommentEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'comment_id' })
  comment?: ForumCommentEntity;
  /** Null once the reporter erased their account. */
  @Column({ type: 'uuid', nullable: true }) reporterId: string | null;
  @Column({ type: 'varchar', length: 500 }) reason: string;
  @Column({ type: 'varchar', length: 16, default: ForumReportStatus.Open }) status: ForumReportStatus;
  @Column({ type: 'uuid', nullable: true }) handledById: string | null;
  @Column({ type: 'timestamptz', nullable: true }) handledAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
