import { eventRunId } from './agent-runs.queue';
import { estimateTokens, nextBatch, TokenBudget } from './token-budget';

describe('TokenBudget', () => {
  it('adds usage and cost, and knows when it is spent', () => {
    const budget = new TokenBudget(100);
    budget.add({ inputTokens: 40, outputTokens: 20 }, 0.01);
    expect([budget.used, budget.remaining, budget.exhausted]).toEqual([60, 40, false]);
    budget.add({ inputTokens: 30, outputTokens: 30 }, 0.02);
    expect([budget.used, budget.remaining, budget.exhausted]).toEqual([120, 0, true]);
    expect(budget.costUsd).toBeCloseTo(0.03);
  });
});

describe('nextBatch', () => {
  const cost = (n: number) => n;
  it('takes items while they fit, up to max', () => {
    expect(nextBatch([10, 10, 10, 10], cost, 5, 100, 3)).toEqual([10, 10, 10]);
    expect(nextBatch([10, 10, 10], cost, 5, 26, 10)).toEqual([10, 10]);
  });
  it('is empty when not even the first item fits', () => {
    expect(nextBatch([50], cost, 10, 40, 10)).toEqual([]);
  });
  it('estimates about four characters a token', () => {
    expect(estimateTokens('a'.repeat(9))).toBe(3);
  });
});

describe('eventRunId', () => {
  it('is a stable UUID per (event, agent)', () => {
    const a = eventRunId('e1', 'agent-1');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventRunId('e1', 'agent-1')).toBe(a);
    expect(eventRunId('e1', 'agent-2')).not.toBe(a);
    expect(eventRunId('e2', 'agent-1')).not.toBe(a);
  });
});
