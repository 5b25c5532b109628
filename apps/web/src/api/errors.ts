import type { ErrorResponseDto } from '@crescendo/api-client';
import { i18n } from '../i18n';

/** Conflicts the API reports by code only, without details: shown next to the field they concern. */
const CODE_FIELDS: Record<string, string> = {
  LEAD_EMAIL_TAKEN: 'email',
  NICHE_NAME_TAKEN: 'name',
  NICHE_NOT_FOUND: 'nicheId',
};

/** An API error in the house shape {statusCode, error, code, message, details, requestId}. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: { field?: string; message: string }[];
  readonly requestId?: string;

  constructor(status: number, body: Partial<ErrorResponseDto> | undefined) {
    super(body?.message || (status ? `Request failed (${status})` : 'The server could not be reached'));
    this.status = status;
    this.code = body?.code ?? 'UNKNOWN';
    this.details = Array.isArray(body?.details) ? body.details : [];
    this.requestId = body?.requestId;
  }

  /** The message for one field, if the API named it (or if the error's code is about that field). */
  fieldError(field: string): string | undefined {
    const detail = this.details.find(
      (d) => d.field === field || d.field?.startsWith(`${field}.`) || d.field?.endsWith(`.${field}`),
    );
    if (detail) return humanMessage(detail.message);
    return CODE_FIELDS[this.code] === field ? (codeMessage(this.code) ?? this.message) : undefined;
  }

  /** Every field the API named, with its message as a person would say it (for a form's setErrors). */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const d of this.details) {
      if (!d.field) continue;
      // "events.0" is about the list of events: its control shows it
      for (const path of [d.field, d.field.replace(/\.\d+$/, '')]) errors[path] ??= humanMessage(d.message);
    }
    const field = CODE_FIELDS[this.code];
    if (field && !errors[field]) errors[field] = codeMessage(this.code) ?? this.message;
    return errors;
  }

  /** The general message, in the UI's language when the code has one. */
  humanMessage(): string {
    return codeMessage(this.code) ?? (this.status === 0 ? i18n.t('common.unreachable') : this.message);
  }
}

type Result = { data?: unknown; error?: unknown; response?: Response };
/** The success payload of a generated-client call. */
type DataOf<P> = P extends Promise<infer R> ? (R extends { data: infer D } ? Exclude<D, undefined> : never) : never;

/** Turns a generated-client result into its data, or throws an ApiError. */
export async function unwrap<P extends Promise<Result>>(call: P): Promise<DataOf<P>> {
  let result: Result;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, undefined);
  }
  if (result.error !== undefined || !result.response?.ok) {
    const body =
      typeof result.error === 'object' && result.error ? (result.error as Partial<ErrorResponseDto>) : undefined;
    throw new ApiError(result.response?.status ?? 0, body);
  }
  return result.data as DataOf<P>;
}

export function errorMessage(error: unknown): string | undefined {
  if (!error) return undefined;
  return error instanceof Error ? error.message : String(error);
}

const CODE_MESSAGES: Record<string, string> = {
  LEAD_EMAIL_TAKEN: 'validation.duplicateEmail',
  NICHE_NAME_TAKEN: 'validation.duplicateName',
  INVALID_CREDENTIALS: 'validation.invalidCredentials',
  VALIDATION_FAILED: 'validation.checkFields',
};

function codeMessage(code: string): string | undefined {
  const key = CODE_MESSAGES[code];
  return key ? i18n.t(key) : undefined;
}

/**
 * A validation message of the API ("name must be longer than or equal to 1 characters",
 * "actions.0.tag should not be empty") as a person would say it, in the UI's language.
 * Messages the API already words for people pass through.
 */
export function humanMessage(message: string): string {
  const t = i18n.t.bind(i18n);
  let m: RegExpExecArray | null;
  if (/should not be empty|must be longer than or equal to 1 characters?$/.test(message))
    return t('validation.required');
  if ((m = /must be longer than or equal to (\d+) characters?/.exec(message)))
    return t('validation.tooShort', { count: Number(m[1]) });
  if ((m = /must be shorter than or equal to (\d+) characters?/.exec(message)))
    return t('validation.tooLong', { count: Number(m[1]) });
  if (/must be an email/.test(message)) return t('validation.email');
  if (/must be (a|an) URL/i.test(message)) return t('validation.url');
  if (/must be (a|an integer) number|must be an integer|must be a number/.test(message)) return t('validation.number');
  if ((m = /must not be less than (-?[\d.]+)/.exec(message))) return t('validation.min', { min: m[1] });
  if ((m = /must not be greater than (-?[\d.]+)/.exec(message))) return t('validation.max', { max: m[1] });
  if (/must be one of the following values/.test(message)) return t('validation.oneOf');
  return message;
}
