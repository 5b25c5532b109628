export type AiRole = 'system' | 'user' | 'assistant';

export interface AiMessage {
  role: AiRole;
  content: string;
}

/** OpenAI's structured-output format: the answer must be JSON matching `schema`. */
export interface AiJsonSchemaFormat {
  type: 'json_schema';
  json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };
}

export type AiResponseFormat = { type: 'text' } | { type: 'json_object' } | AiJsonSchemaFormat;

export interface AiChatRequest {
  workspaceId: string;
  /** The member who asked; null/omitted for system calls (jobs). */
  userId?: string | null;
  /** A provider name from AI_PROVIDERS (case-insensitive); default: the first configured. */
  provider?: string;
  /** One of the provider's models; default: its defaultModel. */
  model?: string;
  messages: AiMessage[];
  temperature?: number;
  maxTokens?: number;
  responseFormat?: AiResponseFormat;
  /** Abort the provider call (pass the request's signal: a client that leaves stops the spending). */
  signal?: AbortSignal;
  /** true: cache even when temperature ≠ 0; false: never cache. Default: cache only at temperature 0. */
  cache?: boolean;
  /** What the call is for, in the usage ledger (`chat`, `agent:outreach`, `content:ideas`, …). */
  feature: string;
  /**
   * Replace e-mail addresses and phone numbers in the messages by placeholders before they leave, and restore
   * them in the answer, streamed or not (default: the workspace's setting, on unless turned off).
   */
  redactPii?: boolean;
  /**
   * Kinds of personal data the prompt carries (`lead_profile`, `fan_messages`…), for the usage ledger; the
   * identifiers found in it (`email`, `phone`, suffixed `_redacted` when replaced) are added.
   */
  dataCategories?: string[];
}

export interface AiTokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface AiChatResult {
  content: string;
  provider: string;
  model: string;
  usage: AiTokenUsage;
  /** tokens × the provider's pricing for the model; 0 when served from the cache. */
  costUsd: number;
  latencyMs: number;
  cached: boolean;
}

/** What chatStream yields: deltas in order, then exactly one `done` with the totals. */
export type AiStreamEvent = { type: 'delta'; content: string } | ({ type: 'done' } & AiChatResult);

/**
 * The expected shape of structured(): a JSON schema sent to the provider, and how to check the answer —
 * `dto` (a class-validator class) if given, else the built-in check of the JSON schema's common keywords.
 */
export interface AiStructuredSchema<T> {
  name: string;
  schema: Record<string, unknown>;
  dto?: new () => T;
  description?: string;
}

export interface AiStructuredResult<T> extends AiChatResult {
  data: T;
}

export const aiUsageStatuses = ['ok', 'error', 'cached'] as const;
export type AiUsageStatus = (typeof aiUsageStatuses)[number];
