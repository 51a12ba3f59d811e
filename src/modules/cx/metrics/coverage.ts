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
 * Splits a window into what the daily rollup covers and what must be read live. A day counts only when it lies
 * wholly inside the window; its rollup covers `[day, coveredUntil)`; everything else (the window's partial days,
 * days not rolled up, the part of a day after its rollup ran) is live.
 */
export function coverage(from: Date, to: Date, days: RolledDay[]): Coverage {
  const rolled: Array<[number, number, string]> = [];
  for (const d of days) {
    const start = Date.parse(`${d.day}T00:00:00Z`);
    const end = Math.min(start + DAY, d.coveredUntil.getTime());
    if (start >= from.getTime() && start + DAY <= to.getTime() && end > start) rolled.push([start, end, d.day]);
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
