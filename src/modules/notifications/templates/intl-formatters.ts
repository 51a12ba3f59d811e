import currencyCodes from 'currency-codes';
import { minorUnitDigits } from '../../country-rules/fx/money';
import { DateRange, Money, RequiredItem, REQUIRED_ITEMS } from './message-kinds';
import { isGsm7, normaliseSmsText } from './sms-segments';

/**
 * Locale-aware formatting for the template helpers, all through Intl so that CLDR decides word order,
 * separators and calendars. Email spells months out; SMS uses numeric dates, which are shorter and stay
 * within GSM-7 (French "août" or Spanish "sáb" would switch a whole SMS to UCS-2).
 */

export type Channel = 'email' | 'sms';

export interface FormatContext {
  locale: string;
  timeZone: string;
  channel: Channel;
}

/** A variable a helper cannot format: the message says which helper and what it got, never the value. */
export class TemplateValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateValueError';
  }
}

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
const MAX_FORMATTERS = 2000;

// Building an Intl formatter costs far more than using one; renders repeat the same few combinations.
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, build: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    f = build();
    formatters.set(key, f);
  }
  return f;
}

function dateFormat(ctx: FormatContext, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(`d|${ctx.locale}|${ctx.timeZone}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(ctx.locale, { ...options, timeZone: ctx.timeZone }));
}

// An instant needs an explicit offset: a bare "2026-08-14" or local time is a different day per time zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function toDate(value: unknown, helper: string): Date {
  const date = value instanceof Date ? value : typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new TemplateValueError(`${helper}: expected a Date or an ISO 8601 instant with an offset, got ${describe(value)}`);
  }
  return date;
}

function toRange(value: unknown, helper: string): { from: Date; to: Date } {
  const range = value as Partial<DateRange> | null | undefined;
  if (!range || typeof range !== 'object') throw new TemplateValueError(`${helper}: expected { from, to }, got ${describe(value)}`);
  const from = toDate(range.from, helper);
  const to = toDate(range.to, helper);
  if (to.getTime() < from.getTime()) throw new TemplateValueError(`${helper}: "to" is before "from"`);
  return { from, to };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (is the variable missing?)';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

// Running text reads better with the weekday spelled out; ranges use the short form, which CLDR lays out
// more compactly (a long-weekday range in Japanese becomes "08/14(金曜日)～08/15(土曜日)").
const EMAIL_DATE: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
const EMAIL_RANGE: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'long' };
const SMS_DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };

export function formatDate(value: unknown, ctx: FormatContext): string {
  return dateFormat(ctx, ctx.channel === 'sms' ? SMS_DATE : EMAIL_DATE).format(toDate(value, 'date'));
}

export function formatDateTime(value: unknown, ctx: FormatContext): string {
  return dateFormat(ctx, { ...(ctx.channel === 'sms' ? SMS_DATE : EMAIL_DATE), ...TIME }).format(toDate(value, 'dateTime'));
}

/** A day range ("Fri, August 14 – Sat, August 15"); one day when both ends fall on the same local day. */
export function formatDateRange(value: unknown, ctx: FormatContext): string {
  const { from, to } = toRange(value, 'dateRange');
  return dateFormat(ctx, ctx.channel === 'sms' ? SMS_DATE : EMAIL_RANGE).formatRange(from, to);
}

export function formatTimeRange(value: unknown, ctx: FormatContext): string {
  const { from, to } = toRange(value, 'timeRange');
  return dateFormat(ctx, TIME).formatRange(from, to);
}

/**
 * Minor units to a localised amount. The digits come from ISO 4217 (JPY and KRW 0, EUR 2, BHD 3), the
 * unit Passage stores money in, and are all shown, so no stored precision is rounded away. In SMS a
 * symbol outside GSM-7 (zł, ₺, ₩) gives way to the ISO code.
 */
export function formatMoney(value: unknown, ctx: FormatContext): string {
  const money = value as Partial<Money> | null | undefined;
  if (!money || typeof money !== 'object' || !Number.isSafeInteger(money.amountMinor)) {
    throw new TemplateValueError(`money: expected { amountMinor: integer, currency }, got ${describe(value)}`);
  }
  const currency = money.currency;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency) || !currencyCodes.code(currency)) {
    throw new TemplateValueError('money: currency must be an ISO 4217 code');
  }
  const digits = minorUnitDigits(currency);
  const amount = (money.amountMinor as number) / 10 ** digits;
  const format = (display: 'symbol' | 'code') =>
    cached(`n|${ctx.locale}|${currency}|${display}`, () =>
      new Intl.NumberFormat(ctx.locale, { style: 'currency', currency, currencyDisplay: display, minimumFractionDigits: digits, maximumFractionDigits: digits }),
    ).format(amount);
  const formatted = format('symbol');
  if (ctx.channel !== 'sms' || isGsm7(normaliseSmsText(formatted))) return formatted;
  return isGsm7(normaliseSmsText(format('code'))) ? format('code') : formatted;
}

export function formatCountry(value: unknown, ctx: FormatContext): string {
  if (typeof value !== 'string' || !/^[A-Z]{2}$/.test(value)) throw new TemplateValueError('country: expected an ISO 3166-1 alpha-2 code');
  return new Intl.DisplayNames([ctx.locale], { type: 'region', fallback: 'code' }).of(value) ?? value;
}

/** Names the requested documents or details in the locale and joins them ("A, B and C"). */
export function formatItems(value: unknown, ctx: FormatContext, names: Record<RequiredItem, string>): string {
  if (!Array.isArray(value) || value.length === 0) throw new TemplateValueError(`list: expected a non-empty array, got ${describe(value)}`);
  const labels = value.map((item: unknown) => {
    if (typeof item !== 'string' || !(REQUIRED_ITEMS as readonly string[]).includes(item)) {
      throw new TemplateValueError(`list: unknown item; expected one of ${REQUIRED_ITEMS.join(', ')}`);
    }
    return names[item as RequiredItem];
  });
  return new Intl.ListFormat(ctx.locale, { type: 'conjunction' }).format(labels);
}

/** Throws a RangeError for a time zone Intl does not know, before any string is rendered. */
export function assertTimeZone(timeZone: string): void {
  new Intl.DateTimeFormat('en', { timeZone });
}
