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

/** What every AI call carries, whatever it asks: who, which provider, what for, and its abort signal. */
export interface AiCallBase {
  workspaceId: string;
  userId?: string | null;
  provider?: string;
  signal?: AbortSignal;
  feature: string;
  /** Kinds of personal data the call carries, for the usage ledger (see AiChatRequest.dataCategories). */
  dataCategories?: string[];
}

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

export type AiImageSize = '1024x1024' | '1792x1024' | '1024x1792';
export type AiImageQuality = 'standard' | 'hd';

export interface AiImageRequest extends AiCallBase {
  prompt: string;
  size: AiImageSize;
  quality: AiImageQuality;
}

export interface AiSpeechRequest extends AiCallBase {
  text: string;
  voice: string;
  /** 0.25–4. */
  speed: number;
}

export interface AiTranscriptionRequest extends AiCallBase {
  /** The audio file's bytes (the providers take at most 25 MB) and a name with its extension. */
  audio: Buffer;
  fileName: string;
  /** ISO-639-1; omitted: detected. */
  language?: string;
}

/** A timed piece of a transcription, in seconds from the start. */
export interface AiTranscriptSegment {
  start: number;
  end: number;
  text: string;
}

/** What a media call cost and who served it (the ledger has the same). */
export interface AiMediaMeta {
  provider: string;
  model: string;
  costUsd: number;
  latencyMs: number;
}

export interface AiImageResult extends AiMediaMeta {
  /** The image's bytes (PNG as the providers answer b64_json). */
  image: Buffer;
  revisedPrompt: string | null;
}

export interface AiSpeechResult extends AiMediaMeta {
  /** MP3. */
  audio: Buffer;
}

export interface AiTranscriptionResult extends AiMediaMeta {
  text: string;
  language: string | null;
  duration: number | null;
  segments: AiTranscriptSegment[];
}
