import { DEFAULT_LOCALE, SUPPORTED_LOCALES, SupportedLocale, isSupportedLocale } from './locale-catalog';

export interface LocaleResolution {
  /** The catalog whose strings are used. */
  locale: SupportedLocale;
  /**
   * The locale Intl formats dates and money with: the requested tag that matched (fr-CA strings are
   * French, but its dates are Canadian), or English with the first requested region (en-NO writes
   * "14 August", not "August 14") when nothing matched.
   */
  formattingLocale: string;
  /** The requested tag that matched, or null when the default was used. */
  matched: string | null;
}

// Maximised once: a catalog tag only serves a request whose script is the same (zh-Hans never serves zh-Hant).
const SUPPORTED_SCRIPTS = new Map<SupportedLocale, string | undefined>(
  SUPPORTED_LOCALES.map((l) => [l, new Intl.Locale(l).maximize().script]),
);

function parse(tag: unknown): Intl.Locale | null {
  if (typeof tag !== 'string' || tag.trim() === '') return null;
  try {
    // POSIX-style tags (pt_BR, from platforms and Accept-Language-like settings) are common in retailer data.
    return new Intl.Locale(new Intl.Locale(tag.trim().replace(/_/g, '-')).baseName);
  } catch {
    return null;
  }
}

/**
 * The catalog for one requested tag, by CLDR likely subtags rather than string surgery:
 * - exact language-region first (pt-BR; `pt` alone maximises to pt-BR, pt-PT does not match it);
 * - then language-script (zh, zh-CN, zh-SG maximise to zh-Hans; zh-TW, zh-HK to zh-Hant, which we lack);
 * - then the bare language, when its script agrees (fr-CA → fr, de-AT → de, es-MX → es).
 * Norwegian (no, nb, nn) deliberately does not fall to Danish: written Bokmål is close to Danish, but
 * a Danish customs or payment instruction reads as a mistake to a Norwegian, while English is widely read.
 */
function match(locale: Intl.Locale): SupportedLocale | null {
  const max = locale.maximize();
  const candidates = [`${max.language}-${max.region}`, `${max.language}-${max.script}`, max.language];
  for (const candidate of candidates) {
    if (isSupportedLocale(candidate) && SUPPORTED_SCRIPTS.get(candidate) === max.script) return candidate;
  }
  return null;
}

/** Tries each requested tag in order (consignee locale first, then the country's defaults); else English. */
export function resolveLocaleDetailed(requested: readonly string[]): LocaleResolution {
  const parsed = requested.map(parse).filter((l): l is Intl.Locale => l !== null);
  for (const tag of parsed) {
    const locale = match(tag);
    if (locale) return { locale, formattingLocale: tag.baseName, matched: tag.baseName };
  }
  const region = parsed.map((l) => l.maximize().region).find((r) => r !== undefined);
  return { locale: DEFAULT_LOCALE, formattingLocale: region ? `en-${region}` : DEFAULT_LOCALE, matched: null };
}

export function resolveLocale(requested: readonly string[]): SupportedLocale {
  return resolveLocaleDetailed(requested).locale;
}
