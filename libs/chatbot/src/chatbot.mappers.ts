import {
  ChatbotAutoReplyRuleEntity,
  ChatbotCannedResponseEntity,
  ChatbotConversationEntity,
  ChatbotMessageEntity,
} from './chatbot.entity';
import { AutoReplyRuleDto } from './auto-reply.dto';
import { CannedResponseDto } from './canned-responses.dto';
import { ConversationDto, MessageDto, MessagePreviewDto, PREVIEW_LENGTH } from './conversations.dto';
import { templateVariablesOf } from './template';

export function toMessageDto(m: ChatbotMessageEntity): MessageDto {
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    body: m.body,
    sentAt: m.sentAt.toISOString(),
    authorType: m.authorType,
    authorUserId: m.authorUserId,
    autoReplyRuleId: m.autoReplyRuleId,
  };
}

export function toPreviewDto(m: ChatbotMessageEntity): MessagePreviewDto {
  return {
    id: m.id,
    direction: m.direction,
    preview: [...m.body].slice(0, PREVIEW_LENGTH).join(''),
    sentAt: m.sentAt.toISOString(),
    authorType: m.authorType,
  };
}

export function toConversationDto(c: ChatbotConversationEntity, last: ChatbotMessageEntity | null): ConversationDto {
  return {
    id: c.id,
    platform: c.platform,
    fanHandle: c.fanHandle,
    fanName: c.fanName,
    subscriberId: c.subscriberId,
    status: c.status,
    lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
    unreadCount: c.unreadCount,
    lastMessage: last ? toPreviewDto(last) : null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function toRuleDto(r: ChatbotAutoReplyRuleEntity): AutoReplyRuleDto {
  return {
    id: r.id,
    name: r.name,
    matchType: r.matchType,
    keywords: r.keywords,
    pattern: r.pattern,
    intent: r.intent,
    priority: r.priority,
    activeHours: r.activeHours,
    timezone: r.timezone,
    cooldownMinutes: r.cooldownMinutes,
    active: r.active,
    replyType: r.replyType,
    template: r.template,
    aiPrompt: r.aiPrompt,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function toCannedResponseDto(c: ChatbotCannedResponseEntity): CannedResponseDto {
  return {
    id: c.id,
    name: c.name,
    body: c.body,
    variables: [...new Set(templateVariablesOf(c.body))],
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
