import { DateTime } from 'luxon';
import type { QuietHours } from '../../country-rules/rule-set/rule-set-content';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When a message due at `at` may go out, given quiet windows in local time (luxon does the zone
 * arithmetic, daylight-saving days included). Returns `at` itself when no window covers it; otherwise the
 * end of the covering window, walked forward in case windows chain (a Sunday rule after a nightly one).
 * A window whose end is before its start runs past midnight and belongs to the day it starts on.
 */
export function quietUntil(at: Date, timeZone: string, windows: readonly QuietHours[]): Date {
  const start = DateTime.fromJSDate(at, { zone: timeZone });
  if (!start.isValid) return at;
  let t: DateTime = start;
  for (let guard = 0; guard < 8; guard++) {
    const end = coveringWindowEnd(t, windows);
    if (!end) return t.toJSDate();
    t = end;
  }
  return t.toJSDate();
}

function coveringWindowEnd(t: DateTime, windows: readonly QuietHours[]): DateTime | undefined {
  let latest: DateTime | undefined;
  for (const w of windows) {
    const start = minutes(w.start);
    const end = minutes(w.end);
    // The window may have started today, or (when it runs past midnight) yesterday.
    for (const dayOffset of [0, -1]) {
      const day = t.plus({ days: dayOffset }).startOf('day');
      if (!w.days.includes(day.weekday)) continue;
      // Wall-clock times (set, not plus), so a daylight-saving change inside the window moves nothing.
      const at = (d: DateTime, m: number) => d.set({ hour: Math.floor(m / 60), minute: m % 60 });
      const from = at(day, start);
      const to = end > start ? at(day, end) : at(day.plus({ days: 1 }), end);
      if (t >= from && t < to && (!latest || to > latest)) latest = to;
    }
  }
  return latest;
}
