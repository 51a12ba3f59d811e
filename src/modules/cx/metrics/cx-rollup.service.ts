import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { SURVEY_TTL_DAYS } from '../surveys/survey-links';
import { DECIDE_EXCEPTIONS_SQL, PROACTIVE_DECISION_DAYS, ROLLUP_EXCEPTIONS_SQL, ROLLUP_SURVEYS_SQL, ROLLUP_TRAFFIC_SQL } from './cx-metrics.sql';
import { WISMO_PATTERN } from './wismo';
import { MAX_WINDOW_DAYS } from './cx-metrics.service';

const DAY = 86_400_000;
/** A day's message outcomes are taken as final this long after it ends (retries and delivery reports are over). */
export const SETTLE_DAYS = 3;
/** A day's surveys are final once their links have expired. */
export const SURVEY_SETTLE_DAYS = SURVEY_TTL_DAYS + 1;
/** A day's exceptions are final once every one is decided and past the 7 days a reopen counts against first contact. */
export const EXCEPTION_SETTLE_DAYS = PROACTIVE_DECISION_DAYS + 1;
/** Rows created this close to a rollup run may still be in transactions it cannot see: the live read takes them. */
const MARGIN_MS = 2 * 60_000;
const DAYS_PER_RUN = 60;
const DECISIONS_PER_RUN = 50_000;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Keeps the CX metrics' rollups: per UTC day, shipments booked, messages by outcome, replies, surveys and exceptions
 * (today and unsettled days are recomputed on every run, so what the metrics read from them lags by one run at
 * most; a settled part is computed once more and then left), and each exception's facts once decided. Days go newest first, a bounded number
 * per run, back to the longest window the metrics accept. Each day is recomputed under its own advisory lock,
 * so workers running side by side never write one day twice.
 */
@Injectable()
export class CxRollupService {
  private readonly logger = new Logger(CxRollupService.name);

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async run(opts: { maxDays?: number } = {}): Promise<{ days: number; decided: number }> {
    const now = this.clock.now();
    const today = Date.parse(`${isoDay(now.getTime())}T00:00:00Z`);
    const horizon = today - MAX_WINDOW_DAYS * DAY;
    // Proactivity first: the day's exception rows then take the decisions just made.
    const [{ n: decided }]: Array<{ n: number }> = await this.db.query(DECIDE_EXCEPTIONS_SQL, [now, new Date(horizon), DECISIONS_PER_RUN]);
    const known: Array<{ day: string; traffic: Date; surveys: Date; exceptions: Date }> = await this.db.query(
      `SELECT day::text AS day, traffic_computed_at AS traffic, surveys_computed_at AS surveys, exceptions_computed_at AS exceptions
         FROM cx_daily_stats_days WHERE day >= $1::date`,
      [isoDay(horizon)],
    );
    const computed = new Map(known.map((k) => [k.day, k]));
    let days = 0;
    for (let start = today; start >= horizon && days < (opts.maxDays ?? DAYS_PER_RUN); start -= DAY) {
      const last = computed.get(isoDay(start));
      const due = (at: Date | undefined, settleDays: number) => !at || new Date(at).getTime() < start + DAY + settleDays * DAY;
      const parts = { traffic: due(last?.traffic, SETTLE_DAYS), surveys: due(last?.surveys, SURVEY_SETTLE_DAYS), exceptions: due(last?.exceptions, EXCEPTION_SETTLE_DAYS) };
      if (!parts.traffic && !parts.surveys && !parts.exceptions) continue;
      await this.rollupDay(start, now, parts);
      days += 1;
    }
    if (days > 0 || decided > 0) this.logger.debug({ days, decided }, 'cx rollups updated');
    return { days, decided };
  }

  /**
   * Recomputes a day's parts that are not settled yet. A part is recomputed alone only once the traffic is settled,
   * and the traffic settles first, so the day's rows always cover the same span, `[day, covered_until)`.
   */
  private async rollupDay(start: number, now: Date, parts: { traffic: boolean; surveys: boolean; exceptions: boolean }): Promise<void> {
    const day = isoDay(start);
    await this.db.transaction(async (tx) => {
      const [{ locked }]: Array<{ locked: boolean }> = await tx.query(`SELECT pg_try_advisory_xact_lock(hashtextextended('cx_daily_stats:' || $1, 0)) AS locked`, [day]);
      if (!locked) return;
      const [row]: Array<{ covered_until: Date }> = await tx.query(`SELECT covered_until FROM cx_daily_stats_days WHERE day = $1::date`, [day]);
      const all = !row;
      const coveredUntil = parts.traffic || all ? new Date(Math.max(start, Math.min(start + DAY, now.getTime() - MARGIN_MS))) : new Date(row.covered_until);
      const span = [day, new Date(start), coveredUntil];
      if (parts.traffic || all) {
        await tx.query(`DELETE FROM cx_daily_stats WHERE day = $1::date AND channel <> 'survey'`, [day]);
        await tx.query(ROLLUP_TRAFFIC_SQL, [...span, WISMO_PATTERN]);
      }
      if (parts.surveys || all) {
        await tx.query(`DELETE FROM cx_daily_stats WHERE day = $1::date AND channel = 'survey'`, [day]);
        await tx.query(ROLLUP_SURVEYS_SQL, span);
      }
      if (parts.exceptions || all) {
        await tx.query(`DELETE FROM cx_daily_exception_stats WHERE day = $1::date`, [day]);
        await tx.query(ROLLUP_EXCEPTIONS_SQL, span);
      }
      await tx.query(
        `INSERT INTO cx_daily_stats_days (day, covered_until, traffic_computed_at, surveys_computed_at, exceptions_computed_at)
         VALUES ($1::date, $2, $3, $3, $3)
         ON CONFLICT (day) DO UPDATE SET covered_until = EXCLUDED.covered_until,
           traffic_computed_at = CASE WHEN $4 THEN $3 ELSE cx_daily_stats_days.traffic_computed_at END,
           surveys_computed_at = CASE WHEN $5 THEN $3 ELSE cx_daily_stats_days.surveys_computed_at END,
           exceptions_computed_at = CASE WHEN $6 THEN $3 ELSE cx_daily_stats_days.exceptions_computed_at END`,
        [day, coveredUntil, now, parts.traffic, parts.surveys, parts.exceptions],
      );
    });
  }
}
