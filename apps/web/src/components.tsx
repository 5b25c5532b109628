import type { InputHTMLAttributes, ReactNode } from 'react';
import { ApiError } from './api/errors';

/** A labelled input with the API's message for this field under it. */
export function Field({
  label,
  name,
  error,
  hint,
  ...input
}: { label: string; name: string; error?: unknown; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const message = error instanceof ApiError ? error.fieldError(name) : undefined;
  return (
    <label className="field">
      <span>{label}</span>
      <input name={name} aria-invalid={message ? true : undefined} data-testid={input.id ?? name} {...input} />
      {message ? (
        <small className="field-error" data-testid={`error-${name}`}>
          {message}
        </small>
      ) : hint ? (
        <small className="hint">{hint}</small>
      ) : null}
    </label>
  );
}

/** The API's general message for a failed form (field messages appear next to their fields). */
export function FormError({ error, testId = 'form-error' }: { error: unknown; testId?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const unplaced =
    error instanceof ApiError ? error.details.filter((d) => !d.field).map((d) => d.message) : ([] as string[]);
  return (
    <div className="alert error" role="alert" data-testid={testId}>
      {message}
      {unplaced.length > 0 && (
        <ul>
          {unplaced.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="alert success" role="status" data-testid={testId}>
      {children}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" data-testid="loading">
      <span className="spinner" aria-hidden /> {label}
    </div>
  );
}

export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="empty" data-testid={testId}>
      {children}
    </div>
  );
}

export function formatDate(value: string | null | undefined, fallback = '—'): string {
  if (!value) return fallback;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? fallback : date.toLocaleString();
}
