import { plainToInstance } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

export const aiProviderKinds = ['openai', 'azure', 'openai-compatible'] as const;
export type AiProviderKind = (typeof aiProviderKinds)[number];

export interface AiModelPricing {
  inputPer1k: number;
  outputPer1k: number;
}

export class AiBreakerConfig {
  /** Percentage of failed calls, over a 10 s rolling window, above which the breaker opens. */
  @IsOptional() @IsInt() @Min(1) @Max(100) errorThresholdPercentage = 50;
  /** How long the breaker stays open before one probe call is let through (half-open). */
  @IsOptional() @IsInt() @Min(100) resetTimeoutMs = 30000;
  /** Calls in the window before the error percentage is considered at all. */
  @IsOptional() @IsInt() @Min(1) volumeThreshold = 5;
}

/** One entry of AI_PROVIDERS: a provider the clients choose by `name`. */
export class AiProviderConfig {
  @IsString() @MinLength(1) @MaxLength(50) name: string;
  @IsIn(aiProviderKinds) kind: AiProviderKind;
  @IsOptional() @Matches(/^https?:\/\/.+/, { message: 'baseUrl must be an http(s) URL' }) baseUrl?: string;
  @IsOptional() @IsString() apiKey?: string;
  /** Azure only (e.g. 2024-10-21). */
  @IsOptional() @IsString() apiVersion?: string;
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) models: string[];
  @IsString() defaultModel: string;
  /** Media models (images, speech, transcription): OpenAI's names unless the provider serves others. */
  @IsOptional() @IsString() @MaxLength(100) imageModel = 'dall-e-3';
  @IsOptional() @IsString() @MaxLength(100) speechModel = 'tts-1';
  @IsOptional() @IsString() @MaxLength(100) transcriptionModel = 'whisper-1';
  /** USD per 1000 tokens, by model; a model without pricing costs 0. */
  /** Entries are checked by AiProvidersConsistent (class-validator has no map type). */
  @IsOptional() @IsObject() pricing: Record<string, AiModelPricing> = {};
  @IsOptional() @IsInt() @Min(100) @Max(600000) timeoutMs = 30000;
  @IsOptional() @IsInt() @Min(0) @Max(10) maxRetries = 2;
  @IsOptional() @IsInt() @Min(1) @Max(1000) maxConcurrency = 4;
  /** Turned into an AiBreakerConfig by parseAiProviders (no @Type: env.dto loads before reflect-metadata). */
  @IsOptional() @ValidateNested() breaker: AiBreakerConfig = new AiBreakerConfig();
}

/** Cross-field rules: unique names, default model among the models, priced models among the models. */
@ValidatorConstraint({ name: 'aiProvidersConsistent' })
export class AiProvidersConsistent implements ValidatorConstraintInterface {
  private problem = '';

  validate(value: unknown): boolean {
    this.problem = Array.isArray(value) ? aiProvidersProblem(value as AiProviderConfig[]) : '';
    return this.problem === '';
  }

  defaultMessage(): string {
    return this.problem;
  }
}

function aiProvidersProblem(providers: AiProviderConfig[]): string {
  const names = new Set<string>();
  for (const p of providers) {
    if (!p || typeof p.name !== 'string' || !Array.isArray(p.models)) continue; // reported by the nested rules
    const key = p.name.toLowerCase();
    if (names.has(key)) return `provider name "${p.name}" appears twice (names are case-insensitive)`;
    names.add(key);
    if (!p.models.includes(p.defaultModel)) return `provider "${p.name}": defaultModel must be one of its models`;
    if (p.kind === 'azure' && !p.baseUrl) return `provider "${p.name}": azure needs baseUrl (the resource endpoint)`;
    for (const [model, price] of Object.entries(p.pricing ?? {})) {
      if (!p.models.includes(model)) return `provider "${p.name}": pricing for unknown model "${model}"`;
      const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
      if (!price || !ok(price.inputPer1k) || !ok(price.outputPer1k))
        return `provider "${p.name}": pricing of "${model}" needs inputPer1k and outputPer1k (USD, >= 0)`;
    }
  }
  return '';
}

/** Marks a value that is not a JSON array, so the validator names AI_PROVIDERS instead of crashing. */
export const INVALID_AI_PROVIDERS = Symbol('invalid AI_PROVIDERS');

/** class-transformer hook: the env string (or an already parsed array, in tests) → AiProviderConfig[]. */
export function parseAiProviders({ value }: { value: unknown }): unknown {
  if (value === undefined || value === '') return [];
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return INVALID_AI_PROVIDERS;
    }
  }
  if (!Array.isArray(parsed)) return INVALID_AI_PROVIDERS;
  return parsed.map((p) => {
    if (!p || typeof p !== 'object') return p;
    const provider = plainToInstance(AiProviderConfig, p, { exposeDefaultValues: true });
    const breaker: unknown = (p as { breaker?: unknown }).breaker;
    if (breaker && typeof breaker === 'object') {
      provider.breaker = plainToInstance(AiBreakerConfig, breaker, { exposeDefaultValues: true });
    }
    return provider;
  });
}
