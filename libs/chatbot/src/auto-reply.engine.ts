import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { isWithinActiveHours } from './active-hours';
import { AutoReplyAi } from './auto-reply-ai';
import { ChatbotAutoReplyRuleEntity, ChatbotConversationEntity, ChatbotMessageEntity } from './chatbot.entity';
import { AutoReplyRuleRepository, ChatbotInboxRepository } from './chatbot.repository';
import { MessageAuthor, MessageDirection, ReplyType } from './chatbot.types';
import { AutoReplyOutcome, AutoReplyResultDto, SkippedRuleDto } from './conversations.dto';
import { toMessageDto } from './chatbot.mappers';
import { FanContext } from './fan-context';
import { MessageMatcher } from './rule-matcher';
import { renderTemplate } from './template';

/** Messages of context an AI reply sees. */
const AI_HISTORY = 10;

/**
 * Answers one stored inbound message: the highest-priority active rule that matches the text, is within
 * its active hours and is not cooling down for this fan writes the reply. Matching rules passed over are
 * reported with their reason.
 */
@Injectable()
export class AutoReplyEngine {
  constructor(
    private readonly inbox: ChatbotInboxRepository,
    private readonly rules: AutoReplyRuleRepository,
    private readonly fan: FanContext,
    private readonly ai: AutoReplyAi,
  ) {}

  async respond(conversation: ChatbotConversationEntity, inbound: ChatbotMessageEntity): Promise<AutoReplyResultDto> {
    const rules = await this.rules.active(conversation.workspaceId);
    const matcher = new MessageMatcher(inbound.body);
    const matching = rules.filter((rule) => matcher.matches(rule));
    const skipped: SkippedRuleDto[] = [];
    const now = inbound.sentAt;
    let workspaceZone: string | undefined;

    for (const rule of matching) {
      const skip = (reason: AutoReplyOutcome) => skipped.push({ ruleId: rule.id, ruleName: rule.name, reason });
      const timeZone = rule.timezone ?? (workspaceZone ??= await this.fan.workspaceTimeZone(conversation.workspaceId));
      if (!isWithinActiveHours(rule.activeHours, now, timeZone)) {
        skip(AutoReplyOutcome.OutsideActiveHours);
        continue;
      }
      if (await this.coolingDown(rule, conversation.id, now)) {
        skip(AutoReplyOutcome.Cooldown);
        continue;
      }
      const text = await this.replyText(rule, conversation, timeZone, now);
      if (!text.ok) {
        skip(text.reason);
        continue;
      }
      const reply = await this.inbox.transaction(async (manager) => {
        // One reply per rule and fan even when two messages of the fan race: re-check under the row lock.
        await this.inbox.lockConversation(manager, conversation.id);
        if (await this.coolingDown(rule, conversation.id, now, manager)) return null;
        return this.inbox.insertMessage(manager, conversation, {
          direction: MessageDirection.Outbound,
          body: text.text,
          sentAt: now,
          authorType: MessageAuthor.AutoReply,
          authorUserId: null,
          autoReplyRuleId: rule.id,
        });
      });
      if (!reply) {
        skip(AutoReplyOutcome.Cooldown);
        continue;
      }
      return {
        fired: true,
        reason: AutoReplyOutcome.Replied,
        ruleId: rule.id,
        ruleName: rule.name,
        reply: toMessageDto(reply),
        skipped,
      };
    }
    return {
      fired: false,
      reason: skipped[0]?.reason ?? AutoReplyOutcome.NoMatch,
      ruleId: null,
      ruleName: null,
      reply: null,
      skipped,
    };
  }

  private async coolingDown(
    rule: ChatbotAutoReplyRuleEntity,
    conversationId: string,
    now: Date,
    manager?: EntityManager,
  ): Promise<boolean> {
    if (rule.cooldownMinutes <= 0) return false;
    const since = new Date(now.getTime() - rule.cooldownMinutes * 60_000);
    return this.inbox.repliedSince(conversationId, rule.id, since, manager);
  }

  private async replyText(
    rule: ChatbotAutoReplyRuleEntity,
    conversation: ChatbotConversationEntity,
    timeZone: string,
    now: Date,
  ): Promise<{ ok: true; text: string } | { ok: false; reason: AutoReplyOutcome }> {
    if (rule.replyType === ReplyType.Template)
      return { ok: true, text: renderTemplate(rule.template ?? '', this.fan.values(conversation, timeZone, now)) };
    const recent = await this.inbox.recentMessages(conversation.id, AI_HISTORY);
    const outcome = await this.ai.generate({
      workspaceId: conversation.workspaceId,
      prompt: rule.aiPrompt ?? '',
      fanName: conversation.fanName ?? conversation.fanHandle,
      history: recent.reverse().map((m) => ({
        from: m.direction === MessageDirection.Inbound ? 'fan' : 'creator',
        body: m.body,
      })),
    });
    return outcome.ok ? outcome : { ok: false, reason: outcome.reason as AutoReplyOutcome };
  }
}
