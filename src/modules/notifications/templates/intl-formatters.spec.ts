import { FormatContext, formatCountry, formatDate, formatDateRange, formatDateTime, formatItems, formatMoney, formatTimeRange } from './intl-formatters';

const email = (locale: string, timeZone = 'Europe/Berlin'): FormatContext => ({ locale, timeZone, channel: 'email' });
const sms = (locale: string, timeZone = 'Europe/Berlin'): FormatContext => ({ locale, timeZone, channel: 'sms' });
// Intl uses no-break, narrow no-break and thin spaces; compare on plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f\u2009]/g, ' ');

describe('formatMoney', () => {
  it.each([
    [{ amountMinor: 123450, currency: 'EUR' }, 'de', '1.234,50 €'],
    [{ amountMinor: 123450, currency: 'EUR' }, 'fr', '1 234,50 €'],
    [{ amountMinor: 123450, currency: 'EUR' }, 'en', '€1,234.50'],
    [{ amountMinor: 1500, currency: 'JPY' }, 'ja', '￥1,500'],
    [{ amountMinor: 15000, currency: 'KRW' }, 'ko', '₩15,000'],
    [{ amountMinor: 1234, currency: 'BHD' }, 'en', 'BHD 1.234'],
    [{ amountMinor: 9990, currency: 'BRL' }, 'pt-BR', 'R$ 99,90'],
  ])('formats %j in %s as %s (minor-unit digits from the currency)', (money, locale, expected) => {
    expect(plain(formatMoney(money, email(locale)))).toBe(expected);
  });

  it('uses the ISO code in SMS when the symbol is not GSM-7, so the message stays GSM-7', () => {
    expect(plain(formatMoney({ amountMinor: 15000, currency: 'KRW' }, sms('de')))).toBe('15.000 KRW');
    expect(plain(formatMoney({ amountMinor: 15000, currency: 'KRW' }, email('de')))).toBe('15.000 ₩');
    expect(plain(formatMoney({ amountMinor: 123450, currency: 'EUR' }, sms('de')))).toBe('1.234,50 €');
  });

  it.each([
    [undefined],
    [{ amountMinor: 12.5, currency: 'EUR' }],
    [{ amountMinor: 100, currency: 'eur' }],
    [{ amountMinor: 100, currency: 'XYZ' }],
  ])('rejects %j', (value) => {
    expect(() => formatMoney(value, email('de'))).toThrow(/money/);
  });
});

describe('dates', () => {
  // 20:30 UTC on 13 August is already 14 August (05:30) in Tokyo.
  const instant = '2026-08-13T20:30:00Z';

  it('formats the calendar day of the consignee time zone, not of UTC', () => {
    expect(formatDate(instant, email('en', 'Asia/Tokyo'))).toBe('Friday, August 14');
    expect(formatDate(instant, email('en', 'UTC'))).toBe('Thursday, August 13');
    expect(formatDate(instant, email('ja', 'Asia/Tokyo'))).toBe('8月14日金曜日');
    expect(formatDate(new Date(instant), email('de', 'Asia/Tokyo'))).toBe('Freitag, 14. August');
  });

  it('uses short numeric dates in SMS, ordered per locale', () => {
    expect(formatDate(instant, sms('en', 'Asia/Tokyo'))).toBe('8/14');
    expect(formatDate(instant, sms('en-GB', 'Asia/Tokyo'))).toBe('14/08');
    expect(formatDate(instant, sms('de', 'Asia/Tokyo'))).toBe('14.8.');
  });

  it('formats date and time in the consignee time zone', () => {
    expect(plain(formatDateTime(instant, email('en', 'Asia/Tokyo')))).toBe('Friday, August 14 at 5:30 AM');
    expect(formatDateTime(instant, email('de', 'Europe/Berlin'))).toBe('Donnerstag, 13. August um 22:30');
  });

  it('formats ranges, collapsing a range within one local day', () => {
    const range = { from: '2026-08-13T22:00:00Z', to: '2026-08-15T22:00:00Z' };
    expect(plain(formatDateRange(range, email('en', 'Europe/Berlin')))).toBe('Fri, August 14 – Sun, August 16');
    expect(plain(formatDateRange({ from: '2026-08-14T08:00:00Z', to: '2026-08-14T10:00:00Z' }, email('en', 'Europe/Berlin')))).toBe('Fri, August 14');
    expect(plain(formatTimeRange({ from: '2026-08-14T08:00:00Z', to: '2026-08-14T10:00:00Z' }, email('de', 'Europe/Berlin')))).toBe('10:00–12:00 Uhr');
  });

  it.each([['2026-08-14'], ['2026-08-14T10:00:00'], ['yesterday'], [12345], [undefined]])('rejects %j, which has no offset or is not an instant', (value) => {
    expect(() => formatDate(value, email('en'))).toThrow(/date: expected/);
  });

  it('rejects a range that ends before it starts', () => {
    expect(() => formatDateRange({ from: '2026-08-15T00:00:00Z', to: '2026-08-14T00:00:00Z' }, email('en'))).toThrow(/before/);
  });
});

describe('formatCountry and formatItems', () => {
  it('names the country in the locale', () => {
    expect(formatCountry('DE', email('fr'))).toBe('Allemagne');
    expect(formatCountry('BR', email('ja'))).toBe('ブラジル');
    expect(() => formatCountry('Germany', email('fr'))).toThrow(/country/);
  });

  it('joins the translated item names with the locale conjunction', () => {
    const names = { commercial_invoice: 'Handelsrechnung', tax_id: 'Steuer-ID' } as Record<string, string>;
    expect(formatItems(['commercial_invoice', 'tax_id'], email('de'), names as never)).toBe('Handelsrechnung und Steuer-ID');
    expect(() => formatItems(['passport_scan'], email('de'), names as never)).toThrow(/unknown item/);
    expect(() => formatItems([], email('de'), names as never)).toThrow(/non-empty/);
  });
});
