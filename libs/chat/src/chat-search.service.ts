import { Injectable } from '@nestjs/common';
import { paginate, skipOf } from '@crescendo/platform';
import { ChatSearchRepository } from './chat-search.repository';
import { ChatOwner, ChatSearchPage, ConversationKind } from './chat.types';
import { iso } from './conversation.service';

/** Full-text search of the caller's chat messages and conversation titles, best match first. */
@Injectable()
export class ChatSearchService {
  constructor(private readonly search: ChatSearchRepository) {}

  async find(owner: ChatOwner, query: { q: string; page: number; limit: number }): Promise<ChatSearchPage> {
    const kind = ConversationKind.Chat;
    const { hits, total } = await this.search.search(owner, kind, query.q, query.limit, skipOf(query));
    const page = paginate(
      hits.map((h) => ({
        conversationId: h.conversationId,
        messageId: h.messageId,
        title: h.title,
        snippet: h.snippet,
        rank: Number(h.rank.toFixed(6)),
        date: iso(h.at),
      })),
      total ?? (await this.search.count(owner, kind, query.q)),
      query,
    );
    return { results: page.data, pagination: page.pagination };
  }
}
