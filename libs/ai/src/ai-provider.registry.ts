import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type OpenAI from 'openai';
import type CircuitBreaker from 'opossum';
import { AiProviderConfig, AppConfig } from '@crescendo/platform';
import { aiErrors } from './ai.errors';
import { AiSdk, loadAiSdk } from './ai-sdk';
import { isCallerError } from './provider-errors';
import { Semaphore } from './semaphore';
import { OPENAI_DEFAULT_BASE_URL, WorkspaceAiCredentials } from './workspace-credentials';

/** Workspace runtimes kept at most; past it the oldest goes (its breaker with it). */
const MAX_WORKSPACE_RUNTIMES = 500;

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
  /** Runtimes built over a workspace's own key, by workspace, provider and credentials. */
  private readonly workspaceRuntimes = new Map<string, AiProviderRuntime>();

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

  /**
   * The runtime that serves a workspace with its own key: the instance provider's models, limits and
   * pricing, but the workspace's key, organization and base URL (OpenAI's own API when it sets none), and
   * its own breaker and concurrency slots, so one workspace's bad key never trips the instance provider.
   */
  async forWorkspace(
    instance: AiProviderRuntime,
    workspaceId: string,
    credentials: WorkspaceAiCredentials,
  ): Promise<AiProviderRuntime> {
    const key = JSON.stringify([workspaceId, instance.config.name, credentials]);
    const known = this.workspaceRuntimes.get(key);
    if (known) return known;
    const config: AiProviderConfig = {
      ...instance.config,
      kind: 'openai',
      apiKey: credentials.apiKey,
      baseUrl: credentials.baseUrl ?? OPENAI_DEFAULT_BASE_URL,
      apiVersion: undefined,
    };
    const runtime = buildRuntime(await loadAiSdk(), config, credentials.organization);
    if (this.workspaceRuntimes.size >= MAX_WORKSPACE_RUNTIMES) {
      const [oldestKey, oldest] = this.workspaceRuntimes.entries().next().value!;
      oldest.breaker.shutdown();
      this.workspaceRuntimes.delete(oldestKey);
    }
    this.workspaceRuntimes.set(key, runtime);
    return runtime;
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
    for (const p of [...this.providers, ...this.workspaceRuntimes.values()]) p.breaker.shutdown();
  }
}

export function breakerState(breaker: CircuitBreaker<never[], unknown> | AiProviderRuntime['breaker']): AiBreakerState {
  if (breaker.halfOpen) return 'half-open';
  return breaker.opened ? 'open' : 'closed';
}

function buildRuntime(
  { openai, CircuitBreaker }: AiSdk,
  config: AiProviderConfig,
  organization?: string | null,
): AiProviderRuntime {
  // Retries are ours (backoff, Retry-After, breaker accounting), so the SDK's are off. The timeout is
  // ours too (AiService, per attempt); the SDK's is a backstop a little later.
  const common = { apiKey: config.apiKey || 'not-needed', timeout: config.timeoutMs + 1000, maxRetries: 0 };
  const client =
    config.kind === 'azure'
      ? new openai.AzureOpenAI({ ...common, endpoint: config.baseUrl, apiVersion: config.apiVersion ?? '2024-10-21' })
      : new openai.OpenAI({ ...common, baseURL: config.baseUrl, ...(organization ? { organization } : {}) });
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
