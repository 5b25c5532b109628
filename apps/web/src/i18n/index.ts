import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { fr } from './fr';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'crescendo.language';

/** A BCP 47 tag ("fr-FR", "en") reduced to a language the UI has; anything else is English. */
export function toLanguage(tag: string | null | undefined): Language {
  return tag?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** The last language used on this browser (so the login page speaks it too), else the browser's. */
function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved) return toLanguage(saved);
  } catch {
    // storage may be disabled
  }
  return toLanguage(navigator.language);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  lng: initialLanguage(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
  // a missing key is a bug: the key-parity test catches static keys; a dynamic one (a status the API
  // added) is reported on the console, which fails the browser tests
  saveMissing: true,
  missingKeyHandler: (languages, _namespace, key) =>
    console.error(`i18n: no message for "${key}" in ${languages.join(', ')}`),
});

const applyDocumentLanguage = (lng: string) => {
  document.documentElement.lang = lng;
};
applyDocumentLanguage(i18n.language);
i18n.on('languageChanged', applyDocumentLanguage);

export function setLanguage(tag: string): void {
  const lng = toLanguage(tag);
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // storage may be disabled
  }
  if (i18n.language !== lng) void i18n.changeLanguage(lng);
}

let collator: { lng: string; value: Intl.Collator } | null = null;
/** Compares names as people of the UI's language sort them: "Élodie" with the E's, not after Z. */
export function compareText(a: string, b: string): number {
  if (collator?.lng !== i18n.language) {
    collator = { lng: i18n.language, value: new Intl.Collator(i18n.language, { sensitivity: 'base', numeric: true }) };
  }
  return collator.value.compare(a, b);
}

/** A workspace role in the UI's language ("owner" → "Propriétaire"); a role the UI does not know, as it is. */
export const roleLabel = (role: string) =>
  i18n.exists(`domain.roles.${role}`) ? i18n.t(`domain.roles.${role}`) : role;

export { i18n };
