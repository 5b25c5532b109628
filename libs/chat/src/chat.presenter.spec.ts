import { AppException } from '@crescendo/platform';
import { presentSendResult, presentStreamData, sendInputOf } from './chat.presenter';
import { SendChatMessageDto } from './chat.dto';

const dto = (fields: Partial<SendChatMessageDto>) =>
  Object.assign(new SendChatMessageDto(), { message: 'Hi', ...fields });

describe('chat presenter', () => {
  it('folds selected_providers and selected_models (names case-insensitive) into provider/model pairs', () => {
    const input = sendInputOf(
      dto({
        conversation_id: 'c1',
        selected_providers: ['GPT-4', 'Claude'],
        selected_models: { 'gpt-4': 'gpt-4o' },
        max_tokens: 50,
      }),
    );
    expect(input).toEqual({
      message: 'Hi',
      conversationId: 'c1',
      providers: [
        { provider: 'GPT-4', model: 'gpt-4o' },
        { provider: 'Claude', model: undefined },
      ],
      temperature: undefined,
      maxTokens: 50,
      folder: undefined,
    });
  });

  it('prefers `providers` and refuses a model that is not a string', () => {
    expect(sendInputOf(dto({ providers: [{ provider: 'A' }], selected_providers: ['B'] })).providers).toEqual([
      { provider: 'A' },
    ]);
    const bad = dto({ selected_providers: ['A'], selected_models: { A: 5 as unknown as string } });
    expect(() => sendInputOf(bad)).toThrow(AppException);
  });

  it('answers the documented snake_case fields', () => {
    const wire = presentSendResult({
      conversationId: 'c1',
      title: 'T',
      messageId: 'm1',
      userMessage: 'Hi',
      aiResponses: { 'A/x': 'Hello' },
      answers: [
        { provider: 'A', model: 'x', messageId: 'm2', content: 'Hello', tokensIn: 1, tokensOut: 2, latencyMs: 3 },
      ],
      errors: [{ provider: 'B', model: 'y', code: 'AI_PROVIDER_ERROR', message: 'failed', messageId: 'm3' }],
      responseTime: 10,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(wire).toEqual({
      conversation_id: 'c1',
      title: 'T',
      message_id: 'm1',
      user_message: 'Hi',
      ai_responses: { 'A/x': 'Hello' },
      answers: [
        { provider: 'A', model: 'x', message_id: 'm2', content: 'Hello', tokens_in: 1, tokens_out: 2, latency_ms: 3 },
      ],
      errors: [{ provider: 'B', model: 'y', code: 'AI_PROVIDER_ERROR', message: 'failed', message_id: 'm3' }],
      response_time: 10,
      created_at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('puts stream event keys in snake_case, leaving values alone', () => {
    expect(presentStreamData({ streamId: 's', messageIds: ['a'], providers: [{ provider: 'A', model: 'x' }] })).toEqual(
      { stream_id: 's', message_ids: ['a'], providers: [{ provider: 'A', model: 'x' }] },
    );
  });
});
