import { DateInput, DatesProvider } from '@mantine/dates';
import '@mantine/dates/styles.css';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import localizedFormat from 'dayjs/plugin/localizedFormat';
import 'dayjs/locale/fr';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toLanguage } from '../i18n';
import { FieldFrame } from './fields';

// "L" (06/12/2026 in French, 12/06/2026 in English) to show, and to read what is typed
dayjs.extend(localizedFormat);
dayjs.extend(customParseFormat);

/** The date pickers' month and day names, and their typed format, follow the UI language. */
export function LocalizedDates({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return <DatesProvider settings={{ locale: toLanguage(i18n.language) }}>{children}</DatesProvider>;
}

/**
 * A labelled date (YYYY-MM-DD in and out, '' for none) typed or picked in the UI language's format, with the
 * API's message for this field under it, like `Field`.
 */
export function DateField({
  label,
  name,
  value,
  onChange,
  error,
  hint,
  testId,
  minDate,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: unknown;
  hint?: ReactNode;
  testId?: string;
  /** YYYY-MM-DD: earlier days cannot be picked */
  minDate?: string;
}) {
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint}>
      {(invalid) => (
        <DateInput
          name={name}
          value={value || null}
          onChange={(date) => onChange(date ?? '')}
          valueFormat="L"
          clearable
          minDate={minDate}
          error={invalid || undefined}
          aria-invalid={invalid || undefined}
          data-testid={testId ?? name}
        />
      )}
    </FieldFrame>
  );
}
