/** Message templates and languages: a pure renderer over locale catalogs (JSON) and shared layouts. */
export { renderEmail, renderSms } from './template-renderer';
export type { RenderEmailInput, RenderSmsInput, RenderedEmail, RenderedSms } from './template-renderer';
export { resolveLocale, resolveLocaleDetailed } from './locale-resolver';
export type { LocaleResolution } from './locale-resolver';
export { validateTemplateOverride } from './override-validator';
export type { KindStringsOverride, TemplateOverrides } from './template-overrides';
export { SUPPORTED_LOCALES } from './locale-catalog';
export type { SupportedLocale } from './locale-catalog';
export { MESSAGE_KINDS, SMS_MESSAGE_KINDS, REQUIRED_ITEMS } from './message-kinds';
export type {
  ConsigneeMessageKind,
  DateRange,
  Instant,
  MessageKind,
  Money,
  RequiredItem,
  SmsMessageKind,
  TemplateVariables,
  TemplateVariablesByKind,
} from './message-kinds';
export type { Branding } from './branding-sanitizer';
export type { SmsEncoding } from './sms-segments';
export { TemplateErrors } from './templates.errors';
