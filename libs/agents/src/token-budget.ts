/** Rough token count of a text (≈ 4 characters a token): enough to plan batches within a budget. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/** The tokens one run may still spend (tokensPerRun), and what it spent. */
export class TokenBudget {
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;

  constructor(readonly limit: number) {}

  get used(): number {
    return this.inputTokens + this.outputTokens;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  get exhausted(): boolean {
    return this.used >= this.limit;
  }

  add(usage: { inputTokens: number; outputTokens: number }, costUsd: number): void {
    this.inputTokens += usage.inputTokens;
    this.outputTokens += usage.outputTokens;
    this.costUsd += costUsd;
  }
}

/**
 * The next batch: items taken in order while `overhead` plus their estimated costs fit in `remaining`,
 * at most `max` of them. Empty when not even the first item fits.
 */
export function nextBatch<T>(
  items: readonly T[],
  costOf: (item: T) => number,
  overhead: number,
  remaining: number,
  max: number,
): T[] {
  const batch: T[] = [];
  let total = overhead;
  for (const item of items) {
    if (batch.length >= max) break;
    const cost = costOf(item);
    if (total + cost > remaining) break;
    total += cost;
    batch.push(item);
  }
  return batch;
}
