import { Injectable } from '@nestjs/common';
import { CursorCodec, keysetList, ListPageRequest } from '@crescendo/platform';
import { ChatSearchRepository, SEARCH_ORDER } from './chat-search.repository';
import { ChatOwner, ChatSearchPage, ConversationKind } from './chat.types';
import { iso } from './conversation.service';

/** Full-text search of the caller's chat messages and conversation titles, best match first. */
@Injectable()
export class ChatSearchService {
  constructor(
    private readonly search: ChatSearchRepository,
    private readonly cursors: CursorCodec,
  ) {}

  /** By cursor or page number, with a bounded total of hits. */
  async find(owner: ChatOwner, query: ListPageRequest & { q: string }): Promise<ChatSearchPage> {
    const kind = ConversationKind.Chat;
    const page = await keysetList({
      codec: this.cursors,
      // The cursor's position is a rank for this query text only: the text is part of the scope.
      scope: `${owner.workspaceId}:chat-search/${owner.userId}/${query.q}:rank:desc`,
      request: query,
      order: SEARCH_ORDER,
      fetch: (position, take, offset) => this.search.searchPage(owner, kind, query.q, position, take, offset),
      count: () => this.search.count(owner, kind, query.q),
      map: (h) => ({
        conversationId: h.conversationId,
        messageId: h.messageId,
        title: h.title,
        snippet: h.snippet,
        rank: Number(h.rank.toFixed(6)),
        date: iso(h.at),
      }),
    });
    return { results: page.data, pagination: page.pagination };
  }
}
