const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "Il y a 5 minutes" / "5 minutes ago": how long ago `at` was, in `language`, capitalised. */
export function timeAgo(at: Date, now: Date, language: string): string {
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  let format: Intl.RelativeTimeFormat;
  try {
    format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  } catch {
    format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  }
  const [unit, size] = units.find(([, s]) => seconds >= s) ?? ['second', 1];
  const text = format.format(unit === 'second' ? 0 : -Math.floor(seconds / size), unit);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
