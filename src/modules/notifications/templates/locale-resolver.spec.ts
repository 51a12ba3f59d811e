import { resolveLocale, resolveLocaleDetailed } from './locale-resolver';

describe('resolveLocale', () => {
  it.each([
    [['en'], 'en'],
    [['en-GB'], 'en'],
    [['de-AT'], 'de'],
    [['de_CH'], 'de'],
    [['fr-CA'], 'fr'],
    [['FR-be'], 'fr'],
    [['es-MX'], 'es'],
    [['nl-BE'], 'nl'],
    [['sv-FI'], 'sv'],
    [['pt-BR'], 'pt-BR'],
    [['pt'], 'pt-BR'],
    [['pt-PT'], 'en'],
    [['pt-PT', 'es'], 'es'],
    [['zh'], 'zh-Hans'],
    [['zh-CN'], 'zh-Hans'],
    [['zh-SG'], 'zh-Hans'],
    [['zh-Hans-HK'], 'zh-Hans'],
    [['zh-TW'], 'en'],
    [['zh-HK'], 'en'],
    [['zh-Hant'], 'en'],
    [['nb-NO'], 'en'],
    [['no'], 'en'],
    [['nn'], 'en'],
    [['ja-JP'], 'ja'],
    [['ko-KR'], 'ko'],
    [['tr-TR'], 'tr'],
    [['pl-PL'], 'pl'],
    [['da-DK'], 'da'],
    [['it-CH'], 'it'],
  ])('resolves %j to %s', (requested, expected) => {
    expect(resolveLocale(requested)).toBe(expected);
  });

  it('tries the consignee locale first, then the country defaults in order', () => {
    expect(resolveLocale(['nb-NO', 'sv-SE'])).toBe('sv');
    expect(resolveLocale(['it', 'de-CH', 'fr-CH'])).toBe('it');
    expect(resolveLocale(['rm-CH', 'de-CH', 'fr-CH'])).toBe('de');
  });

  it('skips tags that are not valid BCP 47 and falls back to English for an empty list', () => {
    expect(resolveLocale(['not a locale', '', 'de'])).toBe('de');
    expect(resolveLocale([])).toBe('en');
  });

  it('formats with the requested regional variant while using the language catalog', () => {
    expect(resolveLocaleDetailed(['fr-CA'])).toEqual({ locale: 'fr', formattingLocale: 'fr-CA', matched: 'fr-CA' });
    expect(resolveLocaleDetailed(['de-CH-u-nu-arab'])).toEqual({ locale: 'de', formattingLocale: 'de-CH', matched: 'de-CH' });
  });

  it('formats English fallbacks with the first requested region, so a Norwegian sees day-month dates', () => {
    expect(resolveLocaleDetailed(['nb-NO'])).toEqual({ locale: 'en', formattingLocale: 'en-NO', matched: null });
    expect(resolveLocaleDetailed(['xx'])).toEqual({ locale: 'en', formattingLocale: 'en', matched: null });
  });
});
