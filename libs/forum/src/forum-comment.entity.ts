import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ForumTopicEntity } from './forum-topic.entity';

@Entity('forum_comments')
@Index('IDX_forum_comments_topic_created', ['topicId', 'createdAt', 'id'])
@Index(['userId'])
export class ForumCommentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) topicId: string;
  @Column({ type: 'text' }) content: string;
  @Column({ type: 'text' }) contentHtml: string;
  @Column({ type: 'uuid', nullable: true }) userId: string | null;
  @Column({ type: 'varchar', length: 200 }) userName: string;
  @Column({ type: 'boolean', default: false }) isHidden: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne(() => ForumTopicEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id' })
  topic?: ForumTopicEntity;
}
