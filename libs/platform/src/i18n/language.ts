import { LruMap } from '../cache/lru-map';

/**
 * The languages the server writes to people in (notifications, e-mails, Slack messages): the SPA's
 * (apps/web/src/i18n). Each feature keeps its texts as a `Catalogue`, one object per language with exactly the
 * same keys (`fr: typeof en`, so tsc refuses a missing one; `missingTranslations` checks it at run time too).
 */
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Texts per language. */
export type Catalogue<T> = Record<Language, T>;

/** A BCP 47 tag ("fr-FR", "en") reduced to a language the server has; anything else (or none) is English. */
export function toLanguage(tag: string | null | undefined): Language {
  return tag?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/**
 * The language a person reads what the server writes them in (e-mails, notifications, the dashboard's "5 minutes
 * ago"): the one they chose in their preferences, else the default of the workspace it is written for (general
 * settings), else English. The one place of this rule: the mail service and analytics' reader scope each read the two
 * settings their own way (analytics has the general settings read already) and apply it. A tag as stored ("fr-FR"):
 * `toLanguage` reduces it to a language the server has texts in.
 */
export function readerLanguage(chosen: string | null | undefined, workspaceDefault: string | null | undefined): string {
  return chosen || workspaceDefault || 'en';
}

/**
 * Lead and campaign statuses as people read them (notification texts, Slack posts): one table for every server text,
 * every status of both enums (their values do not overlap). An unknown status reads as itself.
 */
const STATUS_NAMES: Catalogue<Record<string, string>> = {
  en: {
    new: 'new',
    contacted: 'contacted',
    qualified: 'qualified',
    converted: 'converted',
    lost: 'lost',
    draft: 'draft',
    scheduled: 'scheduled',
    active: 'active',
    paused: 'paused',
    completed: 'completed',
    archived: 'archived',
  },
  fr: {
    new: 'nouveau',
    contacted: 'contacté',
    qualified: 'qualifié',
    converted: 'converti',
    lost: 'perdu',
    draft: 'brouillon',
    scheduled: 'programmée',
    active: 'active',
    paused: 'en pause',
    completed: 'terminée',
    archived: 'archivée',
  },
};

export const statusName = (status: string, language: Language): string => STATUS_NAMES[language][status] ?? status;

/**
 * The texts present in one language of a catalogue and missing (or empty) in another, as "fr: kinds › import.completed";
 * empty when every language has every text.
 */
export function missingTranslations(catalogue: Catalogue<object>): string[] {
  const paths = (value: unknown, path: string[]): string[][] =>
    value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, inner]) => paths(inner, [...path, key]))
      : [path];
  const has = (language: Language, path: string[]) => {
    const value = path.reduce<unknown>(
      (at, key) => (at as Record<string, unknown> | undefined)?.[key],
      catalogue[language],
    );
    return value !== undefined && value !== null && value !== '';
  };
  const all = new Map(LANGUAGES.flatMap((language) => paths(catalogue[language], [])).map((p) => [p.join(' › '), p]));
  return LANGUAGES.flatMap((language) =>
    [...all].filter(([, path]) => !has(language, path)).map(([name]) => `${language}: ${name}`),
  );
}

/**
 * An amount in a currency's smallest unit, as the reader writes amounts ("12,50 €" / "€12.50"); a code Intl does not know
 * reads "12.50 ABC".
 */
export function formatMoney(amount: number, currency: string, language: Language): string {
  const money = moneyFormat(language, currency.toUpperCase());
  if (!money) return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
  return money.format.format(amount / money.minorUnits);
}

/**
 * One formatter per language and currency: building an Intl.NumberFormat costs more than the rest of a Stripe
 * webhook's notification (0.35 s of the API's CPU over the webhook bench's 6 000 deliveries). null: a code Intl
 * does not know.
 */
function moneyFormat(language: Language, currency: string): MoneyFormat | null {
  const key = `${language} ${currency}`;
  let money = moneyFormats.get(key);
  if (money === undefined) {
    try {
      const format = new Intl.NumberFormat(language, { style: 'currency', currency });
      // Amounts are in the currency's smallest unit, as Stripe counts them: cents, but whole yen (0 decimals).
      money = { format, minorUnits: 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2) };
    } catch {
      money = null;
    }
    moneyFormats.set(key, money);
  }
  return money;
}

/** A formatter and how many of the currency's smallest unit make one (resolvedOptions() allocates at each call). */
interface MoneyFormat {
  format: Intl.NumberFormat;
  minorUnits: number;
}

// Currency codes come from Stripe and stored rows: a bounded set, but not trusted to stay small.
const moneyFormats = new LruMap<MoneyFormat | null>(500);
