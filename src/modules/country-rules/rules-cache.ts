import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { FxTable, RuleSetCatalog } from './evaluate/verdict';
import { FxRepository, StoredFxRate } from './fx/fx.repository';
import { RuleSetRepository, StoredRuleSetVersion } from './rule-set/rule-set.repository';

export interface RulesSnapshot {
  /** A new Map on every load, so caches keyed on it (inheritance, compiled patterns) start afresh. */
  catalog: RuleSetCatalog;
  versions: StoredRuleSetVersion[];
  /** The FX table in force on a date (`YYYY-MM-DD`), built once per date. */
  fxOn(on: string): FxTable;
}

/**
 * Rule sets and exchange rates in memory, so an evaluation costs no query. A write through this instance
 * invalidates at once; writes through another instance show within `RULES_CACHE_SECONDS`.
 */
@Injectable()
export class RulesCache {
  private current?: { snapshot: RulesSnapshot; loadedAt: number };
  private loading?: Promise<RulesSnapshot>;
  private generation = 0;

  constructor(
    private readonly ruleSets: RuleSetRepository,
    private readonly fx: FxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(): Promise<RulesSnapshot> {
    const fresh = this.current && Date.now() - this.current.loadedAt < this.config.rules.cacheSeconds * 1000;
    if (fresh) return this.current!.snapshot;
    this.loading ??= this.load();
    return this.loading;
  }

  invalidate(): void {
    this.generation++;
    this.current = undefined;
    this.loading = undefined;
  }

  private async load(): Promise<RulesSnapshot> {
    const generation = this.generation;
    try {
      const [versions, rates] = await Promise.all([this.ruleSets.all(), this.fx.all()]);
      const snapshot = buildSnapshot(versions, rates);
      // A write that happened while loading wins: this load may predate it.
      if (generation === this.generation) this.current = { snapshot, loadedAt: Date.now() };
      return snapshot;
    } finally {
      if (generation === this.generation) this.loading = undefined;
    }
  }
}

export function buildSnapshot(versions: StoredRuleSetVersion[], rates: StoredFxRate[]): RulesSnapshot {
  const catalog = new Map<string, StoredRuleSetVersion[]>();
  for (const v of versions) catalog.set(v.country, [...(catalog.get(v.country) ?? []), v]);
  for (const list of catalog.values()) list.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.version - b.version);

  const byCurrency = new Map<string, StoredFxRate[]>();
  for (const r of rates) byCurrency.set(r.currency, [...(byCurrency.get(r.currency) ?? []), r]);
  for (const list of byCurrency.values()) list.sort((a, b) => a.asOf.localeCompare(b.asOf));
  const tables = new Map<string, FxTable>();

  return {
    catalog,
    versions,
    fxOn(on: string): FxTable {
      let table = tables.get(on);
      if (!table) {
        table = fxTableOn(byCurrency, on);
        if (tables.size > 1000) tables.clear();
        tables.set(on, table);
      }
      return table;
    },
  };
}

/**
 * For each currency the latest rate dated on or before `on`. A date before a currency's first rate uses
 * that first rate: the verdict states each rate's date, so the gap is visible rather than a failure.
 */
function fxTableOn(byCurrency: Map<string, StoredFxRate[]>, on: string): FxTable {
  const table = new Map<string, StoredFxRate>();
  for (const [currency, list] of byCurrency) {
    let chosen = list[0];
    for (const r of list) if (r.asOf <= on) chosen = r;
    table.set(currency, chosen);
  }
  return table;
}
