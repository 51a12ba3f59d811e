import { RuleSetCatalog, RuleSetVersion } from '../evaluate/verdict';
import { AMERICAS_SEEDS } from './americas.seed';
import { ASIA_PACIFIC_SEEDS } from './asia-pacific.seed';
import { EU_SEEDS } from './eu.seed';
import { EUROPE_SEEDS } from './europe.seed';
import { MIDDLE_EAST_AFRICA_SEEDS } from './middle-east-africa.seed';

/**
 * The seed of versioned rule sets, built from the country fact sheet (`country-facts.yaml`): the 30 countries
 * of the sheet, the `EU` group, and RO (an EU member seeded for its national parcel fee). Each dated change in
 * the sheet is its own version. Numbers are data with their source; anything the sheet could not confirm, and
 * every Passage estimate, is `unverified`.
 */
export interface SeedVersion extends RuleSetVersion {
  /** Why this version exists, for the admin history. */
  changeNote: string;
  author: 'seed';
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Frozen: the seed shares rule objects between versions, so nothing may mutate them. */
export const RULE_SET_SEED: SeedVersion[] = deepFreeze([
  ...EU_SEEDS,
  ...EUROPE_SEEDS,
  ...AMERICAS_SEEDS,
  ...ASIA_PACIFIC_SEEDS,
  ...MIDDLE_EAST_AFRICA_SEEDS,
]);

/** The seed as a catalog (country → versions, `effectiveFrom` ascending), for tests and benchmarks. */
export function seedCatalog(): RuleSetCatalog {
  const catalog = new Map<string, SeedVersion[]>();
  for (const v of RULE_SET_SEED) {
    const versions = catalog.get(v.country) ?? [];
    versions.push(v);
    catalog.set(v.country, versions);
  }
  for (const versions of catalog.values()) versions.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.version - b.version);
  return catalog;
}
