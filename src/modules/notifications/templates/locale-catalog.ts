import { MessageKind, RequiredItem, SmsMessageKind } from './message-kinds';
import da from './locales/da.json';
import de from './locales/de.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';
import it from './locales/it.json';
import ja from './locales/ja.json';
import ko from './locales/ko.json';
import nl from './locales/nl.json';
import pl from './locales/pl.json';
import ptBR from './locales/pt-BR.json';
import sv from './locales/sv.json';
import tr from './locales/tr.json';
import zhHans from './locales/zh-Hans.json';

/**
 * The locale catalogs are JSON data files (one per locale) imported as modules, so tsc type-checks them
 * against these interfaces and emits them into dist/ next to the code; nothing is read from disk at runtime.
 * Every string is a Handlebars template producing plain text; the HTML layout escapes it.
 * Adding a locale: a JSON file, an entry below and in SUPPORTED_LOCALES; the specs then check that every
 * kind renders, nothing is left in English, and Latin-script SMS fit one GSM-7 segment.
 */

export const SUPPORTED_LOCALES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'sv', 'da', 'pt-BR', 'ja', 'ko', 'zh-Hans', 'tr'] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: SupportedLocale = 'en';

export interface KindStrings {
  subject: string;
  heading: string;
  /** Each renders to one paragraph; one that renders empty (a false `{{#if}}`) is left out. */
  paragraphs: string[];
  /** Label of the call to action (the kind's action link, or the tracking page for kinds without one). */
  cta: string;
  /** SMS text; the renderer appends the link and, when asked, the STOP instruction. */
  sms?: string;
  /** Replace the common greeting and footer (the retailer email is not addressed to a consignee). */
  greeting?: string;
  footer?: string;
}

export const KIND_STRING_FIELDS = ['subject', 'heading', 'paragraphs', 'cta', 'sms', 'greeting', 'footer'] as const;
export type KindStringField = (typeof KIND_STRING_FIELDS)[number];

export interface CommonStrings {
  greeting: string;
  greetingNoName: string;
  /** Under the button: the same link, for clients that do not render buttons. */
  buttonFallback: string;
  trackingLink: string;
  trackingNumber: string;
  /** Call to action when a kind's own action link is absent. */
  trackCta: string;
  support: string;
  footer: string;
  unsubscribe: string;
  smsStop: string;
  items: Record<RequiredItem, string>;
}

export interface LocaleCatalog {
  /**
   * SMS replace letters outside GSM-7 by their base letter (Polish: ą→a, ł→l), as Polish transactional
   * SMS customarily do, because one such letter switches the whole message to UCS-2 (70 characters).
   */
  smsFoldDiacritics: boolean;
  common: CommonStrings;
  kinds: { [K in SmsMessageKind]: KindStrings & { sms: string } } & { retailer_exception?: KindStrings };
}

// `satisfies` makes a missing kind or field in any JSON file a compile error.
const CATALOGS = {
  en: en satisfies LocaleCatalog as LocaleCatalog,
  de: de satisfies LocaleCatalog as LocaleCatalog,
  fr: fr satisfies LocaleCatalog as LocaleCatalog,
  es: es satisfies LocaleCatalog as LocaleCatalog,
  it: it satisfies LocaleCatalog as LocaleCatalog,
  nl: nl satisfies LocaleCatalog as LocaleCatalog,
  pl: pl satisfies LocaleCatalog as LocaleCatalog,
  sv: sv satisfies LocaleCatalog as LocaleCatalog,
  da: da satisfies LocaleCatalog as LocaleCatalog,
  'pt-BR': ptBR satisfies LocaleCatalog as LocaleCatalog,
  ja: ja satisfies LocaleCatalog as LocaleCatalog,
  ko: ko satisfies LocaleCatalog as LocaleCatalog,
  'zh-Hans': zhHans satisfies LocaleCatalog as LocaleCatalog,
  tr: tr satisfies LocaleCatalog as LocaleCatalog,
} satisfies Record<SupportedLocale, LocaleCatalog>;

export function catalogFor(locale: SupportedLocale): LocaleCatalog {
  return CATALOGS[locale];
}

export function isSupportedLocale(value: string): value is SupportedLocale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** The kind's strings in `locale`, or in English when that locale has none (retailer_exception). */
export function kindStringsFor(locale: SupportedLocale, kind: MessageKind): { locale: SupportedLocale; strings: KindStrings } {
  const own = CATALOGS[locale].kinds[kind];
  if (own) return { locale, strings: own };
  const fallback = CATALOGS[DEFAULT_LOCALE].kinds[kind];
  if (!fallback) throw new Error(`no English strings for message kind ${kind}`);
  return { locale: DEFAULT_LOCALE, strings: fallback };
}
