import type { AiProviderConfig } from '@crescendo/platform';
import type { AiTokenUsage } from './ai.types';

/** USD cost of a call: tokens / 1000 × the model's price, rounded to the ledger's 6 decimals. */
export function costOf(config: Pick<AiProviderConfig, 'pricing'>, model: string, usage: AiTokenUsage): number {
  const price = config.pricing?.[model];
  if (!price) return 0;
  const cost = (usage.inputTokens / 1000) * price.inputPer1k + (usage.outputTokens / 1000) * price.outputPer1k;
  return Math.round(cost * 1e6) / 1e6;
}
