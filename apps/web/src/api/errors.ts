import type { ErrorResponseDto } from '@crescendo/api-client';

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
    return detail?.message ?? (CODE_FIELDS[this.code] === field ? this.message : undefined);
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
