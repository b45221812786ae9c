import i18next, { type BackendModule, type i18n, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import vi from './locales/vi.json';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'vi';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The locales that are not bundled: fetched (from the precache) only when a person chooses one. */
const LAZY_LOCALES: Record<Exclude<Language, 'vi'>, () => Promise<{ default: ResourceKey }>> = {
  en: () => import('./locales/en.json'),
};

/** i18next's way to load a language on demand: here, a chunk of the app rather than a server. */
const lazyLocales: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, _namespace, callback) {
    const load = LAZY_LOCALES[language as keyof typeof LAZY_LOCALES];
    if (!load) return callback(null, language === 'vi' ? vi : {});
    load().then(
      (module) => callback(null, module.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  },
};

/**
 * A fresh i18next instance; Vietnamese is the source locale, the fallback, and the only one in the
 * start-up bundle. Resolves once the chosen language is loaded.
 */
export async function createI18n(language: Language = DEFAULT_LANGUAGE): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance
    .use(lazyLocales)
    .use(initReactI18next)
    .init({
      resources: { vi: { translation: vi } },
      partialBundledLanguages: true,
      lng: language,
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: [...LANGUAGES],
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  return instance;
}
