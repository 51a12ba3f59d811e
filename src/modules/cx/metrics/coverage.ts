const DAY = 86_400_000;

export interface RolledDay {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** The rollup holds what was created that day before this instant. */
  coveredUntil: Date;
}

export interface Coverage {
  /** Days whose rollup rows the metrics read. */
  rolledDays: string[];
  /** The rest of the window, read from the rows themselves: `[from, to)` intervals, in order. */
  live: Array<[Date, Date]>;
}

/**
 * Splits a window into what the daily rollup covers and what must be read live. A day's rollup covers
 * `[day, coveredUntil)` and counts when that span lies inside the window (today's, up to the last run, does);
 * everything else (a partial day at the window's start, days not rolled up, what came after a day's last run) is live.
 */
export function coverage(from: Date, to: Date, days: RolledDay[]): Coverage {
  const rolled: Array<[number, number, string]> = [];
  for (const d of days) {
    const start = Date.parse(`${d.day}T00:00:00Z`);
    const end = Math.min(start + DAY, d.coveredUntil.getTime());
    if (start >= from.getTime() && end <= to.getTime() && end > start) rolled.push([start, end, d.day]);
  }
  rolled.sort((a, b) => a[0] - b[0]);
  const live: Array<[Date, Date]> = [];
  let cursor = from.getTime();
  for (const [start, end] of rolled) {
    if (start > cursor) live.push([new Date(cursor), new Date(start)]);
    cursor = Math.max(cursor, end);
  }
  if (cursor < to.getTime()) live.push([new Date(cursor), new Date(to.getTime())]);
  return { rolledDays: rolled.map((r) => r[2]), live };
}
