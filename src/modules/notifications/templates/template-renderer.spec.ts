import { AppError } from '../../../common/errors/app-error';
import { KindStrings, SUPPORTED_LOCALES, SupportedLocale, catalogFor } from './locale-catalog';
import { MESSAGE_KINDS, MessageKind, SMS_MESSAGE_KINDS, SmsMessageKind, TemplateVariables } from './message-kinds';
import { SAMPLE_BRANDING, SAMPLE_VARIABLES } from './sample-variables';
import { measureSms } from './sms-segments';
import { renderEmail, renderSms } from './template-renderer';

const NON_EN = SUPPORTED_LOCALES.filter((l) => l !== 'en');
/** Latin-script locales whose SMS must fit one GSM-7 segment, STOP instruction included. */
const GSM_LOCALES: SupportedLocale[] = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'sv', 'da', 'pt-BR'];
const UCS2_LOCALES: SupportedLocale[] = ['ja', 'ko', 'zh-Hans', 'tr'];
const TZ = 'Europe/Berlin';

function variants<K extends MessageKind>(kind: K): TemplateVariables<K>[] {
  return SAMPLE_VARIABLES[kind] as TemplateVariables<K>[];
}
function email<K extends MessageKind>(kind: K, locale: string | string[], variables = variants(kind)[0], extra: object = {}) {
  return renderEmail({ kind, locale, timeZone: TZ, variables, branding: SAMPLE_BRANDING, ...extra });
}
function sms<K extends SmsMessageKind>(kind: K, locale: string, variables = variants(kind)[0], stopInstructions = false) {
  return renderSms({ kind, locale, timeZone: TZ, variables, branding: SAMPLE_BRANDING, stopInstructions });
}
function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}
// Words that only an English sentence would contain (none is a word in the other catalog languages).
const ENGLISH = /\b(the|your|please|has been|will|you|parcel|delivery|customs)\b/i;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

describe.each(SUPPORTED_LOCALES)('locale %s', (locale) => {
  it.each([...MESSAGE_KINDS])('renders every %s email variant in strict mode', (kind) => {
    for (const variables of variants(kind)) {
      const out = email(kind, locale, variables);
      const expectedLocale = kind === 'retailer_exception' ? 'en' : locale;
      expect(out.locale).toBe(expectedLocale);
      expect(out.subject.length).toBeGreaterThan(5);
      expect(out.html).toContain(`<html lang="${expectedLocale}"`);
      expect(out.html).toContain('href="https://trk.example/t/PSG123456789AB"');
      expect(out.text).toContain('https://trk.example/t/PSG123456789AB');
      expect(out.text).toContain('PSG123456789AB');
      expect(out.warnings).toEqual([]);
      expect(out.html).not.toMatch(/\{\{|\}\}/);
      if (locale !== 'en' && kind !== 'retailer_exception') {
        const prose = `${out.subject}\n${out.text}`.replace(/https?:\/\/\S+/g, '').replace(/Nordlicht Outfitters/g, '');
        expect(prose).not.toMatch(ENGLISH);
      }
    }
  });

  it.each([...SMS_MESSAGE_KINDS])('renders every %s SMS variant, with the link and STOP only when asked', (kind) => {
    const stop = catalogFor(locale).common.smsStop;
    for (const variables of variants(kind)) {
      const plain = sms(kind, locale, variables, false);
      const withStop = sms(kind, locale, variables, true);
      expect(plain.locale).toBe(locale);
      expect(plain.body).toMatch(/https:\/\/trk\.example\/\w+\/PSG123456789AB/);
      expect(plain.body).not.toContain('STOP');
      expect(withStop.body.endsWith(`\n${stop}`)).toBe(true);
      expect(withStop.body.startsWith(plain.body)).toBe(true);
      if (locale !== 'en') expect(plain.body.replace(/https?:\/\/\S+/g, '').replace(/Nordlicht Outfitters/g, '')).not.toMatch(ENGLISH);
    }
  });
});

describe('translations', () => {
  const en = catalogFor('en');
  const fields = (s: KindStrings) => [s.subject, s.heading, s.cta, s.sms ?? '', ...s.paragraphs];

  it.each(NON_EN)('%s has every string translated (no string equal to its English original)', (locale) => {
    const catalog = catalogFor(locale);
    for (const kind of SMS_MESSAGE_KINDS) {
      const own = fields(catalog.kinds[kind]);
      fields(en.kinds[kind]).forEach((source, i) => expect({ kind, i, same: own[i] === source }).toEqual({ kind, i, same: false }));
    }
    for (const [key, value] of Object.entries(en.common)) {
      if (typeof value === 'string') expect({ key, same: (catalog.common as unknown as Record<string, string>)[key] === value }).toEqual({ key, same: false });
    }
  });

  it.each(NON_EN)('%s renders a different subject, body and SMS than English for the same variables', (locale) => {
    for (const kind of SMS_MESSAGE_KINDS) {
      const ours = email(kind, locale);
      const english = email(kind, 'en');
      expect(ours.subject).not.toBe(english.subject);
      expect(ours.text).not.toBe(english.text);
      expect(sms(kind, locale).body).not.toBe(sms(kind, 'en').body);
    }
  });

  it('keeps CJK locales in their script', () => {
    for (const locale of ['ja', 'ko', 'zh-Hans'] as const) {
      for (const kind of SMS_MESSAGE_KINDS) expect(email(kind, locale).subject).toMatch(CJK);
    }
  });
});

describe('SMS encoding and length', () => {
  it.each(GSM_LOCALES)('fits every %s SMS in one GSM-7 segment at realistic lengths, STOP instruction included', (locale) => {
    for (const kind of SMS_MESSAGE_KINDS) {
      for (const variables of variants(kind)) {
        const out = sms(kind, locale, variables, true);
        expect({ kind, body: out.body, encoding: out.encoding, segments: out.segments }).toEqual({
          kind,
          body: out.body,
          encoding: 'GSM-7',
          segments: 1,
        });
        expect(measureSms(out.body).units).toBeLessThanOrEqual(160);
      }
    }
  });

  it.each(UCS2_LOCALES)('detects UCS-2 for %s and counts 67-unit segments past 70', (locale) => {
    for (const kind of SMS_MESSAGE_KINDS) {
      const out = sms(kind, locale, variants(kind)[0], true);
      const { units } = measureSms(out.body);
      expect(out.encoding).toBe('UCS-2');
      expect(out.segments).toBe(units <= 70 ? 1 : Math.ceil(units / 67));
    }
  });

  it('writes Polish SMS without diacritics but keeps them in the email', () => {
    const out = sms('delivered', 'pl');
    expect(out.body).toContain('przesylka zostala doreczona');
    expect(email('delivered', 'pl').text).toContain('przesyłka została doręczona');
  });

  it('switches to UCS-2 when a variable brings a character outside GSM-7', () => {
    const out = renderSms({
      kind: 'in_transit',
      locale: 'de',
      timeZone: TZ,
      variables: variants('in_transit')[0],
      branding: { retailerName: 'Çiçek Butik' },
      stopInstructions: false,
    });
    expect(out.encoding).toBe('UCS-2');
    expect(out.segments).toBe(2);
  });

  it('replaces the typographic spaces of Intl money so a French duties SMS stays GSM-7', () => {
    const out = sms('customs_hold_duties', 'fr');
    expect(out.body).toContain('1 234,50 €');
    expect(out.encoding).toBe('GSM-7');
  });
});

describe('HTML escaping and sanitising', () => {
  const hostile = '<script>alert(1)</script> & Co "x"';

  it('escapes the retailer name everywhere in the HTML and leaves the text part readable', () => {
    const out = renderEmail({
      kind: 'delivered',
      locale: 'en',
      timeZone: TZ,
      variables: variants('delivered')[0],
      branding: { ...SAMPLE_BRANDING, retailerName: hostile, logoUrl: null },
    });
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co &quot;x&quot;');
    expect(out.subject).toBe(`Your ${hostile} parcel has been delivered`);
    expect(out.text).toContain(`Thank you for shopping with ${hostile}.`);
  });

  it('escapes consignee-supplied values such as the name and the pickup point', () => {
    const variables = { ...variants('available_for_pickup')[0], consigneeName: '<img src=x onerror=alert(1)>', pickupPointName: 'Kiosk "A" <b>' };
    const out = email('available_for_pickup', 'de', variables);
    expect(out.html).not.toMatch(/<img src=x|<b>/);
    expect(out.html).toContain('Hallo &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;,');
    expect(out.html).toContain('Kiosk &quot;A&quot; &lt;b&gt;');
  });

  it('drops URLs that are not http(s), falls back to the tracking link and says so', () => {
    const variables = { ...variants('customs_hold_duties')[0], paymentUrl: 'javascript:alert(1)' };
    const out = email('customs_hold_duties', 'en', variables);
    expect(out.html).not.toContain('javascript:');
    expect(out.html).toContain('href="https://trk.example/t/PSG123456789AB"');
    expect(out.html).toContain('>Track your parcel</a>');
    expect(out.warnings).toEqual(['variables.paymentUrl is not an http(s) URL; it is left out']);
    expect(sms('customs_hold_duties', 'en', variables).body).toContain('https://trk.example/t/PSG123456789AB');
  });

  it('uses a valid brand colour, falls back for an invalid one, and never lets CSS through', () => {
    const branded = renderEmail({ kind: 'booked', locale: 'en', timeZone: TZ, variables: variants('booked')[0], branding: { ...SAMPLE_BRANDING, primaryColor: '#FFEB3B' } });
    expect(branded.html).toContain('background-color:#ffeb3b;');
    expect(branded.html).toContain('color:#000000;');
    const hostileColour = renderEmail({
      kind: 'booked',
      locale: 'en',
      timeZone: TZ,
      variables: variants('booked')[0],
      branding: { ...SAMPLE_BRANDING, primaryColor: 'red;background:url(https://evil.example/x)' },
    });
    expect(hostileColour.html).not.toContain('evil.example');
    expect(hostileColour.html).toContain('background-color:#1f4e79;');
    expect(hostileColour.warnings).toContain('branding.primaryColor is not #rrggbb; the default colour is used');
  });

  it('shows the unsubscribe link only when there is one', () => {
    expect(email('booked', 'en').html).toContain('href="https://trk.example/u/5f2c9a1e"');
    const none = email('booked', 'en', { ...variants('booked')[0], unsubscribeUrl: null });
    expect(none.html).not.toContain('Unsubscribe');
    expect(none.text).not.toContain('Unsubscribe');
  });

  it('puts the tracking link in a button and as a plain link', () => {
    const out = email('in_transit', 'en');
    expect(out.html.match(/href="https:\/\/trk\.example\/t\/PSG123456789AB"/g)).toHaveLength(2);
    expect(out.html).toContain('>Track your parcel</a>');
    expect(out.html).toContain('>https://trk.example/t/PSG123456789AB</a>');
  });

  it('keeps the subject on one line', () => {
    const out = renderEmail({ kind: 'booked', locale: 'en', timeZone: TZ, variables: variants('booked')[0], branding: { retailerName: 'A\r\nBcc: x@evil.example' } });
    expect(out.subject).not.toMatch(/[\r\n]/);
  });
});

describe('locale fallback and formatting in the consignee time zone', () => {
  it('reports the locale used after fallback', () => {
    expect(email('booked', ['fr-CA']).locale).toBe('fr');
    expect(email('booked', ['pt-PT', 'pt-BR']).locale).toBe('pt-BR');
    expect(email('booked', ['zh-TW']).locale).toBe('en');
    expect(sms('booked', 'zh-SG').locale).toBe('zh-Hans');
    expect(email('retailer_exception', 'de').locale).toBe('en');
  });

  it('shows the consignee local day: an instant that is the next day in Tokyo', () => {
    const variables = { ...variants('delivered')[0], deliveredAt: '2026-08-13T20:30:00Z' };
    const tokyo = renderEmail({ kind: 'delivered', locale: 'ja', timeZone: 'Asia/Tokyo', variables, branding: SAMPLE_BRANDING });
    const utc = renderEmail({ kind: 'delivered', locale: 'ja', timeZone: 'UTC', variables, branding: SAMPLE_BRANDING });
    expect(tokyo.text).toContain('8月14日金曜日 5:30');
    expect(utc.text).toContain('8月13日木曜日 20:30');
  });

  it('formats money per locale in the email', () => {
    expect(email('customs_hold_duties', 'de').text).toContain('1.234,50\u00a0€');
    const yen = { ...variants('customs_hold_duties')[0], amountDue: { amountMinor: 1500, currency: 'JPY' } };
    expect(email('customs_hold_duties', 'ja', yen).text).toContain('輸入関税・税金￥1,500のお支払い');
  });

  it('never ends a sentence with two full stops after a German date', () => {
    expect(sms('delay', 'de').body).toMatch(/16\.08\. https/);
  });
});

describe('errors', () => {
  it('rejects an unknown time zone', () => {
    expect(caught(() => renderEmail({ kind: 'booked', locale: 'en', timeZone: 'Mars/Olympus', variables: variants('booked')[0], branding: SAMPLE_BRANDING })).code).toBe(
      'TEMPLATE_INVALID_TIME_ZONE',
    );
  });

  it('names the string and the variable when a required variable is missing', () => {
    const { estimatedDelivery: _omitted, ...incomplete } = variants('booked')[0];
    const error = caught(() => email('booked', 'de', incomplete as never));
    expect(error.code).toBe('TEMPLATE_RENDER_FAILED');
    expect(error.details).toContainEqual({ field: 'catalog.de.kinds.booked.paragraphs[1]', issue: expect.stringMatching(/^dateRange: expected \{ from, to \}/) });
  });

  it('reports a missing plain variable as unknown, with its position', () => {
    const { pickupPointName: _omitted, ...incomplete } = variants('available_for_pickup')[0];
    const error = caught(() => sms('available_for_pickup', 'en', incomplete as never));
    expect(error.details).toEqual([{ field: 'catalog.en.kinds.available_for_pickup.sms', issue: expect.stringMatching(/^unknown variable "pickupPointName" at line 1, column \d+$/) }]);
  });

  it('does not send the retailer exception by SMS and rejects unknown kinds', () => {
    expect(caught(() => renderSms({ kind: 'retailer_exception' as never, locale: 'en', timeZone: TZ, variables: {} as never, branding: SAMPLE_BRANDING, stopInstructions: false })).code).toBe(
      'TEMPLATE_CHANNEL_NOT_SUPPORTED',
    );
    expect(caught(() => email('shipped' as never, 'en', {} as never)).code).toBe('TEMPLATE_UNKNOWN_KIND');
  });
});
