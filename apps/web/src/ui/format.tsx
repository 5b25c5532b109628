import { i18n } from '../i18n';

export function formatDate(value: string | null | undefined, fallback = '—'): string {
  if (!value) return fallback;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? fallback : date.toLocaleString(i18n.language);
}

/** The day only, the full time on hover: for table cells. */
export function DateCell({ value }: { value: string | null | undefined }) {
  if (!value) return <>—</>;
  const date = new Date(value);
  return (
    <time dateTime={value} title={date.toLocaleString(i18n.language)}>
      {date.toLocaleDateString(i18n.language)}
    </time>
  );
}

export function formatNumber(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined
    ? '—'
    : value.toLocaleString(i18n.language, { maximumFractionDigits: digits });
}

/** Decimal places of a currency's minor unit (USD 2, JPY 0), as the browser's Intl knows it. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units as money: 999 USD → "$9.99". */
export function formatMoney(minor: number | null | undefined, currency: string | null | undefined): string {
  if (minor === null || minor === undefined) return '—';
  if (!currency) return formatNumber(minor);
  const digits = minorDigits(currency);
  try {
    return (minor / 10 ** digits).toLocaleString(i18n.language, { style: 'currency', currency });
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** "9.99" → 999 minor units; text that is no number stays NaN so that the API names the field. */
export function toMinor(text: string, currency: string): number {
  return Math.round(Number(text.replace(',', '.')) * 10 ** minorDigits(currency || 'USD'));
}

/** 999 minor units → "9.99", for an input. */
export function fromMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** A 0..1 ratio as a percentage. */
export function formatPercent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined
    ? '—'
    : `${(ratio * 100).toLocaleString(i18n.language, { maximumFractionDigits: 1 })} %`;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** "status_changed" → "Status changed". */
export function humanize(value: string): string {
  const words = value
    .replace(/[_.-]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
