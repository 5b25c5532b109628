import { HttpStatus } from '@nestjs/common';
import {
  AppException,
  appError,
  badGateway,
  badRequest,
  gatewayTimeout,
  serviceUnavailable,
} from '@crescendo/platform';

/** Stable codes of the AI layer's errors (AppException.code). */
export enum AiErrorCode {
  /** 503: AI_PROVIDERS is empty (a workspace's own key runs with an instance provider's models, so it needs one too). */
  ProviderNotConfigured = 'AI_PROVIDER_NOT_CONFIGURED',
  /** 400: the provider name is not configured; the message lists the known names. */
  ProviderUnknown = 'AI_PROVIDER_UNKNOWN',
  /** 400: the model is not one of the provider's models. */
  ModelUnknown = 'AI_MODEL_UNKNOWN',
  /** 503: the provider's circuit breaker is open (too many recent failures). */
  ProviderUnavailable = 'AI_PROVIDER_UNAVAILABLE',
  /** 502: the provider failed (5xx, 429, network, refused request) after our retries. */
  ProviderError = 'AI_PROVIDER_ERROR',
  /** 504: the provider did not answer within timeoutMs, after our retries. */
  ProviderTimeout = 'AI_PROVIDER_TIMEOUT',
  /** 502: structured() got output that is not valid for the schema, twice. */
  InvalidOutput = 'AI_INVALID_OUTPUT',
  /** 499: the caller's AbortSignal fired (the client went away); nobody is left to read it. */
  Aborted = 'AI_REQUEST_ABORTED',
}

export const CLIENT_CLOSED_REQUEST = 499 as HttpStatus;

export const aiErrors = {
  notConfigured: () =>
    serviceUnavailable(
      AiErrorCode.ProviderNotConfigured,
      'No AI provider is configured: set AI_PROVIDERS (a JSON array of providers, see .env.example)',
    ),
  unknownProvider: (name: string, known: string[]) =>
    badRequest(AiErrorCode.ProviderUnknown, `Unknown AI provider "${name}"; known providers: ${known.join(', ')}`, [
      { field: 'provider', message: `must be one of: ${known.join(', ')}` },
    ]),
  unknownModel: (provider: string, model: string, known: string[]) =>
    badRequest(
      AiErrorCode.ModelUnknown,
      `Provider "${provider}" has no model "${model}"; its models: ${known.join(', ')}`,
      [{ field: 'model', message: `must be one of: ${known.join(', ')}` }],
    ),
  unavailable: (provider: string) =>
    serviceUnavailable(
      AiErrorCode.ProviderUnavailable,
      `AI provider "${provider}" is temporarily unavailable after repeated failures; retry later`,
    ),
  upstream: (provider: string, detail: string) =>
    badGateway(AiErrorCode.ProviderError, `AI provider "${provider}" failed: ${detail}`),
  timeout: (provider: string, timeoutMs: number) =>
    gatewayTimeout(AiErrorCode.ProviderTimeout, `AI provider "${provider}" did not answer within ${timeoutMs} ms`),
  invalidOutput: (provider: string, detail: string) =>
    badGateway(
      AiErrorCode.InvalidOutput,
      `AI provider "${provider}" returned output that does not fit the schema: ${detail}`,
    ),
  aborted: () => appError(CLIENT_CLOSED_REQUEST, AiErrorCode.Aborted, 'The AI request was aborted by the caller'),
};

export const isAiError = (error: unknown, code?: AiErrorCode): error is AppException =>
  error instanceof AppException && error.code.startsWith('AI_') && (code === undefined || error.code === code);
