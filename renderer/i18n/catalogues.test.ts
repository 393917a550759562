import { describe, expect, it } from 'vitest';
import { type Catalogue, chooseLanguage, createI18n, LANGUAGES, type LanguageCode, loadCatalogue, supportedLanguage } from './i18n.js';

const CATALOGUES = Object.fromEntries(
  await Promise.all(LANGUAGES.map(async ({ code }) => [code, await loadCatalogue(code)] as const)),
) as Record<LanguageCode, Catalogue>;

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') keys.set(path, value);
    else for (const [inner, text] of flatten(value, path)) keys.set(inner, text);
  }
  return keys;
}

/** The keys a language needs for English's keys: a plural key in each of its own plural forms. */
function expectedKeys(language: string): Set<string> {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const expected = new Set<string>();
  for (const key of flatten(CATALOGUES.en).keys()) {
    if (!PLURAL.test(key)) expected.add(key);
    else for (const category of categories) expected.add(key.replace(PLURAL, `_${category}`));
  }
  return expected;
}

const variables = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();

describe('the catalogues', () => {
  it('cover English, Japanese, German, Spanish, Italian, Russian and Simplified Chinese', () => {
    expect(LANGUAGES.map((language) => language.code)).toEqual(['en', 'ja', 'de', 'es', 'it', 'ru', 'zh']);
  });

  it.each(LANGUAGES.map((language) => language.code))('%s has every key of English, in each of its plural forms, and no other', (code) => {
    expect([...flatten(CATALOGUES[code]).keys()].sort()).toEqual([...expectedKeys(code)].sort());
  });

  it.each(LANGUAGES.map((language) => language.code))('%s uses the same placeholders as English and leaves nothing empty', (code) => {
    const english = flatten(CATALOGUES.en);
    for (const [key, text] of flatten(CATALOGUES[code])) {
      expect(text.trim(), key).not.toBe('');
      const base = english.get(key) ?? english.get(key.replace(PLURAL, '_other')) ?? '';
      expect(variables(text), key).toEqual(variables(base));
    }
  });

  it('pluralise with i18next by each language’s rules', async () => {
    const russian = await createI18n('ru');
    expect([1, 3, 5, 21].map((count) => russian.t('search.qsos', { count }))).toEqual(['1 связь', '3 связи', '5 связей', '21 связь']);
    const japanese = await createI18n('ja');
    expect(japanese.t('search.qsos', { count: 2 })).toBe('2 交信');
  });
});

describe('chooseLanguage', () => {
  it('takes the first browser language it has, by its primary subtag', () => {
    expect(chooseLanguage(['fr-FR', 'de-AT', 'en'], null)).toBe('de');
    expect(chooseLanguage(['zh-CN'], null)).toBe('zh');
    expect(chooseLanguage(['zh-Hans-SG'], null)).toBe('zh');
    expect(chooseLanguage(['ja'], null)).toBe('ja');
  });

  it('prefers the caller’s own choice, and falls back to English', () => {
    expect(chooseLanguage(['de'], 'ru')).toBe('ru');
    expect(chooseLanguage(['fr', 'pt-BR'], null)).toBe('en');
    expect(chooseLanguage([], 'xx')).toBe('en');
    expect(supportedLanguage('IT-ch')).toBe('it');
  });
});
