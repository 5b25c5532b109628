import { AiCacheService } from './ai-cache.service';
import { costOf } from './ai-pricing';

describe('costOf', () => {
  const config = { pricing: { 'gpt-4o': { inputPer1k: 0.0025, outputPer1k: 0.01 } } };

  it('is tokens / 1000 × price, rounded to 6 decimals', () => {
    expect(costOf(config, 'gpt-4o', { inputTokens: 1000, outputTokens: 500 })).toBe(0.0075);
    expect(costOf(config, 'gpt-4o', { inputTokens: 1, outputTokens: 1 })).toBe(0.000013);
  });

  it('is 0 for a model without pricing', () => {
    expect(costOf(config, 'llama', { inputTokens: 1000, outputTokens: 1000 })).toBe(0);
  });
});

describe('AiCacheService.keyOf', () => {
  it('does not depend on the order of the parts, and differs when one part does', () => {
    const a = AiCacheService.keyOf({ model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0 });
    const b = AiCacheService.keyOf({ temperature: 0, messages: [{ role: 'user', content: 'hi' }], model: 'm' });
    expect(a).toBe(b);
    expect(a).toMatch(/^ai-cache:[0-9a-f]{64}$/);
    expect(AiCacheService.keyOf({ model: 'm', messages: [{ role: 'user', content: 'hi!' }], temperature: 0 })).not.toBe(
      a,
    );
  });
});
