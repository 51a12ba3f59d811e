import { ErrorDetail } from '../../../common/errors/app-error';
import { Branding, SafeBranding, safeUrl, sanitizeBranding } from './branding-sanitizer';
import { EMAIL_HTML_LAYOUT } from './layouts/email-html.layout';
import { EMAIL_TEXT_LAYOUT } from './layouts/email-text.layout';
import { KindStrings, LocaleCatalog, SupportedLocale, catalogFor, kindStringsFor } from './locale-catalog';
import { resolveLocaleDetailed } from './locale-resolver';
import { ACTION_URL, MESSAGE_KINDS, MessageKind, SmsMessageKind, TemplateVariables, URL_VARIABLES } from './message-kinds';
import { Channel, assertTimeZone } from './intl-formatters';
import { SmsEncoding, foldToGsm7, measureSms, normaliseSmsText } from './sms-segments';
import { RenderData, describeTemplateError, renderLayout, renderString } from './template-engine';
import { TemplateOverrides, overrideShapeIssues } from './template-overrides';
import { TemplateErrors } from './templates.errors';

/**
 * A pure renderer: kind + requested locales + variables + branding in, finished subject/HTML/text or SMS
 * body out. No I/O, no clock; the planner stores the result (or the inputs) in the outbox payload.
 */

export interface RenderEmailInput<K extends MessageKind = MessageKind> {
  kind: K;
  /** The consignee's locale, then the destination country's defaults, best first. */
  locale: string | readonly string[];
  /** IANA time zone of the consignee (dates are shown as their local day and time). */
  timeZone: string;
  variables: TemplateVariables<K>;
  branding: Branding;
  overrides?: TemplateOverrides;
}

export interface RenderSmsInput<K extends SmsMessageKind = SmsMessageKind> extends RenderEmailInput<K> {
  /** Append the localised opt-out instruction ("Reply STOP to opt out"). */
  stopInstructions: boolean;
}

export interface RenderedEmail {
  /** The catalog locale used (after fallback), e.g. `fr` for a fr-CA consignee. */
  locale: SupportedLocale;
  subject: string;
  html: string;
  text: string;
  /** Values that were dropped or replaced (an unsafe URL, an invalid colour); never the values themselves. */
  warnings: string[];
}

export interface RenderedSms {
  locale: SupportedLocale;
  body: string;
  encoding: SmsEncoding;
  segments: number;
  warnings: string[];
}

interface Prepared {
  kind: MessageKind;
  locale: SupportedLocale;
  catalog: LocaleCatalog;
  strings: KindStrings;
  /** Where each string came from, for error paths: `overrides.fr.delivered.sms` or `catalog.fr.kinds.delivered.sms`. */
  origin: Partial<Record<keyof KindStrings, string>>;
  view: Record<string, unknown>;
  brand: SafeBranding;
  formattingLocale: string;
  timeZone: string;
  actionUrl: string | null;
  trackingUrl: string | null;
  warnings: string[];
}

function prepare(input: RenderEmailInput): Prepared {
  const { kind, timeZone } = input;
  if (!(MESSAGE_KINDS as readonly unknown[]).includes(kind)) throw TemplateErrors.unknownKind(kind);
  try {
    assertTimeZone(timeZone);
  } catch {
    throw TemplateErrors.invalidTimeZone();
  }
  const warnings: string[] = [];
  const brand = sanitizeBranding(input.branding ?? ({} as Branding), warnings);

  const requested = typeof input.locale === 'string' ? [input.locale] : input.locale;
  const resolution = resolveLocaleDetailed(requested ?? []);
  const { locale, strings: catalogStrings } = kindStringsFor(resolution.locale, kind);
  // A kind with English strings only (retailer_exception) is English throughout, with the region's formats.
  const formattingLocale = locale === resolution.locale ? resolution.formattingLocale : englishFor(resolution.formattingLocale);

  const override = input.overrides?.[locale]?.[kind];
  const strings: KindStrings = { ...catalogStrings };
  const origin: Prepared['origin'] = {};
  if (override !== undefined) {
    const overridePath = `overrides.${locale}.${kind}`;
    const issues = overrideShapeIssues(kind, override, overridePath);
    if (issues.length > 0) throw TemplateErrors.invalidOverride(issues);
    for (const [field, value] of Object.entries(override)) {
      (strings as unknown as Record<string, unknown>)[field] = value;
      origin[field as keyof KindStrings] = `${overridePath}.${field}`;
    }
  }

  const view = buildView(kind, input.variables, brand, warnings);
  const actionUrl = (ACTION_URL[kind] as ((v: Record<string, unknown>) => unknown) | undefined)?.(view);
  return {
    kind,
    locale,
    catalog: catalogFor(locale),
    strings,
    origin,
    view,
    brand,
    formattingLocale,
    timeZone,
    actionUrl: typeof actionUrl === 'string' ? actionUrl : null,
    trackingUrl: typeof view.trackingUrl === 'string' ? view.trackingUrl : null,
    warnings,
  };
}

function englishFor(formattingLocale: string): string {
  const region = new Intl.Locale(formattingLocale).maximize().region;
  return region ? `en-${region}` : 'en';
}

/**
 * The context strings render against. Absent optional values are removed rather than set to null, so that
 * strict mode reports a string that uses one outside `{{#if}}`; URLs that are not http(s) are dropped.
 */
function buildView(kind: MessageKind, variables: unknown, brand: SafeBranding, warnings: string[]): Record<string, unknown> {
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    throw TemplateErrors.renderFailed([{ field: 'variables', issue: 'must be an object' }]);
  }
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(variables)) {
    // A payload key such as "__proto__" would otherwise replace the view's prototype.
    if (value === undefined || value === null || key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    if ((URL_VARIABLES as readonly string[]).includes(key)) {
      const url = safeUrl(value);
      if (url) view[key] = url;
      else warnings.push(`variables.${key} is not an http(s) URL; it is left out`);
      continue;
    }
    view[key] = value;
  }
  view.retailerName = brand.retailerName;
  if (kind === 'customs_hold_duties') view.consigneePays = view.payer === 'consignee';
  return view;
}

class FieldRenderer {
  readonly issues: ErrorDetail[] = [];
  private readonly data: RenderData;

  constructor(private readonly p: Prepared, channel: Channel) {
    this.data = { locale: p.formattingLocale, timeZone: p.timeZone, channel, items: p.catalog.common.items };
  }

  kindField(field: Exclude<keyof KindStrings, 'paragraphs'>, source = this.p.strings[field]): string {
    const path = this.p.origin[field] ?? `catalog.${this.p.locale}.kinds.${this.p.kind}.${field}`;
    return this.render(path, source ?? '');
  }

  paragraphs(): string[] {
    const base = this.p.origin.paragraphs ?? `catalog.${this.p.locale}.kinds.${this.p.kind}.paragraphs`;
    return this.p.strings.paragraphs.map((source, i) => this.render(`${base}[${i}]`, source)).filter((p) => p !== '');
  }

  common(field: Exclude<keyof LocaleCatalog['common'], 'items'>): string {
    return this.render(`catalog.${this.p.locale}.common.${field}`, this.p.catalog.common[field]);
  }

  private render(path: string, source: string): string {
    try {
      return renderString(source, this.p.view, this.data)
        .replace(/[ \t]+/g, ' ')
        // A date that ends in an abbreviation dot ("bis 20.8.") takes no second full stop.
        .replace(/(\d\.)\./g, '$1')
        .trim();
    } catch (error) {
      this.issues.push({ field: path, issue: describeTemplateError(error) });
      return '';
    }
  }

  throwIfFailed(): void {
    if (this.issues.length === 0) return;
    const fromOverride = this.issues.some((i) => i.field.startsWith('overrides.'));
    throw fromOverride ? TemplateErrors.invalidOverride(this.issues) : TemplateErrors.renderFailed(this.issues);
  }
}

export function renderEmail<K extends MessageKind>(input: RenderEmailInput<K>): RenderedEmail {
  const p = prepare(input as RenderEmailInput);
  const r = new FieldRenderer(p, 'email');
  const { brand, view } = p;

  const subject = r.kindField('subject').replace(/\s+/g, ' ');
  const heading = r.kindField('heading');
  const greeting = p.strings.greeting
    ? r.kindField('greeting')
    : typeof view.consigneeName === 'string' && view.consigneeName.trim() !== ''
      ? r.common('greeting')
      : r.common('greetingNoName');
  const paragraphs = r.paragraphs();
  const ctaUrl = p.actionUrl ?? p.trackingUrl;
  // A kind whose own link is missing (no survey, DDP duties) points its button at tracking instead.
  const ctaLabel = p.actionUrl || !ACTION_URL[p.kind] ? r.kindField('cta') : r.common('trackCta');
  const context = {
    lang: p.locale,
    subject,
    preheader: paragraphs[0] ?? heading,
    brand,
    heading,
    greeting,
    paragraphs,
    cta: ctaUrl ? { label: ctaLabel, url: ctaUrl } : null,
    buttonFallback: r.common('buttonFallback'),
    trackingUrl: p.trackingUrl && p.trackingUrl !== ctaUrl ? p.trackingUrl : null,
    trackingLink: r.common('trackingLink'),
    trackingNumber: r.common('trackingNumber'),
    support: brand.supportEmail || brand.supportPhone ? { line: r.common('support') } : null,
    footer: p.strings.footer ? r.kindField('footer') : r.common('footer'),
    unsubscribe: typeof view.unsubscribeUrl === 'string' ? { label: r.common('unsubscribe'), url: view.unsubscribeUrl } : null,
  };
  r.throwIfFailed();

  return {
    locale: p.locale,
    subject,
    html: renderLayout('html', EMAIL_HTML_LAYOUT, context),
    text: renderLayout('text', EMAIL_TEXT_LAYOUT, context).replace(/\n{3,}/g, '\n\n'),
    warnings: p.warnings,
  };
}

export function renderSms<K extends SmsMessageKind>(input: RenderSmsInput<K>): RenderedSms {
  if ((input.kind as MessageKind) === 'retailer_exception') throw TemplateErrors.channelNotSupported(input.kind, 'sms');
  const p = prepare(input as RenderEmailInput);
  const r = new FieldRenderer(p, 'sms');

  const text = r.kindField('sms').replace(/\s+/g, ' ');
  const link = p.actionUrl ?? p.trackingUrl;
  const stop = input.stopInstructions ? r.common('smsStop') : null;
  r.throwIfFailed();

  let body = normaliseSmsText([text, link].filter(Boolean).join(' ') + (stop ? `\n${stop}` : ''));
  if (p.catalog.smsFoldDiacritics) body = foldToGsm7(body);
  const { encoding, segments } = measureSms(body);
  return { locale: p.locale, body, encoding, segments, warnings: p.warnings };
}
