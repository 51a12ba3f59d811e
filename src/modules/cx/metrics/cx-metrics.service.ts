import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { CommonErrors } from '../../../common/errors/app-error';
import { EXCEPTION_TYPES } from '../exceptions/exception-types';
import { ChannelMetricsDto, CxMetricsDto, ExceptionMetricsDto, GroupMetricsDto, MetricsGroupDto, SurveyMetricsDto, WismoMetricsDto } from './cx-metrics.dto';
import { GroupBy, Statement, exceptionsQuery, messagesQuery, surveysQuery, wismoQuery } from './cx-metrics.sql';
import { coverage, RolledDay } from './coverage';
import { WISMO_PATTERN } from './wismo';

const DAY = 86_400_000;
/** The longest window one request may ask for. */
export const MAX_WINDOW_DAYS = 400;
const CHANNELS = ['email', 'sms', 'webhook'] as const;
export const UNKNOWN_GROUP = 'unknown';

type Row = Record<string, unknown> & { k: string | null; total: boolean };

const ratio = (n: number, d: number, digits = 4) => (d > 0 ? round(n / d, digits) : null);
const round = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? null : Math.round(Number(x) * 10 ** digits) / 10 ** digits);
const num = (x: unknown) => Number(x ?? 0);

/**
 * The CX team's measures over a window, per group and in total: surveys (CSAT, CES, response rate),
 * exceptions (opened and resolved by type, time to resolve, first-contact resolution, proactive share),
 * WISMO replies per 1,000 shipments, and message delivery per channel. Four statements, one per family,
 * run side by side on the pool; shipments booked and messages come from the daily rollup (CxRollupService) for
 * the days it covers, and from the rows themselves for the rest of the window.
 */
@Injectable()
export class CxMetricsService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  window(q: { from?: Date; to?: Date }): { from: Date; to: Date } {
    const to = q.to ?? this.clock.now();
    const from = q.from ?? new Date(to.getTime() - 30 * DAY);
    if (from.getTime() >= to.getTime()) throw CommonErrors.validation([{ field: 'from', issue: 'must be before to' }]);
    if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY) throw CommonErrors.validation([{ field: 'from', issue: `the window may span at most ${MAX_WINDOW_DAYS} days` }]);
    return { from, to };
  }

  async compute(q: { from?: Date; to?: Date; groupBy?: GroupBy }): Promise<CxMetricsDto> {
    const { from, to } = this.window(q);
    const groupBy = q.groupBy ?? 'country';
    const cov = coverage(from, to, await this.rolledDays(from, to));
    const [surveys, exceptions, wismo, messages] = await Promise.all([
      this.read(surveysQuery(groupBy, cov)),
      this.read(exceptionsQuery(groupBy, cov)),
      this.read(wismoQuery(groupBy, cov, WISMO_PATTERN)),
      this.read(messagesQuery(groupBy, cov)),
    ]);

    const groups = new Map<string, GroupMetricsDto>();
    const totals = emptyGroup();
    const into = (row: Row): GroupMetricsDto => {
      if (row.total) return totals;
      const key = row.k === null ? UNKNOWN_GROUP : String(row.k).trim();
      let group = groups.get(key);
      if (!group) groups.set(key, (group = emptyGroup()));
      return group;
    };

    for (const r of surveys) into(r).surveys = surveyMetrics(r);
    // GROUPING SETS ((k, type), (k), (type), ()): `total` is grouping(k), `all_types` grouping(type).
    for (const r of exceptions) {
      const e = into(r).exceptions;
      if (r.all_types) fillExceptions(e, r);
      else fillType(e, r);
    }
    for (const r of wismo) into(r).wismo = wismoMetrics(r);
    for (const r of messages) into(r).messages[String(r.channel)] = channelMetrics(r);

    const labels = groupBy === 'retailer' ? await this.retailerNames([...groups.keys()]) : new Map<string, string>();
    const list: MetricsGroupDto[] = [...groups.entries()]
      .sort(([a], [b]) => (a === UNKNOWN_GROUP ? 1 : b === UNKNOWN_GROUP ? -1 : a < b ? -1 : a > b ? 1 : 0))
      .map(([key, g]) => ({ key, label: labels.get(key) ?? null, ...g }));
    return { from: from.toISOString(), to: to.toISOString(), groupBy, totals, groups: list };
  }

  /**
   * One family's statement, in its own transaction: without JIT (these statements are planned as expensive, and
   * compiling them costs more than it saves) and with room to hash and sort in memory.
   */
  private read(q: Statement): Promise<Row[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL jit = off`);
      await tx.query(`SET LOCAL work_mem = '64MB'`);
      return tx.query(q.sql, q.params) as Promise<Row[]>;
    });
  }

  private async rolledDays(from: Date, to: Date): Promise<RolledDay[]> {
    const rows: Array<{ day: string; covered_until: Date }> = await this.db.query(
      `SELECT day::text AS day, covered_until FROM cx_daily_stats_days WHERE day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND day < $2::timestamptz AT TIME ZONE 'UTC'`,
      [from, to],
    );
    return rows.map((r) => ({ day: r.day, coveredUntil: new Date(r.covered_until) }));
  }

  private async retailerNames(ids: string[]): Promise<Map<string, string>> {
    const valid = ids.filter((id) => /^[0-9a-f-]{36}$/.test(id));
    if (valid.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.db.query(`SELECT id::text, name FROM retailers WHERE id = ANY($1::uuid[])`, [valid]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

function emptyGroup(): GroupMetricsDto {
  return {
    surveys: surveyMetrics({ k: null, total: false }),
    exceptions: {
      opened: 0,
      resolved: 0,
      timeToResolve: { medianHours: null, p90Hours: null },
      byType: Object.fromEntries(EXCEPTION_TYPES.map((t) => [t, { opened: 0, resolved: 0, timeToResolve: { medianHours: null, p90Hours: null } }])),
      firstContactResolution: { agentResolved: 0, firstContact: 0, rate: null },
      proactive: { opened: 0, proactive: 0, share: null },
    },
    wismo: wismoMetrics({ k: null, total: false }),
    messages: Object.fromEntries(CHANNELS.map((c) => [c, channelMetrics({ k: null, total: false })])),
  };
}

function surveyMetrics(r: Row): SurveyMetricsDto {
  const issued = num(r.issued);
  const responses = num(r.responses);
  return {
    issued,
    responses,
    responseRate: ratio(responses, issued),
    csatAverage: round(r.csat_avg as number | null),
    csatDistribution: Object.fromEntries([1, 2, 3, 4, 5].map((v) => [String(v), num(r[`csat_${v}`])])),
    cesAverage: round(r.ces_avg as number | null),
    cesDistribution: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((v) => [String(v), num(r[`ces_${v}`])])),
  };
}

function fillExceptions(e: ExceptionMetricsDto, r: Row): void {
  e.opened = num(r.opened);
  e.resolved = num(r.resolved);
  e.timeToResolve = { medianHours: round(r.median_hours as number | null), p90Hours: round(r.p90_hours as number | null) };
  const agentResolved = num(r.agent_resolved);
  const firstContact = num(r.first_contact);
  e.firstContactResolution = { agentResolved, firstContact, rate: ratio(firstContact, agentResolved) };
  const proactive = num(r.proactive);
  e.proactive = { opened: e.opened, proactive, share: ratio(proactive, e.opened) };
}

function fillType(e: ExceptionMetricsDto, r: Row): void {
  e.byType[String(r.type)] = {
    opened: num(r.opened),
    resolved: num(r.resolved),
    timeToResolve: { medianHours: round(r.median_hours as number | null), p90Hours: round(r.p90_hours as number | null) },
  };
}

function wismoMetrics(r: Row): WismoMetricsDto {
  const shipments = num(r.shipments);
  const wismoReplies = num(r.wismo);
  return { shipments, replies: num(r.replies), wismoReplies, per1000Shipments: shipments > 0 ? round((wismoReplies * 1000) / shipments) : null };
}

function channelMetrics(r: Row): ChannelMetricsDto {
  const delivered = num(r.delivered);
  const sent = num(r.sent);
  const failed = num(r.failed);
  return {
    attempted: num(r.attempted),
    delivered,
    sent,
    failed,
    pending: num(r.pending),
    skipped: num(r.skipped),
    deliveryRate: ratio(delivered + sent, delivered + sent + failed),
  };
}
