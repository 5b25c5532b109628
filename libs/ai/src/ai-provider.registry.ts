import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type OpenAI from 'openai';
import type CircuitBreaker from 'opossum';
import { AiProviderConfig, AppConfig } from '@crescendo/platform';
import { aiErrors } from './ai.errors';
import { AiSdk, loadAiSdk } from './ai-sdk';
import { isCallerError } from './provider-errors';
import { Semaphore } from './semaphore';

export type AiBreakerState = 'closed' | 'open' | 'half-open';

/** A configured provider with its client, circuit breaker and concurrency limit (one per process). */
export interface AiProviderRuntime {
  readonly config: AiProviderConfig;
  readonly client: OpenAI;
  /** Wraps one logical call (with its retries); the action is the call itself. */
  readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  readonly semaphore: Semaphore;
}

/** What a provider looks like from outside: never its key. */
export interface AiProviderInfo {
  name: string;
  kind: AiProviderConfig['kind'];
  models: string[];
  defaultModel: string;
  state: AiBreakerState;
}

/**
 * The providers of AI_PROVIDERS, built once at boot (the SDK is loaded then, only if there is one); looks
 * them up by name (case-insensitive).
 */
@Injectable()
export class AiProviderRegistry implements OnModuleInit, OnModuleDestroy {
  private providers: AiProviderRuntime[] = [];

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const configs = this.config.env.AI_PROVIDERS;
    if (!configs.length) return;
    const sdk = await loadAiSdk();
    this.providers = configs.map((c) => buildRuntime(sdk, c));
  }

  get configured(): boolean {
    return this.providers.length > 0;
  }

  /** The provider (default: the first configured) and the model (default: its defaultModel), or the 4xx/503. */
  resolve(name?: string, model?: string): { runtime: AiProviderRuntime; model: string } {
    if (!this.providers.length) throw aiErrors.notConfigured();
    const runtime = name
      ? this.providers.find((p) => p.config.name.toLowerCase() === name.toLowerCase())
      : this.providers[0];
    if (!runtime) throw aiErrors.unknownProvider(name!, this.names());
    const chosen = model ?? runtime.config.defaultModel;
    if (!runtime.config.models.includes(chosen)) {
      throw aiErrors.unknownModel(runtime.config.name, chosen, runtime.config.models);
    }
    return { runtime, model: chosen };
  }

  names(): string[] {
    return this.providers.map((p) => p.config.name);
  }

  list(): AiProviderInfo[] {
    return this.providers.map((p) => ({
      name: p.config.name,
      kind: p.config.kind,
      models: [...p.config.models],
      defaultModel: p.config.defaultModel,
      state: breakerState(p.breaker),
    }));
  }

  onModuleDestroy(): void {
    for (const p of this.providers) p.breaker.shutdown();
  }
}

export function breakerState(breaker: CircuitBreaker<never[], unknown> | AiProviderRuntime['breaker']): AiBreakerState {
  if (breaker.halfOpen) return 'half-open';
  return breaker.opened ? 'open' : 'closed';
}

function buildRuntime({ openai, CircuitBreaker }: AiSdk, config: AiProviderConfig): AiProviderRuntime {
  // Retries are ours (backoff, Retry-After, breaker accounting), so the SDK's are off. The timeout is
  // ours too (AiService, per attempt); the SDK's is a backstop a little later.
  const common = { apiKey: config.apiKey || 'not-needed', timeout: config.timeoutMs + 1000, maxRetries: 0 };
  const client =
    config.kind === 'azure'
      ? new openai.AzureOpenAI({ ...common, endpoint: config.baseUrl, apiVersion: config.apiVersion ?? '2024-10-21' })
      : new openai.OpenAI({ ...common, baseURL: config.baseUrl });
  const breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
    name: config.name,
    timeout: false, // the SDK's timeout applies per attempt
    errorThresholdPercentage: config.breaker.errorThresholdPercentage,
    resetTimeout: config.breaker.resetTimeoutMs,
    volumeThreshold: config.breaker.volumeThreshold,
    // The caller's own mistakes and aborts say nothing about the provider's health.
    errorFilter: (error: unknown) => isCallerError(error),
  });
  return { config, client, breaker, semaphore: new Semaphore(config.maxConcurrency) };
}
