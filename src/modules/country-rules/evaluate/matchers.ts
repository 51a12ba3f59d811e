import isTaxID from 'validator/lib/isTaxID';
import { DutyRate, HsRate, IdFormat, ProhibitedItem, TaxIdRule, Threshold } from '../rule-set/rule-set-content';

/**
 * Rule data compiled for matching, once per rule object (WeakMaps: a new catalog brings new objects, and the
 * old compiled forms go with the old objects): ID patterns, rejected IDs, HS-rate lookups, prohibited-goods
 * matchers, the CN22 line.
 */

const idPatternCache = new WeakMap<IdFormat, RegExp | null>();
const rejectedCache = new WeakMap<TaxIdRule, ReadonlySet<string>>();
const hsRateCache = new WeakMap<DutyRate, { byPrefix: Map<string, HsRate>; lengths: number[] }>();
const cn22Cache = new Map<number, Threshold>();

/** The UPU line as a threshold: goods value below `sdr` SDR (XDR, 2 decimals in Passage). */
export function cn22Threshold(sdr: number): Threshold {
  let t = cn22Cache.get(sdr);
  if (!t) {
    t = { amountMinor: Math.round(sdr * 100), currency: 'XDR', comparison: 'lt', basis: 'goods' };
    cn22Cache.set(sdr, t);
  }
  return t;
}

export function digitsOnly(hs: string | undefined): string {
  if (!hs) return '';
  return /^\d*$/.test(hs) ? hs : hs.replace(/\D/g, '');
}

const NON_ASCII = /[^ -~\s]/;
const MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/u;

/** Lower case, accents stripped, split into words: `E-Cigarette, 2×` → `['e', 'cigarette', '2']`. */
export function foldWords(text: string): string[] {
  const base = NON_ASCII.test(text) ? text.normalize('NFD').replace(MARKS, '') : text;
  const words = base.toLowerCase().split(NOT_WORD);
  if (words.length && words[0] === '') words.shift();
  if (words.length && words[words.length - 1] === '') words.pop();
  return words;
}

interface Phrase {
  keyword: string;
  words: string[];
  /** Indexes of the rules that list this keyword. */
  rules: number[];
}

/**
 * Every rule of a prohibited list compiled once: HS prefixes by prefix, keywords as word sequences by first
 * word. Matching is then whole-word, case- and accent-insensitive, and finds every rule an item hits.
 */
export interface ProhibitedMatcher {
  byPrefix: Map<string, number[]>;
  /** Distinct prefix lengths, longest first. */
  prefixLengths: number[];
  byFirstWord: Map<string, Phrase[]>;
}

const prohibitedCache = new WeakMap<readonly ProhibitedItem[], ProhibitedMatcher>();

export function prohibitedMatcher(list: readonly ProhibitedItem[]): ProhibitedMatcher {
  let m = prohibitedCache.get(list);
  if (m) return m;
  const byPrefix = new Map<string, number[]>();
  const phrases = new Map<string, Phrase>();
  list.forEach((rule, r) => {
    for (const prefix of rule.hsPrefixes ?? []) {
      const rules = byPrefix.get(prefix) ?? [];
      if (!rules.includes(r)) rules.push(r);
      byPrefix.set(prefix, rules);
    }
    for (const keyword of rule.keywords ?? []) {
      const words = foldWords(keyword);
      if (words.length === 0) continue;
      const key = words.join(' ');
      const phrase = phrases.get(key) ?? { keyword, words, rules: [] };
      if (!phrase.rules.includes(r)) phrase.rules.push(r);
      phrases.set(key, phrase);
    }
  });
  const byFirstWord = new Map<string, Phrase[]>();
  for (const phrase of phrases.values()) byFirstWord.set(phrase.words[0], [...(byFirstWord.get(phrase.words[0]) ?? []), phrase]);
  const prefixLengths = [...new Set([...byPrefix.keys()].map((p) => p.length))].sort((a, b) => b - a);
  m = { byPrefix, prefixLengths, byFirstWord };
  prohibitedCache.set(list, m);
  return m;
}

export function phraseAt(words: string[], at: number, phrase: string[]): boolean {
  if (at + phrase.length > words.length) return false;
  for (let k = 1; k < phrase.length; k++) if (words[at + k] !== phrase[k]) return false;
  return true;
}

export function appliesToOrigin(rule: ProhibitedItem, origin: string): boolean {
  return !rule.origins || rule.origins.includes(origin);
}

export function idPattern(format: IdFormat): RegExp | null {
  let re = idPatternCache.get(format);
  if (re === undefined) {
    try {
      re = new RegExp(format.pattern);
    } catch {
      re = null;
    }
    idPatternCache.set(format, re);
  }
  return re;
}

export function normalizeId(value: string): string {
  return value.toUpperCase().replace(/[\s.\-/]/g, '');
}

export function rejectedIds(rule: TaxIdRule): ReadonlySet<string> {
  let set = rejectedCache.get(rule);
  if (!set) {
    set = new Set((rule.rejectedValues ?? []).map(normalizeId));
    rejectedCache.set(rule, set);
  }
  return set;
}

export function hsRates(duty: DutyRate): { byPrefix: Map<string, HsRate>; lengths: number[] } {
  let compiled = hsRateCache.get(duty);
  if (!compiled) {
    const byPrefix = new Map<string, HsRate>();
    for (const r of duty.byHsPrefix ?? []) byPrefix.set(r.prefix, r);
    const lengths = [...new Set([...byPrefix.keys()].map((p) => p.length))].sort((a, b) => b - a);
    compiled = { byPrefix, lengths };
    hsRateCache.set(duty, compiled);
  }
  return compiled;
}

/** Checks a checksum with validator's `isTaxID`; `undefined` when validator does not know the locale. */
export function checksumValid(value: string, locale: string): boolean | undefined {
  try {
    return isTaxID(value, locale);
  } catch {
    return undefined;
  }
}
