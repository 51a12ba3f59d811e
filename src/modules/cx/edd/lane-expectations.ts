import { OPEN_STATUSES } from '../../shipments/journey';
import { isoDay } from '../../country-rules/compliance/compliance.service';
import { resolveRuleSet } from '../../country-rules/evaluate/resolve-rule-set';
import type { RuleSetCatalog } from '../../country-rules/evaluate/verdict';
import { DEFAULT_SCAN_GAP_HOURS, type ScanGaps } from '../../country-rules/rule-set/rule-set-content';

/** The statuses a rule set can give a maximum scan gap for. */
export type GapStatus = keyof ScanGaps;
// Every open status: `ScanGaps` has one field for each (the cast checks nothing, so keep the two in step).
export const GAP_STATUSES = OPEN_STATUSES as readonly GapStatus[];

/**
 * What Passage expects when a destination has no rule set, or its lane leaves a gap unsaid: the planner's
 * fallback transit (5–10 days, a 72 h hold) and the seeded rule sets' default gaps.
 */
export const DEFAULT_EXPECTATION: Omit<LaneExpectation, 'timeZone' | 'source'> = {
  laneOrigin: '*',
  transitDaysP50: 5,
  transitDaysP90: 10,
  customsHoldHours: 72,
  maxScanGapHours: DEFAULT_SCAN_GAP_HOURS,
};

export interface LaneExpectation {
  /** The lane that applied: the origin country, `*`, or `*` for the default. */
  laneOrigin: string;
  transitDaysP50: number;
  transitDaysP90: number;
  customsHoldHours: number;
  maxScanGapHours: Readonly<Record<GapStatus, number>>;
  /** The destination's zone, in which estimated days are counted (its rule set's first zone, else UTC). */
  timeZone: string;
  source: 'rule_set' | 'default';
}

/**
 * The expectations for a parcel from `origin` to `destination` under the rules in force on `on`: the
 * destination's lane for that origin, else its `*` lane, else the default; gaps the lane leaves out are the default's.
 */
export function laneExpectation(catalog: RuleSetCatalog, destination: string, origin: string, on: string): LaneExpectation {
  const content = resolveRuleSet(catalog, destination, on)?.content;
  const lanes = content?.delivery?.lanes ?? [];
  const lane = lanes.find((l) => l.origin === origin) ?? lanes.find((l) => l.origin === '*');
  const timeZone = content?.messaging?.timeZones[0] ?? 'UTC';
  if (!lane) return { ...DEFAULT_EXPECTATION, timeZone, source: 'default' };
  return {
    laneOrigin: lane.origin,
    transitDaysP50: lane.transitDaysP50,
    transitDaysP90: lane.transitDaysP90,
    customsHoldHours: lane.customsHoldHours,
    maxScanGapHours: { ...DEFAULT_EXPECTATION.maxScanGapHours, ...definedOnly(lane.maxScanGapHours) },
    timeZone,
    source: 'rule_set',
  };
}

/**
 * Every lane of every destination with rules on `on`, as rows a detector query joins on: `d`estination,
 * `o`rigin (`*` for any), the hold allowance and the gaps. The row `d = '*', o = '*'` is the default. A query
 * picks (d, origin) else (d, '*') else ('*', '*'): the same choice as `laneExpectation`.
 */
export interface LaneRow {
  d: string;
  o: string;
  hold: number;
  gaps: Record<GapStatus, number>;
}

const tables = new WeakMap<RuleSetCatalog, Map<string, LaneRow[]>>();

export function laneTable(catalog: RuleSetCatalog, on: string): LaneRow[] {
  let byDay = tables.get(catalog);
  if (!byDay) {
    byDay = new Map();
    tables.set(catalog, byDay);
  }
  const cached = byDay.get(on);
  if (cached) return cached;
  const rows: LaneRow[] = [
    { d: '*', o: '*', hold: DEFAULT_EXPECTATION.customsHoldHours, gaps: { ...DEFAULT_EXPECTATION.maxScanGapHours } },
  ];
  for (const destination of destinations(catalog)) {
    const content = resolveRuleSet(catalog, destination, on)?.content;
    const seen = new Set<string>();
    for (const lane of content?.delivery?.lanes ?? []) {
      // The first lane for an origin wins, as in laneExpectation (and a join must not double a shipment).
      if (seen.has(lane.origin)) continue;
      seen.add(lane.origin);
      rows.push({
        d: destination,
        o: lane.origin,
        hold: lane.customsHoldHours,
        gaps: { ...DEFAULT_EXPECTATION.maxScanGapHours, ...definedOnly(lane.maxScanGapHours) },
      });
    }
  }
  if (byDay.size > 31) byDay.clear();
  byDay.set(on, rows);
  return rows;
}

/** Countries with a rule set of their own, and the members of groups (which take the group's lanes). */
function destinations(catalog: RuleSetCatalog): string[] {
  const out = new Set<string>();
  for (const [code, versions] of catalog) {
    if (!versions.some((v) => v.content.members)) out.add(code);
    for (const v of versions) for (const member of v.content.members ?? []) out.add(member);
  }
  return [...out].sort();
}

function definedOnly(gaps: ScanGaps | undefined): Partial<Record<GapStatus, number>> {
  return Object.fromEntries(Object.entries(gaps ?? {}).filter(([, v]) => typeof v === 'number')) as Partial<Record<GapStatus, number>>;
}

/** The rules are those in force on the day of `at` (UTC), as the planner reads them. */
export const rulesDay = (at: Date): string => isoDay(at);
