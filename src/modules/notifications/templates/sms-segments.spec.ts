import { foldToGsm7, isGsm7, measureSms, normaliseSmsText } from './sms-segments';

describe('measureSms', () => {
  it.each([
    ['a'.repeat(160), 'GSM-7', 1, 160],
    ['a'.repeat(161), 'GSM-7', 2, 161],
    ['a'.repeat(306), 'GSM-7', 2, 306],
    ['a'.repeat(307), 'GSM-7', 3, 307],
    // Extension-table characters take two septets.
    ['€'.repeat(80), 'GSM-7', 1, 160],
    ['€'.repeat(81), 'GSM-7', 2, 162],
    ['[]{}|~^\\', 'GSM-7', 1, 16],
    ['ÄÖÜäöüßéèàÉñÑ¿¡øåæ', 'GSM-7', 1, 18],
    ['あ'.repeat(70), 'UCS-2', 1, 70],
    ['あ'.repeat(71), 'UCS-2', 2, 71],
    ['あ'.repeat(134), 'UCS-2', 2, 134],
    ['あ'.repeat(135), 'UCS-2', 3, 135],
    // One character outside GSM-7 switches the whole message.
    ['a'.repeat(69) + 'ç', 'UCS-2', 1, 70],
    ['a'.repeat(70) + 'ş', 'UCS-2', 2, 71],
  ])('measures %#: %s', (body, encoding, segments, units) => {
    expect(measureSms(body)).toEqual({ encoding, segments, units });
  });
});

describe('normaliseSmsText', () => {
  it('replaces typographic spaces and dashes from Intl output with GSM-7 characters', () => {
    const intl = '1\u202f234,50\u00a0€ 14.\u201316.08. 10:00\u202fAM';
    expect(isGsm7(intl)).toBe(false);
    const normalised = normaliseSmsText(intl);
    expect(normalised).toBe('1 234,50 € 14.-16.08. 10:00 AM');
    expect(isGsm7(normalised)).toBe(true);
  });
});

describe('foldToGsm7', () => {
  it('folds Polish letters outside GSM-7 to base letters and keeps GSM-7 accents', () => {
    expect(foldToGsm7('Twoja przesyłka została doręczona. Zażółć gęślą jaźń')).toBe('Twoja przesylka zostala doreczona. Zazolc gesla jazn');
    expect(foldToGsm7('Café Müller, Ørsted')).toBe('Café Müller, Ørsted');
  });

  it('leaves characters without a GSM-7 base letter alone', () => {
    expect(foldToGsm7('箱 ł')).toBe('箱 l');
  });
});
