import { isBcp47Locale, isE164Phone, isHsCode, isIsoCountry, isIsoCurrency, isPostcodeFor, normalizeHsCode } from './validators';

describe('field validators', () => {
  describe('isIsoCountry', () => {
    it.each(['DE', 'GB', 'US', 'NL', 'JP', 'AE', 'HK'])('accepts the ISO 3166-1 alpha-2 code %s', (code) => {
      expect(isIsoCountry(code)).toBe(true);
    });
    it.each([
      ['lower case', 'de'],
      ['alpha-3', 'DEU'],
      ['an unassigned code', 'XX'],
      ['UK, which is not the ISO code', 'UK'],
      ['one letter', 'D'],
      ['padding', ' DE'],
      ['a number', 49],
      ['null', null],
    ])('rejects %s', (_what, value) => {
      expect(isIsoCountry(value)).toBe(false);
    });
  });

  describe('isIsoCurrency', () => {
    it.each(['EUR', 'GBP', 'USD', 'JPY', 'CHF'])('accepts the ISO 4217 code %s', (code) => {
      expect(isIsoCurrency(code)).toBe(true);
    });
    it.each([
      ['lower case', 'eur'],
      ['an unknown code', 'XYZ'],
      ['a symbol', '€'],
      ['two letters', 'EU'],
      ['undefined', undefined],
    ])('rejects %s', (_what, value) => {
      expect(isIsoCurrency(value)).toBe(false);
    });
  });

  describe('isE164Phone', () => {
    it.each([
      ['a German mobile', '+4915123456789'],
      ['a UK mobile', '+447911123456'],
      ['a US number', '+12025550143'],
      ['a Dutch mobile', '+31612345678'],
    ])('accepts %s', (_what, phone) => {
      expect(isE164Phone(phone)).toBe(true);
    });
    it.each([
      ['a national number', '015123456789'],
      ['spaces', '+49 151 23456789'],
      ['dashes', '+1-202-555-0143'],
      ['brackets', '+44 (0)7911 123456'],
      ['a 00 prefix', '004915123456789'],
      ['a trunk zero after the country code', '+44079111234567'],
      ['a number too short for its country', '+49151'],
      ['a country code that does not exist', '+9991234567'],
      ['letters', '+49151CALLME'],
      ['a number type', 4915123456789],
    ])('rejects %s', (_what, phone) => {
      expect(isE164Phone(phone)).toBe(false);
    });
  });

  describe('isPostcodeFor', () => {
    it.each([
      ['DE', '10115'],
      ['GB', 'SW1A 1AA'],
      ['GB', 'EC1A 1BB'],
      ['US', '90210'],
      ['US', '90210-1234'],
      ['NL', '1012 AB'],
      ['NL', '1012AB'],
    ])('accepts a %s postcode %s', (country, postcode) => {
      expect(isPostcodeFor(postcode, country)).toBe(true);
    });
    it.each([
      ['DE', '1011'],
      ['DE', 'SW1A 1AA'],
      ['GB', '10115'],
      ['US', '9021'],
      ['US', 'ABCDE'],
      ['NL', '1012'],
      ['NL', '1012 ABC'],
    ])('rejects a %s postcode %s', (country, postcode) => {
      expect(isPostcodeFor(postcode, country)).toBe(false);
    });
    it('accepts anything for a country without postcodes', () => {
      // Hong Kong has no postal codes; there is no format to check against.
      expect(isPostcodeFor('', 'HK')).toBe(true);
      expect(isPostcodeFor('anything', 'HK')).toBe(true);
    });
  });

  describe('isBcp47Locale', () => {
    it.each(['de-DE', 'en', 'en-GB', 'zh-Hant-TW', 'pt-BR', 'sr-Latn'])('accepts %s', (locale) => {
      expect(isBcp47Locale(locale)).toBe(true);
    });
    it.each([
      ['an underscore', 'de_DE'],
      ['an empty string', ''],
      ['a language subtag too long', 'deutschland-DE'],
      ['a stray dash', 'de-'],
      ['a tag longer than 35 characters', `en-${'a1234567-'.repeat(4)}x`],
      ['a number', 49],
    ])('rejects %s', (_what, locale) => {
      expect(isBcp47Locale(locale)).toBe(false);
    });
  });

  describe('HS codes', () => {
    it.each(['610910', '6109.10', '6109 10 00', '8471300000'])('accepts %s', (code) => {
      expect(isHsCode(code)).toBe(true);
    });
    it.each([
      ['five digits', '61091'],
      ['eleven digits', '61091000001'],
      ['letters', '6109AB'],
      ['dashes', '6109-10'],
      ['a number type', 610910],
    ])('rejects %s', (_what, code) => {
      expect(isHsCode(code)).toBe(false);
    });
    it('drops the dots and spaces printed on invoices', () => {
      expect(normalizeHsCode('6109.10 00')).toBe('61091000');
    });
  });
});
