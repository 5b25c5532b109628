import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  AppConfig,
  AppException,
  conflict,
  CursorCodec,
  CursorPaginated,
  queryBuilderList,
  forbidden,
  keysetList,
  MemberNotifier,
  notFound,
  Principal,
} from '@crescendo/platform';
import { UserDirectory } from '@crescendo/identity';
import { ForumCommentEntity } from './forum-comment.entity';
import { ForumReportEntity, ForumReportStatus } from './forum-report.entity';
import { ForumTopicEntity } from './forum-topic.entity';
import { forumCategories } from './forum.categories';
import type {
  CreateForumCommentDto,
  CreateForumTopicDto,
  ForumCategoriesResponseDto,
  ForumCommentCreatedDto,
  ForumCommentDto,
  ForumTopicCreatedDto,
  ForumTopicDetailDto,
  ForumTopicResponseDto,
  ForumTopicsResponseDto,
  ForumTopicSummaryDto,
  ListForumTopicsQueryDto,
  ModerateForumTopicDto,
  UpdateForumTopicDto,
  CreateForumReportDto,
  ForumReportCreatedDto,
  ForumReportDto,
  HandleForumReportDto,
  ListForumReportsQueryDto,
} from './forum.dto';
import { forumTopicOrder, ForumRepository } from './forum.repository';
import { MentionTargets, mentionedHandles, renderMarkdown } from './markdown';

/** Handles of one post resolved and notified at most (more are left as text). */
const MAX_MENTIONS = 10;

const topicNotFound = () => notFound('FORUM_TOPIC_NOT_FOUND', 'No such topic');
/** How long after posting its author may still edit a topic. */
export const FORUM_EDIT_WINDOW_MINUTES = 15;

/**
 * One community for the whole instance (not per workspace): members post under their display name; instance
 * administrators (ADMIN_EMAILS) moderate.
 */
@Injectable()
export class ForumService {
  private readonly logger = new Logger(ForumService.name);

  constructor(
    private readonly notifier: MemberNotifier,
    private readonly repository: ForumRepository,
    private readonly users: UserDirectory,
    private readonly cursors: CursorCodec,
    private readonly config: AppConfig,
  ) {}

  categories(): ForumCategoriesResponseDto {
    return { categories: forumCategories.map((c) => ({ ...c })) };
  }

  async list(query: ListForumTopicsQueryDto): Promise<ForumTopicsResponseDto> {
    const filter = { category: query.category, search: query.search || undefined };
    const page = await keysetList({
      codec: this.cursors,
      scope: `forum:topics:${query.category ?? ''}:${query.search ?? ''}`,
      request: query,
      order: forumTopicOrder,
      fetch: (position, take, offset) => this.repository.listPage(filter, position, take, offset),
      count: () => this.repository.listTotal(filter),
      map: summary,
    });
    return { topics: page.data, pagination: page.pagination };
  }

  async create(principal: Principal, dto: CreateForumTopicDto): Promise<ForumTopicCreatedDto> {
    if (dto.category === 'announcements' && !this.isModerator(principal)) {
      throw forbidden('FORUM_MODERATORS_ONLY', 'Only moderators post announcements');
    }
    const userName = await this.displayName(principal);
    // A new topic has no posters yet: its mentions resolve among the forum's members.
    const mentions = await this.mentions(dto.content, null);
    const topic = await this.repository.insertTopic({
      category: dto.category,
      title: dto.title,
      content: dto.content,
      contentHtml: renderMarkdown(dto.content, mentions),
      userId: principal.userId,
      userName,
    });
    await this.notifyMentions(mentions, principal.userId, topic.id, topic.title, null);
    return { topicId: topic.id, title: topic.title, createdAt: topic.createdAt.toISOString() };
  }

  /** The topic and its comments; the read counts as a view once per reader (address) per hour. */
  async get(id: string, readerIp: string): Promise<ForumTopicResponseDto> {
    const topic = await this.repository.findTopic(id);
    if (!topic || topic.isHidden) throw topicNotFound();
    const reader = `ip:${createHash('sha256').update(readerIp).digest('base64url').slice(0, 43)}`;
    await this.repository.countView(id, reader);
    const [fresh, comments] = await Promise.all([this.repository.findTopic(id), this.repository.comments(id)]);
    if (!fresh) throw topicNotFound();
    return { topic: detail(fresh), comments: comments.map(comment) };
  }

  async comment(principal: Principal, topicId: string, dto: CreateForumCommentDto): Promise<ForumCommentCreatedDto> {
    const userName = await this.displayName(principal);
    const mentions = await this.mentions(dto.content, topicId);
    const outcome = await this.repository.insertComment(topicId, {
      content: dto.content,
      contentHtml: renderMarkdown(dto.content, mentions),
      userId: principal.userId,
      userName,
    });
    if (outcome === 'missing') throw topicNotFound();
    if (outcome === 'locked') throw conflict('FORUM_TOPIC_LOCKED', 'This topic is locked: no new comments');
    const topic = await this.repository.findTopic(topicId);
    await this.notifyMentions(mentions, principal.userId, topicId, topic?.title ?? '', outcome.id);
    return { commentId: outcome.id, content: outcome.content, createdAt: outcome.createdAt.toISOString() };
  }

  async moderate(principal: Principal, id: string, dto: ModerateForumTopicDto): Promise<ForumTopicDetailDto> {
    if (!this.isModerator(principal)) throw forbidden('FORUM_MODERATORS_ONLY', 'Only moderators may do this');
    if (!(await this.repository.findTopic(id))) throw topicNotFound();
    await this.repository.moderate(id, {
      ...(dto.isPinned !== undefined && { isPinned: dto.isPinned }),
      ...(dto.isLocked !== undefined && { isLocked: dto.isLocked }),
      ...(dto.isHidden !== undefined && { isHidden: dto.isHidden }),
    });
    return detail((await this.repository.findTopic(id))!);
  }

  /** The author edits their topic within FORUM_EDIT_WINDOW_MINUTES of posting it; the edit is dated. */
  async edit(principal: Principal, id: string, dto: UpdateForumTopicDto): Promise<ForumTopicDetailDto> {
    const topic = await this.repository.findTopic(id);
    if (!topic || topic.isHidden) throw topicNotFound();
    if (topic.userId !== principal.userId) throw forbidden('FORUM_NOT_AUTHOR', 'Only the author may edit this topic');
    if (Date.now() - new Date(topic.createdAt).getTime() > FORUM_EDIT_WINDOW_MINUTES * 60_000) {
      throw forbidden('FORUM_EDIT_WINDOW_CLOSED', `Topics can be edited for ${FORUM_EDIT_WINDOW_MINUTES} minutes`);
    }
    const mentions = dto.content !== undefined ? await this.mentions(dto.content, id) : new Map();
    await this.repository.editTopic(id, {
      ...(dto.title !== undefined && { title: dto.title }),
      ...(dto.content !== undefined && { content: dto.content, contentHtml: renderMarkdown(dto.content, mentions) }),
    });
    const edited = (await this.repository.findTopic(id))!;
    // Someone mentioned by the edit is told; those the topic already named were told once (the notice key).
    await this.notifyMentions(mentions, principal.userId, id, edited.title, null);
    return detail(edited);
  }

  /** The author deletes their own comment; a moderator any comment. */
  async deleteComment(principal: Principal, id: string): Promise<void> {
    const found = await this.repository.findComment(id);
    if (!found) throw notFound('FORUM_COMMENT_NOT_FOUND', 'No such comment');
    if (found.userId !== principal.userId && !this.isModerator(principal)) {
      throw forbidden('FORUM_NOT_AUTHOR', 'Only the author or a moderator may delete this comment');
    }
    await this.repository.deleteComment(found);
  }

  /** A member reports a topic or one of its comments to the moderators. */
  async report(principal: Principal, topicId: string, dto: CreateForumReportDto): Promise<ForumReportCreatedDto> {
    if (principal.kind !== 'user') {
      throw new AppException(HttpStatus.FORBIDDEN, 'USER_SESSION_REQUIRED', 'Only signed-in members report');
    }
    const topic = await this.repository.findTopic(topicId);
    if (!topic || topic.isHidden) throw topicNotFound();
    if (dto.commentId) {
      const found = await this.repository.findComment(dto.commentId);
      if (!found || found.topicId !== topicId) throw notFound('FORUM_COMMENT_NOT_FOUND', 'No such comment');
    }
    const saved = await this.repository.insertReport({
      topicId,
      commentId: dto.commentId ?? null,
      reporterId: principal.userId,
      reason: dto.reason,
    });
    return { reportId: saved.id };
  }

  /** Moderators: the reports with a status (open by default), newest first. */
  reports(principal: Principal, query: ListForumReportsQueryDto): Promise<CursorPaginated<ForumReportDto>> {
    if (!this.isModerator(principal)) throw forbidden('FORUM_MODERATORS_ONLY', 'Only moderators may do this');
    const status = (query.status ?? 'open') as ForumReportStatus;
    return queryBuilderList(this.repository.reports(status), {
      codec: this.cursors,
      scope: `forum:reports:${status}`,
      request: query,
      order: { columns: ['r.created_at', 'r.id'], descending: true },
      map: report,
    });
  }

  /** Moderators: resolve (after acting on it) or dismiss an open report; 409 once it was handled. */
  async handleReport(principal: Principal, id: string, dto: HandleForumReportDto): Promise<ForumReportDto> {
    if (!this.isModerator(principal)) throw forbidden('FORUM_MODERATORS_ONLY', 'Only moderators may do this');
    const handled = await this.repository.handleReport(id, dto.status as ForumReportStatus, principal.userId);
    if (handled) return report(handled);
    if (!(await this.repository.findReport(id))) throw notFound('FORUM_REPORT_NOT_FOUND', 'No such report');
    throw conflict('FORUM_REPORT_HANDLED', 'This report was already handled');
  }

  /** The author deletes their own topic; a moderator any topic. */
  async delete(principal: Principal, id: string): Promise<void> {
    const topic = await this.repository.findTopic(id);
    if (!topic || (topic.isHidden && !this.isModerator(principal))) throw topicNotFound();
    if (topic.userId !== principal.userId && !this.isModerator(principal)) {
      throw forbidden('FORUM_NOT_AUTHOR', 'Only the author or a moderator may delete this topic');
    }
    await this.repository.deleteTopic(id);
  }

  /**
   * The members a post's `@handle`s name. A handle is a display name without its spaces and punctuation
   * (`@Anna_Martin`, `@annamartin`); when several members share it, those who posted in the topic win; still
   * several, it names no one.
   */
  private async mentions(content: string, topicId: string | null): Promise<Map<string, { userId: string }>> {
    const keys = mentionedHandles(content).slice(0, MAX_MENTIONS);
    const found = new Map<string, { userId: string }>();
    if (!keys.length) return found;
    const candidates = await this.repository.mentionCandidates(keys, topicId ?? '00000000-0000-0000-0000-000000000000');
    for (const key of keys) {
      const named = candidates.filter((c) => c.key === key);
      const inTopic = named.filter((c) => c.inTopic);
      const pick = named.length === 1 ? named : inTopic.length === 1 ? inTopic : [];
      if (pick.length) found.set(key, { userId: pick[0].userId });
    }
    return found;
  }

  /** An in-app notice to each member mentioned (not the author), under their own preference; never fails the post. */
  private async notifyMentions(
    mentions: MentionTargets,
    authorId: string | null,
    topicId: string,
    title: string,
    commentId: string | null,
  ): Promise<void> {
    const users = new Set([...mentions.values()].map((m) => m.userId).filter((id) => id !== authorId));
    for (const userId of users) {
      await this.notifier
        .notify({
          userId,
          key: `forum:${commentId ?? topicId}:${userId}`,
          kind: 'forum.mention',
          // The title only: the notice names no author (it outlives their erasure).
          params: { title: title.slice(0, 200) },
          data: { topicId, ...(commentId && { commentId }) },
          preference: 'forumMentions',
        })
        .catch((error: Error) => this.logger.warn({ err: error, topicId }, 'Forum mention not notified'));
    }
  }

  private isModerator(principal: Principal): boolean {
    return !!principal.email && this.config.adminEmails.includes(principal.email.toLowerCase());
  }

  private async displayName(principal: Principal): Promise<string> {
    if (principal.kind !== 'user') {
      throw new AppException(HttpStatus.FORBIDDEN, 'USER_SESSION_REQUIRED', 'Only signed-in members post');
    }
    return (await this.users.displayName(principal.userId)) ?? 'Member';
  }
}

const summary = (t: ForumTopicEntity): ForumTopicSummaryDto => ({
  id: t.id,
  title: t.title,
  category: t.category,
  userId: t.userId,
  userName: t.userName,
  views: t.views,
  commentCount: t.commentCount,
  isPinned: t.isPinned,
  isLocked: t.isLocked,
  createdAt: new Date(t.createdAt).toISOString(),
});

const detail = (t: ForumTopicEntity): ForumTopicDetailDto => ({
  ...summary(t),
  content: t.content,
  contentHtml: t.contentHtml,
  editedAt: t.editedAt ? new Date(t.editedAt).toISOString() : null,
});

const report = (r: ForumReportEntity): ForumReportDto => ({
  id: r.id,
  topicId: r.topicId,
  commentId: r.commentId,
  reason: r.reason,
  status: r.status,
  handledAt: r.handledAt ? new Date(r.handledAt).toISOString() : null,
  createdAt: new Date(r.createdAt).toISOString(),
});

const comment = (c: ForumCommentEntity): ForumCommentDto => ({
  id: c.id,
  content: c.content,
  contentHtml: c.contentHtml,
  userId: c.userId,
  userName: c.userName,
  createdAt: c.createdAt.toISOString(),
});
