import type * as OpenAISdk from 'openai';
import type CircuitBreakerClass from 'opossum';

export interface AiSdk {
  openai: typeof OpenAISdk;
  CircuitBreaker: typeof CircuitBreakerClass;
}

let loaded: AiSdk | undefined;

/**
 * The OpenAI SDK and opossum, loaded once and only when AI_PROVIDERS names a provider: a worker or API
 * without AI does not carry them (≈ 5 MB of RSS in the worker).
 */
export async function loadAiSdk(): Promise<AiSdk> {
  if (!loaded) {
    const [openai, opossum] = await Promise.all([import('openai'), import('opossum')]);
    loaded = { openai, CircuitBreaker: opossum.default };
  }
  return loaded;
}

/** The SDK once loaded: before that, no error can have come from it. */
export const loadedAiSdk = (): typeof OpenAISdk | undefined => loaded?.openai;
