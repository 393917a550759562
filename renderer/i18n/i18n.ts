/**
 * The public page's languages, with i18next and plain JSON catalogues (renderer/i18n/locales/):
 * English, Japanese, German, Spanish, Italian, Russian and Simplified Chinese. The language is
 * the caller's choice from the switcher (remembered in localStorage), else the first of
 * `navigator.languages` we have, else English. Callsigns, UTC times, bands and modes are data,
 * never passed through a catalogue; pages mark them `translate="no"`.
 */
import i18next, { type i18n } from 'i18next';
import en from './locales/en.json';

/** Each language by its own name: the switcher shows them so, whatever the page's language. */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'ja', name: '日本語' },
  { code: 'de', name: 'Deutsch' },
  { code: 'es', name: 'Español' },
  { code: 'it', name: 'Italiano' },
  { code: 'ru', name: 'Русский' },
  { code: 'zh', name: '简体中文' },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]['code'];

/** Nested keys to strings; catalogues.test.ts checks that each has every key of English, plural forms included. */
export interface Catalogue {
  [key: string]: string | Catalogue;
}

/**
 * English is bundled (the fallback); every other catalogue is its own small chunk, fetched when
 * that language is chosen, so a phone loads only the language it shows.
 */
const LOADERS: Record<LanguageCode, () => Promise<Catalogue>> = {
  en: async () => en,
  ja: async () => (await import('./locales/ja.json')).default,
  de: async () => (await import('./locales/de.json')).default,
  es: async () => (await import('./locales/es.json')).default,
  it: async () => (await import('./locales/it.json')).default,
  ru: async () => (await import('./locales/ru.json')).default,
  zh: async () => (await import('./locales/zh.json')).default,
};

export function loadCatalogue(code: LanguageCode): Promise<Catalogue> {
  return LOADERS[code]();
}

const STORAGE_KEY = 'pileup-buster.language';

function isLanguage(code: string | null | undefined): code is LanguageCode {
  return LANGUAGES.some((language) => language.code === code);
}

/** `zh-CN`, `zh-Hans-SG` → `zh`; `de-AT` → `de`; what we do not have → null. */
export function supportedLanguage(tag: string): LanguageCode | null {
  const primary = tag.toLowerCase().split('-')[0];
  return isLanguage(primary) ? primary : null;
}

/** The caller's stored choice, else the first browser language we have, else English. */
export function chooseLanguage(browserLanguages: readonly string[], stored: string | null): LanguageCode {
  if (isLanguage(stored)) return stored;
  for (const tag of browserLanguages) {
    const found = supportedLanguage(tag);
    if (found !== null) return found;
  }
  return 'en';
}

function storedChoice(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Remembers the caller's choice for the next visit (where storage is allowed). */
export function rememberLanguage(code: LanguageCode): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // Private browsing may refuse storage: the choice then lasts for this visit.
  }
}

/** An i18next instance in `language`, with English and that language loaded (tests pass 'cimode' to see keys). */
export async function createI18n(language: LanguageCode | 'cimode'): Promise<i18n> {
  const instance = i18next.createInstance();
  const resources: Record<string, { translation: Catalogue }> = { en: { translation: en } };
  if (language !== 'cimode') resources[language] = { translation: await loadCatalogue(language) };
  await instance.init({ lng: language, fallbackLng: 'en', resources, interpolation: { escapeValue: false }, returnNull: false, showSupportNotice: false });
  return instance;
}

/** Loads a language's catalogue (once) and switches to it. */
export async function switchLanguage(instance: i18n, code: LanguageCode): Promise<void> {
  if (!instance.hasResourceBundle(code, 'translation')) instance.addResourceBundle(code, 'translation', await loadCatalogue(code));
  await instance.changeLanguage(code);
}

/** The language this browser should start in. */
export function initialLanguage(): LanguageCode {
  return chooseLanguage(typeof navigator === 'undefined' ? [] : navigator.languages, storedChoice());
}
