import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, humanMessage } from '../api/errors';

/** The API's general message for a failed form (field messages appear next to their fields). */
export function FormError({ error, testId = 'form-error' }: { error: unknown; testId?: string }) {
  if (!error) return null;
  const message =
    error instanceof ApiError ? error.humanMessage() : error instanceof Error ? error.message : String(error);
  const unplaced =
    error instanceof ApiError
      ? error.details.filter((d) => !d.field).map((d) => humanMessage(d.message))
      : ([] as string[]);
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

export function Notice({
  children,
  testId,
  tone = 'success',
}: {
  children: ReactNode;
  testId?: string;
  /** error: an outcome that went wrong without the call failing (a ping not delivered). */
  tone?: 'success' | 'error';
}) {
  return (
    <div className={`alert ${tone}`} role="status" data-testid={testId}>
      {children}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" data-testid="loading">
      <span className="spinner" aria-hidden /> {label ?? t('common.loading')}
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

/** A destructive action that asks once before acting. */
export function ConfirmButton({
  label,
  confirmLabel = label,
  question,
  onConfirm,
  disabled,
  testId,
}: {
  label: string;
  confirmLabel?: string;
  question?: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="danger-outline"
        disabled={disabled}
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      {question ?? t('common.sure')}{' '}
      <button
        type="button"
        className="danger"
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        data-testid={testId && `${testId}-confirm`}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}

/** A labelled 0..100 bar. */
export function ProgressBar({ value, label, testId }: { value: number; label?: string; testId?: string }) {
  const clamped = Math.max(0, Math.min(100, value));
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped}
      data-testid={testId}
    >
      <div className="progress-fill" style={{ width: `${clamped}%` }} />
      <span className="progress-label">{label ?? `${clamped} %`}</span>
    </div>
  );
}
