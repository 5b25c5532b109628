import {
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/errors';

interface FieldProps {
  label: string;
  name: string;
  /**
   * The failed mutation or query (its message for `name` shows under the control), or the message itself
   * (a @mantine/form field's `error`, from getInputProps).
   */
  error?: unknown;
  hint?: ReactNode;
  /** Marks the label (the API still decides: its message shows under the control). */
  required?: boolean;
}

/** The API's message for one field of a failed call, if it named that field. */
export function FieldMessage({ name, error }: { name: string; error: unknown }) {
  const message = messageFor(name, error);
  return message ? (
    <small className="field-error" data-testid={`error-${name}`}>
      {message}
    </small>
  ) : null;
}

function messageFor(name: string, error: unknown): string | undefined {
  if (typeof error === 'string') return error || undefined;
  return error instanceof ApiError ? error.fieldError(name) : undefined;
}

/** Label, control, and the API's message for this field (or a hint). Shared by every form control. */
export function FieldFrame({
  label,
  name,
  error,
  hint,
  required,
  children,
}: FieldProps & { children: (invalid: boolean) => ReactNode }) {
  const { t } = useTranslation();
  const message = messageFor(name, error);
  return (
    <label className="field">
      <span>
        {label}
        {required && (
          <abbr className="required-mark" title={t('common.required')} data-testid={`required-${name}`}>
            *
          </abbr>
        )}
      </span>
      {children(!!message)}
      {message ? <FieldMessage name={name} error={error} /> : hint ? <small className="hint">{hint}</small> : null}
    </label>
  );
}

/** A labelled input with the API's message for this field under it. */
export function Field({ label, name, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} required={input.required}>
      {(invalid) => <input name={name} aria-invalid={invalid || undefined} data-testid={input.id ?? name} {...input} />}
    </FieldFrame>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** A labelled select; `placeholder` adds a first empty option (“any”, “none”). */
export function SelectField({
  label,
  name,
  error,
  hint,
  options,
  placeholder,
  ...select
}: FieldProps & { options: Option[]; placeholder?: string } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} required={select.required}>
      {(invalid) => (
        <select name={name} aria-invalid={invalid || undefined} data-testid={select.id ?? name} {...select}>
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export function TextAreaField({
  label,
  name,
  error,
  hint,
  ...area
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} required={area.required}>
      {(invalid) => (
        <textarea name={name} aria-invalid={invalid || undefined} data-testid={area.id ?? name} rows={4} {...area} />
      )}
    </FieldFrame>
  );
}

/** Free-text tags: chips with a remove button, and an input that adds on Enter or comma. */
export function TagInput({
  label,
  name,
  value,
  onChange,
  error,
  placeholder,
}: {
  label: string;
  name: string;
  value: string[];
  onChange: (tags: string[]) => void;
  error?: unknown;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const add = () => {
    const tag = draft.trim().toLowerCase();
    if (tag && !value.includes(tag)) onChange([...value, tag]);
    setDraft('');
  };
  return (
    <FieldFrame label={label} name={name} error={error}>
      {(invalid) => (
        <div className="tag-input" aria-invalid={invalid || undefined}>
          {value.map((tag) => (
            <span className="tag" key={tag} data-testid={`${name}-chip`}>
              {tag}
              <button
                type="button"
                className="chip-remove"
                aria-label={t('common.removeTag', { tag })}
                onClick={() => onChange(value.filter((t) => t !== tag))}
              >
                ×
              </button>
            </span>
          ))}
          <input
            value={draft}
            placeholder={placeholder ?? t('common.addTagHint')}
            data-testid={`${name}-input`}
            onChange={(e) => setDraft(e.target.value.replace(',', ''))}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ',') {
                e.preventDefault();
                add();
              }
            }}
            onBlur={add}
          />
        </div>
      )}
    </FieldFrame>
  );
}

/** A new password: the API's bounds (8 to 128 characters), saved by the browser's password manager as new. */
export function NewPasswordField(props: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return <Field type="password" autoComplete="new-password" minLength={8} maxLength={128} {...props} />;
}

/** A form's submit button: disabled while its request runs, and saying so. */
export function SubmitButton({
  pending,
  label,
  pendingLabel,
  wide,
  testId,
}: {
  pending: boolean;
  label: string;
  pendingLabel: string;
  /** as wide as the form (the sign-in cards) */
  wide?: boolean;
  testId?: string;
}) {
  return (
    <button className={wide ? 'primary wide' : 'primary'} type="submit" disabled={pending} data-testid={testId}>
      {pending ? pendingLabel : label}
    </button>
  );
}
