import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { AiPrivacy, AppConfig, AppException, assertAllowedOutgoingUrl } from '@crescendo/platform';
import { AiCacheService } from './ai-cache.service';
import { AiProviderRegistry, AiProviderRuntime } from './ai-provider.registry';
import { costOf } from './ai-pricing';
import { AiUsageService } from './ai-usage.service';
import { aiErrors } from './ai.errors';
import type {
  AiCallBase,
  AiImageRequest,
  AiImageResult,
  AiMediaMeta,
  AiSpeechRequest,
  AiSpeechResult,
  AiTranscriptionRequest,
  AiTranscriptionResult,
  AiChatRequest,
  AiChatResult,
  AiStreamEvent,
  AiStructuredResult,
  AiStructuredSchema,
  AiTokenUsage,
} from './ai.types';
import { checkJsonSchema } from './json-schema-check';
import { AttemptTimeoutError, classifyProviderError, errorCodeOf, toAiError } from './provider-errors';
import { withRetry } from './retry';
import { loadedAiSdk } from './ai-sdk';
import { WorkspaceAiCredentialsSource } from './workspace-credentials';
import { PiiRedaction } from './pii-redaction';

/** Any call resolved to its provider runtime (the workspace's own key when it has one) and model. */
interface CallTarget {
  request: AiCallBase;
  runtime: AiProviderRuntime;
  model: string;
  started: number;
}

/** A chat call resolved to its provider runtime, model, SDK parameters and cache key. */
interface Prepared extends CallTarget {
  request: AiChatRequest;
  params: ChatCompletionCreateParamsBase;
  cacheKey: string | null;
}

type MediaKind = 'imageModel' | 'speechModel' | 'transcriptionModel';

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * The one way the API and the worker talk to AI providers. Every call goes through the provider's
 * concurrency limit, retries (429/5xx/timeouts, with backoff and Retry-After) and circuit breaker, and
 * writes one row to the usage ledger, whatever its outcome. Errors are AppExceptions (see AiErrorCode).
 */
@Injectable()
export class AiService {
  constructor(
    private readonly registry: AiProviderRegistry,
    private readonly cache: AiCacheService,
    private readonly usage: AiUsageService,
    private readonly credentials: WorkspaceAiCredentialsSource,
    private readonly config: AppConfig,
    private readonly privacy: AiPrivacy,
  ) {}

  /**
   * Whether the workspace's prompts have identifiers redacted. A caller that loads other things before its call
   * can ask beside them and pass the answer as `redactPii`, instead of a look-up on the way to the provider.
   */
  redactsPii(workspaceId: string): Promise<boolean> {
    return this.privacy.redactsPii(workspaceId);
  }

  /** One completion. Throws 400/502/503/504 AppExceptions (AiErrorCode), 499 when `signal` aborts. */
  async chat(request: AiChatRequest): Promise<AiChatResult> {
    const { outgoing, redaction } = await this.protect(request);
    const result = await this.complete(outgoing);
    return redaction ? { ...result, content: redaction.restore(result.content) } : result;
  }

  /**
   * What may leave Crescendo: identifiers replaced by placeholders unless the call or the workspace turned it
   * off, and the data categories the call carries (the caller's, and the identifiers found) for the ledger.
   */
  private async protect(request: AiChatRequest): Promise<{ outgoing: AiChatRequest; redaction: PiiRedaction | null }> {
    const redact = request.redactPii ?? (await this.privacy.redactsPii(request.workspaceId));
    const redaction = new PiiRedaction();
    const messages = redaction.redactMessages(request.messages);
    const found = redaction.categories.map((c) => (redact ? `${c}_redacted` : c));
    const outgoing = {
      ...request,
      messages: redact ? messages : request.messages,
      dataCategories: [...new Set([...(request.dataCategories ?? []), ...found])].sort(),
    };
    return { outgoing, redaction: redact && found.length ? redaction : null };
  }

  private async complete(request: AiChatRequest): Promise<AiChatResult> {
    const call = await this.prepare(request);
    const hit = await this.fromCache(call);
    if (hit) return hit;
    try {
      const { value: completion, release } = await this.open(call, (client, signal) =>
        client.chat.completions.create({ ...call.params, stream: false }, { signal }),
      );
      release();
      const content = completion.choices[0]?.message?.content ?? '';
      const usage = {
        inputTokens: completion.usage?.prompt_tokens ?? 0,
        outputTokens: completion.usage?.completion_tokens ?? 0,
      };
      return await this.succeed(call, content, usage);
    } catch (error) {
      throw await this.fail(call, error);
    }
  }

  /**
   * A streamed completion. Resolves once the provider has accepted the request (so a 4xx/5xx/503 is
   * thrown before anything is sent to a client), to an iterable of `delta` events in order and a final
   * `done` event with the usage and cost. Stop iterating (or abort `signal`) to cancel the upstream call.
   */
  async chatStream(request: AiChatRequest): Promise<AsyncIterable<AiStreamEvent>> {
    const { outgoing, redaction } = await this.protect(request);
    const call = await this.prepare(outgoing);
    const hit = await this.fromCache(call);
    if (hit) return replay(hit, redaction);
    try {
      const opened = await this.open(call, (client, signal) =>
        client.chat.completions.create(
          { ...call.params, stream: true, stream_options: { include_usage: true } },
          { signal },
        ),
      );
      return startGuard(this.relay(call, opened.value, opened.release, redaction), opened.release);
    } catch (error) {
      throw await this.fail(call, error);
    }
  }

  /**
   * A JSON answer that fits `schema` (response_format json_schema, strict). An answer that is not JSON
   * or does not fit is asked again once, with the problems; a second miss is a 502 AI_INVALID_OUTPUT.
   */
  async structured<T>(request: AiChatRequest, schema: AiStructuredSchema<T>): Promise<AiStructuredResult<T>> {
    const responseFormat = {
      type: 'json_schema' as const,
      json_schema: { name: schema.name, schema: schema.schema, strict: true, description: schema.description },
    };
    let messages = request.messages;
    for (let attempt = 0; ; attempt++) {
      const result = await this.chat({ ...request, messages, responseFormat });
      const checked = parseAndCheck(result.content, schema);
      if ('data' in checked) return { ...result, data: checked.data };
      // A cached wrong answer would come back forever.
      const cacheKey = (await this.prepare({ ...request, messages, responseFormat })).cacheKey;
      if (cacheKey) await this.cache.delete(cacheKey);
      if (attempt >= 1) throw aiErrors.invalidOutput(result.provider, checked.problems.join('; ').slice(0, 500));
      messages = [
        ...messages,
        { role: 'assistant', content: result.content },
        {
          role: 'user',
          content: `That answer is invalid: ${checked.problems.join('; ')}. Answer again with only JSON that fits the schema.`,
        },
      ];
    }
  }

  /** An image from a prompt (OpenAI Images, b64_json). Same errors as chat. */
  async generateImage(request: AiImageRequest): Promise<AiImageResult> {
    const target = await this.target(request, 'imageModel');
    return this.media(target, { inputTokens: wordCount(request.prompt), outputTokens: 0 }, async (client, signal) => {
      const answer = await client.images.generate(
        {
          model: target.model,
          prompt: request.prompt,
          size: request.size,
          quality: request.quality,
          n: 1,
          response_format: 'b64_json',
        },
        { signal },
      );
      const first = answer.data?.[0];
      if (!first?.b64_json) throw aiErrors.invalidOutput(target.runtime.config.name, 'no image in the answer');
      return { image: Buffer.from(first.b64_json, 'base64'), revisedPrompt: first.revised_prompt ?? null };
    });
  }

  /** Speech from text (OpenAI audio/speech), as MP3 bytes. */
  async speech(request: AiSpeechRequest): Promise<AiSpeechResult> {
    const target = await this.target(request, 'speechModel');
    return this.media(target, { inputTokens: wordCount(request.text), outputTokens: 0 }, async (client, signal) => {
      const answer = await client.audio.speech.create(
        {
          model: target.model,
          input: request.text,
          voice: request.voice as 'alloy',
          speed: request.speed,
          response_format: 'mp3',
        },
        { signal },
      );
      return { audio: Buffer.from(await answer.arrayBuffer()) };
    });
  }

  /** Timed text of an audio file (OpenAI audio/transcriptions, verbose_json with segments). */
  async transcribe(request: AiTranscriptionRequest): Promise<AiTranscriptionResult> {
    const target = await this.target(request, 'transcriptionModel');
    const sdk = loadedAiSdk()!;
    return this.media(target, { inputTokens: 0, outputTokens: 0 }, async (client, signal) => {
      const answer = await client.audio.transcriptions.create(
        {
          file: await sdk.toFile(request.audio, request.fileName),
          model: target.model,
          response_format: 'verbose_json',
          timestamp_granularities: ['segment'],
          ...(request.language ? { language: request.language } : {}),
        },
        { signal },
      );
      return {
        text: answer.text,
        language: answer.language ?? null,
        duration: typeof answer.duration === 'number' ? answer.duration : null,
        segments: (answer.segments ?? []).map((s) => ({ start: s.start, end: s.end, text: s.text.trim() })),
      };
    });
  }

  /** The provider and media model serving this call (the workspace's own key when it has one). */
  private async target(request: AiCallBase, kind: MediaKind): Promise<CallTarget> {
    const resolved = this.registry.resolve(request.provider);
    const { runtime } = await this.ownRuntime(request.workspaceId, resolved.runtime);
    return { request, runtime, model: runtime.config[kind], started: Date.now() };
  }

  /** One media call through the same slot, retries, breaker and ledger as chat (never cached: the output varies). */
  private async media<T extends object>(
    target: CallTarget,
    usage: AiTokenUsage,
    send: (client: OpenAI, signal?: AbortSignal) => Promise<T>,
  ): Promise<T & AiMediaMeta> {
    try {
      const { value, release } = await this.open(target, send);
      release();
      const latencyMs = Date.now() - target.started;
      const costUsd = costOf(target.runtime.config, target.model, usage);
      await this.record(target, usage, latencyMs, 'ok', null, costUsd);
      return { ...value, provider: target.runtime.config.name, model: target.model, costUsd, latencyMs };
    } catch (error) {
      throw await this.fail(target, error);
    }
  }

  /** A workspace with its own key is served with it, never with the instance's. */
  private async ownRuntime(
    workspaceId: string,
    runtime: AiProviderRuntime,
  ): Promise<{ runtime: AiProviderRuntime; own: boolean }> {
    const own = await this.credentials.workspaceAiCredentials(workspaceId);
    if (!own) return { runtime, own: false };
    // Checked at each call, not only when stored: DNS can change, and the flag may have.
    if (own.baseUrl) {
      await assertAllowedOutgoingUrl(own.baseUrl, this.config.env.WEBHOOKS_ALLOW_PRIVATE_URLS, 'openaiBaseUrl');
    }
    return { runtime: await this.registry.forWorkspace(runtime, workspaceId, own), own: true };
  }

  private async prepare(request: AiChatRequest): Promise<Prepared> {
    const resolved = this.registry.resolve(request.provider, request.model);
    const { model } = resolved;
    const { runtime, own } = await this.ownRuntime(request.workspaceId, resolved.runtime);
    const params: ChatCompletionCreateParamsBase = {
      model,
      messages: request.messages,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
      ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
    };
    const cacheable = request.cache ?? request.temperature === 0;
    const cacheKey = cacheable
      ? AiCacheService.keyOf({
          provider: runtime.config.name,
          model,
          messages: request.messages,
          temperature: request.temperature,
          maxTokens: request.maxTokens,
          responseFormat: request.responseFormat,
          // An answer paid with a workspace's key is that workspace's only.
          ...(own ? { ownKeyOf: request.workspaceId } : {}),
        })
      : null;
    return { request, runtime, model, params, cacheKey, started: Date.now() };
  }

  private async fromCache(call: Prepared): Promise<AiChatResult | null> {
    if (!call.cacheKey) return null;
    const hit = await this.cache.get(call.cacheKey);
    if (!hit) return null;
    const usage = { inputTokens: hit.inputTokens, outputTokens: hit.outputTokens };
    const result = this.result(call, hit.content, usage, 0, true);
    await this.record(call, result.usage, 0, 'cached', null);
    return result;
  }

  /**
   * One logical call: breaker around retries around (concurrency slot + SDK call). The slot is handed
   * back to the caller, so a stream keeps it until it ends.
   */
  private async open<T>(
    call: CallTarget,
    send: (client: OpenAI, signal?: AbortSignal) => Promise<T>,
  ): Promise<{ value: T; release: () => void }> {
    const { runtime, request } = call;
    const signal = request.signal;
    if (signal?.aborted) throw aiErrors.aborted();
    // timeoutMs bounds the wait for the answer (the whole body) or, for a stream, for its first bytes.
    const attempt = async () => {
      const release = await runtime.semaphore.acquire(signal);
      // Our own clock per attempt (started once a slot is held): a timeout is then told apart from a
      // network error for sure, whatever fetch implementation runs underneath.
      const clock = new AbortController();
      const timer = setTimeout(() => clock.abort(), runtime.config.timeoutMs);
      try {
        const combined = signal ? AbortSignal.any([signal, clock.signal]) : clock.signal;
        return { value: await send(runtime.client, combined), release };
      } catch (error) {
        release();
        throw clock.signal.aborted && !signal?.aborted ? new AttemptTimeoutError(runtime.config.timeoutMs) : error;
      } finally {
        clearTimeout(timer);
      }
    };
    return (await runtime.breaker.fire(() =>
      withRetry(attempt, { maxRetries: runtime.config.maxRetries, signal, classify: classifyProviderError }),
    )) as { value: T; release: () => void };
  }

  private async *relay(
    call: Prepared,
    stream: AsyncIterable<ChatCompletionChunk> & { controller: AbortController },
    release: () => void,
    redaction: PiiRedaction | null,
  ): AsyncGenerator<AiStreamEvent> {
    // Placeholders go back in as the deltas pass (one cut between two deltas waits for its end).
    const restore = redaction ? redaction.streamRestorer() : (delta: string) => delta;
    let content = '';
    const usage: AiTokenUsage = { inputTokens: 0, outputTokens: 0 };
    let settled = false;
    try {
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) {
          content += delta;
          const restored = restore(delta);
          if (restored) yield { type: 'delta', content: restored };
        }
        if (chunk.usage) {
          usage.inputTokens = chunk.usage.prompt_tokens;
          usage.outputTokens = chunk.usage.completion_tokens;
        }
      }
      // The SDK ends an aborted stream quietly; a cut answer must not pass for a whole one.
      if (call.request.signal?.aborted) throw aiErrors.aborted();
      const rest = restore('', true);
      if (rest) yield { type: 'delta', content: rest };
      settled = true;
      const result = await this.succeed(call, content, usage);
      yield { type: 'done', ...result, content: redaction ? redaction.restore(content) : content };
    } catch (error) {
      settled = true;
      throw await this.fail(call, error, usage);
    } finally {
      release();
      if (!settled) {
        // The consumer stopped early (a client left): stop the provider too, and say so in the ledger.
        stream.controller.abort();
        await this.record(call, usage, Date.now() - call.started, 'error', aiErrors.aborted().code);
      }
    }
  }

  private async succeed(call: Prepared, content: string, usage: AiTokenUsage): Promise<AiChatResult> {
    const result = this.result(call, content, usage, Date.now() - call.started, false);
    await this.record(call, usage, result.latencyMs, 'ok', null, result.costUsd);
    if (call.cacheKey) await this.cache.set(call.cacheKey, { content, ...usage });
    return result;
  }

  /** Maps the error, writes the failed call to the ledger, and returns the AppException to throw. */
  private async fail(call: CallTarget, error: unknown, usage?: AiTokenUsage): Promise<AppException> {
    const mapped = toAiError(error, call.runtime.config.name, call.runtime.config.timeoutMs, call.request.signal);
    const spent = usage ?? { inputTokens: 0, outputTokens: 0 };
    await this.record(call, spent, Date.now() - call.started, 'error', errorCodeOf(mapped));
    return mapped;
  }

  private result(call: CallTarget, content: string, usage: AiTokenUsage, latencyMs: number, cached: boolean) {
    return {
      content,
      provider: call.runtime.config.name,
      model: call.model,
      usage,
      costUsd: cached ? 0 : costOf(call.runtime.config, call.model, usage),
      latencyMs,
      cached,
    };
  }

  private record(
    call: CallTarget,
    usage: AiTokenUsage,
    latencyMs: number,
    status: 'ok' | 'error' | 'cached',
    errorCode: string | null,
    costUsd = status === 'ok' ? costOf(call.runtime.config, call.model, usage) : 0,
  ): Promise<void> {
    return this.usage.record({
      workspaceId: call.request.workspaceId,
      userId: call.request.userId ?? null,
      provider: call.runtime.config.name,
      model: call.model,
      feature: call.request.feature,
      ...usage,
      costUsd,
      latencyMs,
      status,
      errorCode,
      dataCategories: call.request.dataCategories ?? [],
    });
  }
}

/**
 * A generator that is dropped before its first next() never runs its finally: this hands the slot back
 * when return() comes first.
 */
function startGuard(stream: AsyncGenerator<AiStreamEvent>, release: () => void): AsyncGenerator<AiStreamEvent> {
  let started = false;
  const next = stream.next.bind(stream);
  const finish = stream.return.bind(stream);
  stream.next = (...args) => {
    started = true;
    return next(...args);
  };
  stream.return = (value) => {
    if (!started) release();
    return finish(value);
  };
  return stream;
}

async function* replay(result: AiChatResult, redaction: PiiRedaction | null): AsyncGenerator<AiStreamEvent> {
  const content = redaction ? redaction.restore(result.content) : result.content;
  if (content) yield { type: 'delta', content };
  yield { type: 'done', ...result, content };
}

function parseAndCheck<T>(content: string, schema: AiStructuredSchema<T>): { data: T } | { problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return { problems: ['the answer is not JSON'] };
  }
  if (schema.dto) {
    const instance = plainToInstance(schema.dto, value);
    const errors = value && typeof value === 'object' ? validateSync(instance as object) : [];
    if (!value || typeof value !== 'object') return { problems: ['the answer is not a JSON object'] };
    return errors.length ? { problems: flatten(errors) } : { data: instance };
  }
  const problems = checkJsonSchema(value, schema.schema);
  return problems.length ? { problems } : { data: value as T };
}

function flatten(errors: ValidationError[], path = '$'): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => `${path}.${e.property}: ${m}`),
    ...flatten(e.children ?? [], `${path}.${e.property}`),
  ]);
}
