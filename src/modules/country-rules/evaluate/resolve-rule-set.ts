import { RuleSetContent } from '../rule-set/rule-set-content';
import { RuleSetCatalog, RuleSetVersion } from './verdict';

/** Which stored version a merged field came from. */
export interface RuleOrigin {
  ruleSet: string;
  version: number;
  effectiveFrom: string;
}

/**
 * A country's rules in force on a date, with its group's rules merged in, and where each field came from.
 *
 * `provenance` is keyed by content path: top-level fields (`currency`, `prohibited.E_CIGARETTES`), second-level
 * fields (`customs.vat`, `documents.hsDigits`), and entries of lists keyed by `code`
 * (`customs.fees.FR_LINE_FEE`, `documents.other.US_STOP_ACT_AED`). Deeper rules came from the same version
 * as their second-level field (`customs.vat.deMinimis` from `customs.vat`).
 */
export interface ResolvedRuleSet {
  /** The country asked for. */
  country: string;
  on: string;
  /** The country's own version, when it has one in force. */
  own?: RuleSetVersion;
  /** The group version merged in (`inherits`, or membership when the country has no rule set of its own). */
  group?: RuleSetVersion;
  /** Set when the own version inherits a group that has no version in force on `on`. */
  missingGroup?: string;
  /** The versions that applied, child first. */
  ruleSets: ReadonlyArray<RuleOrigin>;
  /** The merged content. Shares the stored rule objects (never mutate it). */
  content: RuleSetContent;
  provenance: Readonly<Record<string, RuleOrigin>>;
}

/** Second-level lists whose entries merge by `code`; every other field is replaced whole. */
const KEYED_LISTS: Readonly<Record<string, ReadonlySet<string>>> = {
  customs: new Set(['fees', 'flatDuties', 'rateBands']),
  documents: new Set(['other']),
};
const SECTIONS = new Set(['consignee', 'customs', 'documents', 'messaging', 'delivery']);
/** Group-only fields that a member does not take over. */
const GROUP_ONLY = new Set(['members']);

type Keyed = { code: string };
type Plain = Record<string, unknown>;

/**
 * The version of `country` (a country or group code) in force on `on`: the latest `effectiveFrom` ≤ `on`
 * among versions whose `effectiveTo`, when set, is after `on`; the highest version number breaks a tie.
 */
export function versionInForce(catalog: RuleSetCatalog, country: string, on: string): RuleSetVersion | undefined {
  let best: RuleSetVersion | undefined;
  for (const v of catalog.get(country) ?? []) {
    if (v.effectiveFrom > on || (v.effectiveTo && on >= v.effectiveTo)) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom || (v.effectiveFrom === best.effectiveFrom && v.version > best.version)) best = v;
  }
  return best;
}

/** catalog → country → date → resolved (null: nothing in force). Nested maps: no key string per lookup. */
const cache = new WeakMap<RuleSetCatalog, { size: number; byCountry: Map<string, Map<string, ResolvedRuleSet | null>> }>();
const CACHE_LIMIT = 10_000;

/**
 * The rules for `country` on `on` (`YYYY-MM-DD`), inheritance resolved, or `undefined` when neither the country
 * nor a group it belongs to has a version in force. Cached per catalog object: a new catalog (a new version
 * written) starts afresh. Inheritance is one level deep (a group does not inherit).
 */
export function resolveRuleSet(catalog: RuleSetCatalog, country: string, on: string): ResolvedRuleSet | undefined {
  let perCatalog = cache.get(catalog);
  if (!perCatalog) {
    perCatalog = { size: 0, byCountry: new Map() };
    cache.set(catalog, perCatalog);
  }
  let byDate = perCatalog.byCountry.get(country);
  const hit = byDate?.get(on);
  if (hit !== undefined) return hit ?? undefined;
  const resolved = resolveUncached(catalog, country, on);
  // Bounded: dates are unbounded in principle (an API caller may ask for any day).
  if (perCatalog.size >= CACHE_LIMIT) {
    perCatalog.byCountry.clear();
    perCatalog.size = 0;
    byDate = undefined;
  }
  if (!byDate) {
    byDate = new Map();
    perCatalog.byCountry.set(country, byDate);
  }
  byDate.set(on, resolved ?? null);
  perCatalog.size++;
  return resolved;
}

function resolveUncached(catalog: RuleSetCatalog, country: string, on: string): ResolvedRuleSet | undefined {
  const own = versionInForce(catalog, country, on);
  let group: RuleSetVersion | undefined;
  let missingGroup: string | undefined;
  if (own?.content.inherits) {
    group = versionInForce(catalog, own.content.inherits, on);
    if (!group) missingGroup = own.content.inherits;
  } else if (!own) {
    group = groupListing(catalog, country, on);
  }
  if (!own && !group) return undefined;

  const provenance: Record<string, RuleOrigin> = {};
  let content: RuleSetContent = {};
  const ruleSets: RuleOrigin[] = [];
  if (own) ruleSets.push(origin(own));
  if (group) {
    ruleSets.push(origin(group));
    content = overlay(content, group.content, origin(group), provenance);
  }
  if (own) content = overlay(content, own.content, origin(own), provenance);
  return { country, on, own, group, missingGroup, ruleSets, content, provenance };
}

/** A group whose version in force lists `country` among its `members`. */
function groupListing(catalog: RuleSetCatalog, country: string, on: string): RuleSetVersion | undefined {
  for (const code of catalog.keys()) {
    if (code === country) continue;
    const v = versionInForce(catalog, code, on);
    if (v?.content.members?.includes(country)) return v;
  }
  return undefined;
}

function origin(v: RuleSetVersion): RuleOrigin {
  return { ruleSet: v.country, version: v.version, effectiveFrom: v.effectiveFrom };
}

/** Lays `top` over `base` per the schema's merge rules, recording the origin of every field `top` sets. */
function overlay(base: RuleSetContent, top: RuleSetContent, from: RuleOrigin, provenance: Record<string, RuleOrigin>): RuleSetContent {
  const out: Plain = { ...(base as Plain) };
  for (const [field, value] of Object.entries(top as Plain)) {
    if (value === undefined || GROUP_ONLY.has(field)) continue;
    if (SECTIONS.has(field) && isPlain(value)) {
      out[field] = overlaySection(field, (out[field] as Plain | undefined) ?? {}, value, from, provenance);
    } else if (field === 'prohibited' && Array.isArray(value)) {
      out[field] = mergeByCode(field, (out[field] as Keyed[] | undefined) ?? [], value as Keyed[], from, provenance);
    } else {
      out[field] = value;
      provenance[field] = from;
    }
  }
  return out as RuleSetContent;
}

function overlaySection(section: string, base: Plain, top: Plain, from: RuleOrigin, provenance: Record<string, RuleOrigin>): Plain {
  const out: Plain = { ...base };
  const keyed = KEYED_LISTS[section];
  for (const [field, value] of Object.entries(top)) {
    if (value === undefined) continue;
    const path = `${section}.${field}`;
    if (keyed?.has(field) && Array.isArray(value)) {
      out[field] = mergeByCode(path, (out[field] as Keyed[] | undefined) ?? [], value as Keyed[], from, provenance);
    } else {
      out[field] = value;
      provenance[path] = from;
    }
  }
  return out;
}

/** Parent entries in their order (replaced in place by the child's entry of the same code), then new ones. */
function mergeByCode(path: string, base: Keyed[], top: Keyed[], from: RuleOrigin, provenance: Record<string, RuleOrigin>): Keyed[] {
  const byCode = new Map(top.map((entry) => [entry.code, entry]));
  const out = base.map((entry) => byCode.get(entry.code) ?? entry);
  const seen = new Set(base.map((entry) => entry.code));
  for (const entry of top) if (!seen.has(entry.code)) out.push(entry);
  for (const entry of top) provenance[`${path}.${entry.code}`] = from;
  return out;
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
