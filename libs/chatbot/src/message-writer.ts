import { EntityManager } from 'typeorm';
import { ChatbotConversationEntity, ChatbotMessageEntity, MessageAuthor, MessageDirection } from './chatbot.entity';

type NewMessage = Pick<
  ChatbotMessageEntity,
  'direction' | 'body' | 'sentAt' | 'authorType' | 'authorUserId' | 'autoReplyRuleId'
>;

/**
 * Stores a message and keeps the conversation's summary in step, inside the caller's transaction:
 * lastMessageAt; unreadCount +1 for the fan, reset when a member writes (an auto-reply leaves it);
 * a fan writing to a closed conversation reopens it.
 */
export async function insertMessage(
  manager: EntityManager,
  conversation: Pick<ChatbotConversationEntity, 'id' | 'workspaceId'>,
  message: NewMessage,
): Promise<ChatbotMessageEntity> {
  const inserted = await manager
    .createQueryBuilder()
    .insert()
    .into(ChatbotMessageEntity)
    .values({
      ...message,
      workspaceId: conversation.workspaceId,
      conversationId: conversation.id,
      createdAt: () => 'clock_timestamp()',
    })
    .returning('id')
    .execute();
  const id = (inserted.raw as { id: string }[])[0].id;
  const update = manager
    .createQueryBuilder()
    .update(ChatbotConversationEntity)
    .set({
      lastMessageAt: () => 'GREATEST(last_message_at, :sentAt)',
      ...(message.direction === MessageDirection.Inbound
        ? { unreadCount: () => 'unread_count + 1', status: 'open' as ChatbotConversationEntity['status'] }
        : message.authorType === MessageAuthor.User
          ? { unreadCount: 0 }
          : {}),
    })
    .where('id = :id', { id: conversation.id })
    .setParameter('sentAt', message.sentAt);
  await update.execute();
  return manager.getRepository(ChatbotMessageEntity).findOneByOrFail({ id });
}
