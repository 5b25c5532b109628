import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ForumTopicEntity } from './forum-topic.entity';

/**
 * One reader's view of a topic in one clock hour: the primary key makes counting a view once per reader per
 * hour an INSERT … ON CONFLICT DO NOTHING, safe under any concurrency.
 */
@Entity('forum_topic_views')
export class ForumTopicViewEntity {
  @PrimaryColumn({ type: 'uuid' }) topicId: string;
  /** `user:<id>` for a signed-in reader, else `ip:<hash of the address>`. */
  @PrimaryColumn({ type: 'varchar', length: 80 }) reader: string;
  @PrimaryColumn({ type: 'timestamptz' }) hour: Date;

  @ManyToOne(() => ForumTopicEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'topic_id' })
  topic?: ForumTopicEntity;
}
