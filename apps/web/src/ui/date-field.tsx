import {
  DateInput,
  DatePickerInput,
  DateTimePicker,
  DatesProvider,
  TimePicker,
  type CalendarAriaLabels,
} from '@mantine/dates';
import '@mantine/dates/styles.css';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import localizedFormat from 'dayjs/plugin/localizedFormat';
import 'dayjs/locale/fr';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toLanguage } from '../i18n';
import { FieldFrame } from './fields';

// "L" (06/12/2026 in French, 12/06/2026 in English) and "LT" (14:30, 2:30 PM) to show, and to read what is typed
dayjs.extend(localizedFormat);
dayjs.extend(customParseFormat);

/**
 * The theme's defaults for the date pickers. The root font is 15 px, so Mantine's default size (2.25rem) draws
 * them 34 px high with 13 px text beside the forms' 40 px fields; "md" (2.625rem, 1rem text) matches those.
 */
export const dateComponents = {
  DateInput: DateInput.extend({ defaultProps: { size: 'md' } }),
  DatePickerInput: DatePickerInput.extend({ defaultProps: { size: 'md' } }),
  DateTimePicker: DateTimePicker.extend({ defaultProps: { size: 'md' } }),
  TimePicker: TimePicker.extend({ defaultProps: { size: 'md' } }),
};

/** The date pickers' month and day names, first weekday and typed format follow the UI language. */
export function LocalizedDates({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const language = toLanguage(i18n.language);
  return (
    <DatesProvider settings={{ locale: language, firstDayOfWeek: language === 'en' ? 0 : 1 }}>{children}</DatesProvider>
  );
}

/** The calendar's header buttons, named in the UI language (Mantine leaves them unnamed). */
export function useCalendarLabels(): CalendarAriaLabels {
  const { t } = useTranslation();
  return {
    previousMonth: t('dates.previousMonth'),
    nextMonth: t('dates.nextMonth'),
    previousYear: t('dates.previousYear'),
    nextYear: t('dates.nextYear'),
    previousDecade: t('dates.previousDecade'),
    nextDecade: t('dates.nextDecade'),
    monthLevelControl: t('dates.chooseMonth'),
    yearLevelControl: t('dates.chooseYear'),
  };
}

/** The hour, minute and AM/PM boxes of a time, each named after its field ("Starts, hours"). */
function useTimeProps(label: string) {
  const { t, i18n } = useTranslation();
  return {
    // English shows 2:30 PM, French 14:30; the value is HH:mm either way
    format: toLanguage(i18n.language) === 'en' ? ('12h' as const) : ('24h' as const),
    hoursInputLabel: t('dates.hours', { field: label }),
    minutesInputLabel: t('dates.minutes', { field: label }),
    amPmInputLabel: t('dates.amPm', { field: label }),
  };
}

interface DateFieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: unknown;
  hint?: ReactNode;
  testId?: string;
  required?: boolean;
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
}: DateFieldProps & {
  /** YYYY-MM-DD: earlier days cannot be picked */
  minDate?: string;
}) {
  const ariaLabels = useCalendarLabels();
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
          ariaLabels={ariaLabels}
          error={invalid || undefined}
          aria-invalid={invalid || undefined}
          data-testid={testId ?? name}
        />
      )}
    </FieldFrame>
  );
}

/**
 * A labelled date and time (an ISO 8601 instant in and out, '' for none), shown and picked in the UI
 * language (15/03/2027 14:30 in French, 03/15/2027 2:30 PM in English) in the browser's time zone: a
 * button that opens a calendar (arrow keys move the day, Enter picks it and moves to the hours, Enter
 * again closes).
 */
export function DateTimeField({ label, name, value, onChange, error, hint, testId, required }: DateFieldProps) {
  const { t } = useTranslation();
  const ariaLabels = useCalendarLabels();
  const timeProps = useTimeProps(label);
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} required={required}>
      {(invalid) => (
        <DateTimePicker
          name={name}
          value={value ? dayjs(value).format('YYYY-MM-DD HH:mm:ss') : null}
          onChange={(local) => onChange(local ? dayjs(local).toISOString() : '')}
          valueFormat="L LT"
          placeholder={t('dates.pick')}
          clearable
          clearButtonProps={{ 'aria-label': t('dates.clear', { field: label }) }}
          ariaLabels={ariaLabels}
          timePickerProps={timeProps}
          submitButtonProps={{ 'aria-label': t('dates.done'), 'data-testid': `${testId ?? name}-done` } as object}
          // back on the field once the calendar closes, so the keyboard user does not restart from the top
          popoverProps={{ returnFocus: true }}
          error={invalid || undefined}
          aria-invalid={invalid || undefined}
          data-testid={testId ?? name}
        />
      )}
    </FieldFrame>
  );
}

/** A labelled time of day (HH:mm in and out, '' for none), in the UI language's clock (24 h or AM/PM). */
export function TimeField({ label, name, value, onChange, error, hint, testId }: DateFieldProps) {
  const timeProps = useTimeProps(label);
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint}>
      {(invalid) => (
        <TimePicker
          name={name}
          value={value}
          onChange={onChange}
          {...timeProps}
          error={invalid || undefined}
          data-testid={testId ?? name}
        />
      )}
    </FieldFrame>
  );
}

/** A bare date (YYYY-MM-DD in and out) for tight rows with their own label (the segment rule builder). */
export function InlineDate({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId?: string;
}) {
  const ariaLabels = useCalendarLabels();
  return (
    <DateInput
      aria-label={label}
      value={value || null}
      onChange={(date) => onChange(date ?? '')}
      valueFormat="L"
      ariaLabels={ariaLabels}
      data-testid={testId}
    />
  );
}
