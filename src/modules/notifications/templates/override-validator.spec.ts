import { AppError } from '../../../common/errors/app-error';
import { validateTemplateOverride } from './override-validator';
import { SAMPLE_BRANDING, SAMPLE_VARIABLES } from './sample-variables';
import { renderEmail, renderSms } from './template-renderer';

describe('validateTemplateOverride', () => {
  it('accepts overrides that use the kind variables, helpers and optional values inside {{#if}}', () => {
    expect(
      validateTemplateOverride({
        de: {
          delivered: {
            subject: 'Angekommen: Ihre Bestellung bei {{retailerName}}',
            paragraphs: ['Zugestellt am {{dateTime deliveredAt}}.', '{{#if surveyUrl}}Sagen Sie uns Ihre Meinung.{{/if}}'],
            sms: '{{retailerName}}: Paket ist da!',
          },
          customs_hold_duties: { sms: '{{#if consigneePays}}Bitte {{money amountDue}} bis {{date payBy}} zahlen:{{else}}Wir zahlen.{{/if}}' },
        },
        en: { retailer_exception: { heading: 'Shipment {{trackingNumber}} needs you' } },
      }),
    ).toEqual([]);
  });

  it.each([
    [{ de: { delivered: { subject: 'Hallo {{#if}}' } } }, 'overrides.de.delivered.subject', /^syntax error/],
    [{ de: { delivered: { subject: 'Hallo {{name' } } }, 'overrides.de.delivered.subject', /^syntax error/],
    [{ fr: { delivered: { paragraphs: ['ok', 'Livré {{surveyLink}}'] } } }, 'overrides.fr.delivered.paragraphs[1]', /^unknown variable "surveyLink" at line 1, column 9$/],
    [{ en: { delivered: { sms: 'Rate us: {{surveyUrl}}' } } }, 'overrides.en.delivered.sms', /^unknown variable "surveyUrl"/],
    [{ en: { booked: { heading: 'Hello {{consigneeName}}' } } }, 'overrides.en.booked.heading', /^unknown variable "consigneeName"/],
    [{ en: { booked: { heading: '{{shout retailerName}}' } } }, 'overrides.en.booked.heading', /unknown helper shout/],
    [{ en: { booked: { heading: '{{> footer}}' } } }, 'overrides.en.booked.heading', /partial footer could not be found/],
    [{ en: { customs_hold_duties: { sms: 'Pay {{money amountDue}} by {{date payBy}}' } } }, 'overrides.en.customs_hold_duties.sms', /^date: expected/],
    [{ en: { booked: { cta: '' } } }, 'overrides.en.booked.cta', /non-empty string/],
    [{ en: { booked: { cta: 'x'.repeat(81) } } }, 'overrides.en.booked.cta', /at most 80/],
    [{ en: { booked: { paragraphs: [] } } }, 'overrides.en.booked.paragraphs', /array of 1 to 10/],
    [{ en: { booked: { body: 'x' } } }, 'overrides.en.booked.body', /not a template string/],
    [{ en: { retailer_exception: { sms: 'x' } } }, 'overrides.en.retailer_exception.sms', /email only/],
    [{ de: { retailer_exception: { subject: 'x' } } }, 'overrides.de.retailer_exception', /English strings only/],
    [{ en: { shipped: { subject: 'x' } } }, 'overrides.en.shipped', /not a known message kind/],
    [{ 'pt-PT': { booked: { subject: 'x' } } }, 'overrides.pt-PT', /not a supported locale/],
    [{ en: 'x' }, 'overrides.en', /object keyed by message kind/],
    [[], 'overrides', /object keyed by locale/],
  ])('reports %j at %s', (overrides, field, issue) => {
    const issues = validateTemplateOverride(overrides);
    expect(issues).toHaveLength(1);
    expect(issues[0].field).toBe(field);
    expect(issues[0].issue).toMatch(issue);
  });

  it('prefixes field paths with the caller path', () => {
    expect(validateTemplateOverride({ en: { booked: { cta: '{{nope}}' } } }, 'body.templates')).toEqual([
      { field: 'body.templates.en.booked.cta', issue: 'unknown variable "nope" at line 1, column 3' },
    ]);
  });

  it('never crashes on hostile input', () => {
    expect(() => validateTemplateOverride({ en: { booked: { subject: '{{constructor.constructor "return process"}}' } } })).not.toThrow();
    expect(validateTemplateOverride({ en: { booked: { subject: '{{constructor.constructor "return process"}}' } } })).toHaveLength(1);
    expect(validateTemplateOverride(null)).toEqual([{ field: 'overrides', issue: 'must be an object keyed by locale' }]);
  });
});

describe('rendering with overrides', () => {
  const variables = SAMPLE_VARIABLES.delivered[0];
  const base = { kind: 'delivered' as const, timeZone: 'Europe/Berlin', variables, branding: SAMPLE_BRANDING };

  it('replaces only the overridden strings of the resolved locale', () => {
    const overrides = { fr: { delivered: { subject: 'Colis livré, merci {{consigneeName}} !', sms: '{{retailerName}} : livré. Merci !' } } };
    const out = renderEmail({ ...base, locale: 'fr-CA', overrides });
    expect(out.subject).toBe('Colis livré, merci Alex !');
    expect(out.text).toContain('Votre colis a été livré le');
    expect(renderSms({ ...base, locale: 'fr-CA', overrides, stopInstructions: false }).body).toBe('Nordlicht Outfitters : livré. Merci ! https://trk.example/s/PSG123456789AB');
    expect(renderEmail({ ...base, locale: 'de', overrides }).subject).toBe('Ihr Paket von Nordlicht Outfitters wurde zugestellt');
  });

  it('escapes markup typed into an override', () => {
    const out = renderEmail({ ...base, locale: 'en', overrides: { en: { delivered: { heading: '<b>Delivered</b> & done' } } } });
    expect(out.html).toContain('&lt;b&gt;Delivered&lt;/b&gt; &amp; done');
    expect(out.html).not.toContain('<b>Delivered');
  });

  it('turns an override that fails to compile into a validation error with its field path', () => {
    let error: unknown;
    try {
      renderEmail({ ...base, locale: 'en', overrides: { en: { delivered: { paragraphs: ['fine', '{{#each}}'] } } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    expect((error as AppError).details).toEqual([{ field: 'overrides.en.delivered.paragraphs[1]', issue: expect.stringMatching(/each|syntax/) }]);
  });

  it('turns an override that uses a missing variable into a validation error when it renders', () => {
    let error: unknown;
    try {
      renderSms({ ...base, locale: 'en', stopInstructions: false, overrides: { en: { delivered: { sms: 'Delivered {{parcelWeight}}' } } } });
    } catch (e) {
      error = e;
    }
    expect((error as AppError).details).toEqual([{ field: 'overrides.en.delivered.sms', issue: 'unknown variable "parcelWeight" at line 1, column 13' }]);
  });
});
