import { FakeOpenAI, FakeReply } from '../helpers/fake-openai';

/** Three fake providers: Fast (echo), Slow (echo after 300 ms), Broken (always 500, no retry). */
export interface ChatFakes {
  fast: FakeOpenAI;
  slow: FakeOpenAI;
  broken: FakeOpenAI;
  reset: () => void;
  close: () => Promise<void>;
}

const calm = { volumeThreshold: 1000 };

export async function startChatFakes(): Promise<ChatFakes> {
  const [fast, slow, broken] = await Promise.all([FakeOpenAI.start(), FakeOpenAI.start(), FakeOpenAI.start()]);
  const defaults = () => {
    slow.setDefault({ delayMs: 300 });
    broken.setDefault({ status: 500, message: 'upstream exploded' });
  };
  defaults();
  process.env.AI_PROVIDERS = JSON.stringify([
    fast.provider({ name: 'Fast', breaker: calm }),
    slow.provider({ name: 'Slow', breaker: calm }),
    broken.provider({ name: 'Broken', maxRetries: 0, breaker: calm }),
  ]);
  return {
    fast,
    slow,
    broken,
    reset: () => {
      fast.reset();
      slow.reset();
      broken.reset();
      defaults();
    },
    close: async () => {
      await Promise.all([fast.close(), slow.close(), broken.close()]);
    },
  };
}

/** The system prompt of title requests (ChatService). */
export const isTitleRequest = (body: Record<string, any>) =>
  Array.isArray(body.messages) && String(body.messages[0]?.content ?? '').startsWith('Give a short title');

/**
 * A new conversation's title request and its answer reach the first provider concurrently, in either order:
 * reply by what each request asks for, not by arrival.
 */
export const replyToNewConversation = (fake: FakeOpenAI, replies: { title: FakeReply; answer: FakeReply }) =>
  fake.setDefault((request) => (isTitleRequest(request.body) ? replies.title : replies.answer));
