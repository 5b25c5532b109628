import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@crescendo/identity';
import { ForumCommentEntity } from './forum-comment.entity';
import { ForumPersonalData } from './forum-personal-data.provider';
import { ForumReportEntity } from './forum-report.entity';
import { ForumTopicViewEntity } from './forum-topic-view.entity';
import { ForumTopicEntity } from './forum-topic.entity';
import { ForumController } from './forum.controller';
import { ForumRepository } from './forum.repository';
import { ForumService } from './forum.service';

/** The instance-wide community forum: topics, comments, views, moderation. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ForumTopicEntity, ForumCommentEntity, ForumTopicViewEntity, ForumReportEntity]),
    IdentityModule,
  ],
  controllers: [ForumController],
  providers: [ForumService, ForumRepository, ForumPersonalData],
  exports: [ForumService],
})
export class ForumModule {}
