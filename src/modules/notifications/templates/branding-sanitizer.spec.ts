import { AppError } from '../../../common/errors/app-error';
import { DEFAULT_PRIMARY_COLOR, readableTextOn, safeColor, safeUrl, sanitizeBranding } from './branding-sanitizer';

describe('safeUrl', () => {
  it.each([
    ['https://trk.example/t/PSG1', 'https://trk.example/t/PSG1'],
    ['http://trk.example/a b', 'http://trk.example/a%20b'],
    ['  https://trk.example/x?a=1&b="2"  ', 'https://trk.example/x?a=1&b=%222%22'],
  ])('keeps the http(s) URL %s', (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });

  it.each([['javascript:alert(1)'], ['JaVaScRiPt:alert(1)'], ['data:text/html,<script>'], ['//evil.example'], ['/relative'], ['mailto:a@b.c'], [''], [null], [42]])(
    'drops %j',
    (input) => {
      expect(safeUrl(input)).toBeNull();
    },
  );
});

describe('safeColor and readableTextOn', () => {
  it.each([['#0B5D4B', '#0b5d4b'], ['#ffffff', '#ffffff']])('accepts %s', (input, expected) => {
    expect(safeColor(input)).toBe(expected);
  });

  it.each([['red'], ['#fff'], ['#12345g'], ['#123456;background:url(x)'], ['rgb(0,0,0)'], [' #123456']])('rejects %s', (input) => {
    expect(safeColor(input)).toBeNull();
  });

  it('puts black text on pale colours and white text on dark ones', () => {
    expect(readableTextOn('#ffeb3b')).toBe('#000000');
    expect(readableTextOn('#0b5d4b')).toBe('#ffffff');
  });
});

describe('sanitizeBranding', () => {
  it('replaces an invalid colour, drops unsafe links and reports each without its value', () => {
    const warnings: string[] = [];
    const brand = sanitizeBranding(
      { retailerName: 'Shop', primaryColor: 'red', logoUrl: 'javascript:alert(1)', supportEmail: 'not an email', supportPhone: '<b>call</b>' },
      warnings,
    );
    expect(brand).toMatchObject({ primaryColor: DEFAULT_PRIMARY_COLOR, logoUrl: null, supportEmail: null, supportPhone: null });
    expect(warnings).toHaveLength(4);
    expect(warnings.join(' ')).not.toMatch(/javascript|<b>/);
  });

  it('builds a tel: link from the digits of the phone number', () => {
    expect(sanitizeBranding({ retailerName: 'Shop', supportPhone: '+49 (30) 1234-5678' }, []).supportPhoneHref).toBe('tel:+493012345678');
  });

  it('requires a retailer name', () => {
    expect(() => sanitizeBranding({ retailerName: '  ' }, [])).toThrow(AppError);
  });
});
