export enum ConversationStatus {
  Open = 'open',
  Closed = 'closed',
}
export const conversationStatuses = Object.values(ConversationStatus);

export enum MessageDirection {
  Inbound = 'inbound',
  Outbound = 'outbound',
}
export const messageDirections = Object.values(MessageDirection);

/** Who wrote a message: the fan (inbound), a member (outbound), or an auto-reply rule (outbound). */
export enum MessageAuthor {
  Fan = 'fan',
  User = 'user',
  AutoReply = 'auto_reply',
}

export enum ReplyType {
  Template = 'template',
  Ai = 'ai',
}
export const replyTypes = Object.values(ReplyType);
