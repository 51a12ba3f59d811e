import type { Coverage } from './coverage';

/**
 * One SQL statement per metric family. Each groups its rows by the requested key with GROUPING SETS, so that the
 * same statement returns the totals (rows where `total` is true). What each reads:
 * - surveys, shipments booked, replies and messages: the daily rollup `cx_daily_stats` (kept by CxRollupService)
 *   for the days it covers, and the rows themselves, through the index on their time column, for the rest of the
 *   window (its partial days, and what came after the last rollup run; see coverage.ts);
 * - exceptions: likewise (`cx_daily_exception_stats`, with every resolution's hours for exact percentiles); the
 *   live rows by `opened_at` and `resolved_at`. Whether each was proactive, and its origin, come from
 *   `cx_exception_facts` once decided, and are worked out live, by the same expressions, for the undecided.
 */

export const GROUP_BYS = ['country', 'retailer', 'lane', 'day'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** How long after opening an exception with no notice and no reply is decided: not proactive. */
export const PROACTIVE_DECISION_DAYS = 7;

export interface Statement {
  sql: string;
  params: unknown[];
}

/** The group key of a row: its own country and origin columns when it has them, else the joined shipments `s`. */
function keyOf(groupBy: GroupBy, c: { retailer: string; time: string; country?: string; origin?: string }): string {
  switch (groupBy) {
    case 'country':
      return c.country ?? 's.destination_country';
    case 'lane':
      return `${c.origin ?? `(s.origin->>'country')`} || '-' || ${c.country ?? 's.destination_country'}`;
    case 'retailer':
      return `${c.retailer}::text`;
    case 'day':
      return `to_char(${c.time} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
  }
}

/** The key of a rollup row (`d`): '' stands for an unknown country. */
function rolledKey(groupBy: GroupBy): string {
  switch (groupBy) {
    case 'country':
      return `NULLIF(d.destination_country, '')`;
    case 'lane':
      return `CASE WHEN d.origin_country = '' OR d.destination_country = '' THEN NULL ELSE d.origin_country || '-' || d.destination_country END`;
    case 'retailer':
      return 'd.retailer_id::text';
    case 'day':
      return `to_char(d.day, 'YYYY-MM-DD')`;
  }
}

const needsShipment = (groupBy: GroupBy) => groupBy === 'lane' || groupBy === 'country';

/**
 * The live part of the window as plain range conditions on `column` (so that the planner reads each range
 * through the column's index), with their bounds appended to `params`.
 */
function liveRanges(column: string, cov: Coverage, params: unknown[]): string {
  if (cov.live.length === 0) return 'false';
  return `(${cov.live
    .map(([a, b]) => {
      params.push(a, b);
      return `(${column} >= $${params.length - 1} AND ${column} < $${params.length})`;
    })
    .join(' OR ')})`;
}

/**
 * The first consignee message for the shipment planned from the exception's opening on (less a grace: the planner
 * and the exception projector act on the same journey event independently, so the message may be written moments
 * before the exception), once it went out; and the first reply from then on.
 */
export const NOTICE_AND_REPLY = `
        LEFT JOIN LATERAL (
          SELECT coalesce(e.consignee_notified_at, min(coalesce(m.sent_at, m.created_at))) AS at FROM messages m
           WHERE m.shipment_id = e.shipment_id AND m.audience = 'consignee' AND m.status IN ('sent', 'delivered')
             AND m.created_at >= e.opened_at - interval '15 minutes') notice ON true
        LEFT JOIN LATERAL (
          SELECT min(cr.received_at) AS at FROM customer_replies cr
           WHERE cr.shipment_id = e.shipment_id AND cr.received_at >= e.opened_at - interval '15 minutes') reply ON true`;
export const PROACTIVE_EXPRESSION = `(notice.at IS NOT NULL AND (reply.at IS NULL OR notice.at < reply.at))`;

const CSAT = [1, 2, 3, 4, 5];
const CES = [1, 2, 3, 4, 5, 6, 7];
const SURVEY_COUNTS = (sv: string) => `
           count(*) AS issued, count(${sv}.used_at) AS responses, coalesce(sum(${sv}.csat), 0) AS csat_sum, coalesce(sum(${sv}.ces), 0) AS ces_sum,
           ${CSAT.map((v) => `count(*) FILTER (WHERE ${sv}.csat = ${v}) AS csat_${v}`).join(', ')},
           ${CES.map((v) => `count(*) FILTER (WHERE ${sv}.ces = ${v}) AS ces_${v}`).join(', ')}`;
const SURVEY_COLUMNS = ['issued', 'responses', 'csat_sum', 'ces_sum', ...CSAT.map((v) => `csat_${v}`), ...CES.map((v) => `ces_${v}`)];

/** CSAT, CES and response rate of the surveys issued in the window. */
export function surveysQuery(groupBy: GroupBy, cov: Coverage): Statement {
  const params: unknown[] = [cov.rolledDays];
  const k = keyOf(groupBy, { retailer: 'sv.retailer_id', time: 'sv.created_at', country: 'sv.destination_country', origin: 'sv.origin_country' });
  const sql = `
    WITH counts AS (
      SELECT ${k} AS k,${SURVEY_COUNTS('sv')}
        FROM surveys sv WHERE ${liveRanges('sv.created_at', cov, params)}
       GROUP BY 1
      UNION ALL
      SELECT ${rolledKey(groupBy)}, ${SURVEY_COLUMNS.map((c) => `sum(d.${c})`).join(', ')}
        FROM cx_daily_stats d WHERE d.day = ANY($1::date[]) AND d.channel = 'survey'
       GROUP BY 1
    )
    SELECT k, grouping(k) = 1 AS total,
           sum(issued)::int AS issued, sum(responses)::int AS responses,
           sum(csat_sum)::float8 / NULLIF(sum(responses), 0) AS csat_avg, sum(ces_sum)::float8 / NULLIF(sum(responses), 0) AS ces_avg,
           ${[...CSAT.map((v) => `csat_${v}`), ...CES.map((v) => `ces_${v}`)].map((c) => `sum(${c})::int AS ${c}`).join(', ')}
      FROM counts
     GROUP BY GROUPING SETS ((k), ())`;
  return { sql, params };
}

/**
 * Per exception and fact ('opened' on its opening, 'resolved' on its resolution), with its retailer, countries
 * ('' when unknown), type and the instant of the fact: whether it was proactive (from `cx_exception_facts` once
 * decided, else worked out now), its hours to resolve, whether an agent resolved it, and at first contact (one
 * touch, not reopened within 7 days of a resolution). `opened` and `resolved` are conditions on `e.opened_at` and
 * `e.resolved_at`. Each branch is read through its own index, the probes only where they are needed.
 */
function exceptionFacts(opened: string, resolved: string): string {
  const origin = `coalesce(f.origin_country, (SELECT s.origin->>'country' FROM shipments s WHERE s.id = e.shipment_id), '')`;
  const cols = `e.retailer_id, coalesce(e.destination_country::text, '') AS destination_country, ${origin} AS origin_country, e.type`;
  const hours = `extract(epoch FROM e.resolved_at - e.opened_at)::float8 / 3600`;
  return `
      SELECT 'opened' AS fact, ${cols}, e.opened_at AS at, f.proactive, NULL::float8 AS hours, false AS agent, false AS first_contact
        FROM exceptions e JOIN cx_exception_facts f ON f.exception_id = e.id
       WHERE ${opened}
      UNION ALL
      SELECT 'opened', ${cols}, e.opened_at, ${PROACTIVE_EXPRESSION}, NULL, false, false
        FROM exceptions e LEFT JOIN cx_exception_facts f ON false${NOTICE_AND_REPLY}
       WHERE ${opened} AND NOT EXISTS (SELECT 1 FROM cx_exception_facts x WHERE x.exception_id = e.id)
      UNION ALL
      SELECT 'resolved', ${cols}, e.resolved_at, false, ${hours}, e.touches >= 1, e.touches = 1
        FROM exceptions e LEFT JOIN cx_exception_facts f ON f.exception_id = e.id
       WHERE ${resolved} AND e.reopened_count = 0
      UNION ALL
      SELECT 'resolved', ${cols}, e.resolved_at, false, ${hours}, e.touches >= 1, e.touches = 1 AND reopened.early IS NULL
        FROM exceptions e LEFT JOIN cx_exception_facts f ON f.exception_id = e.id
        LEFT JOIN LATERAL (
          SELECT true AS early FROM exception_events v
            JOIN exception_events r ON r.exception_id = v.exception_id AND r.kind = 'reopened'
             AND r.created_at > v.created_at AND r.created_at <= v.created_at + interval '7 days'
           WHERE v.exception_id = e.id AND v.kind = 'resolved'
           LIMIT 1) reopened ON true
       WHERE ${resolved} AND e.reopened_count > 0`;
}

const EXCEPTION_SUMS = `
           count(*) FILTER (WHERE fact = 'opened') AS opened, count(*) FILTER (WHERE fact = 'opened' AND proactive) AS proactive,
           count(*) FILTER (WHERE fact = 'resolved') AS resolved, count(*) FILTER (WHERE fact = 'resolved' AND agent) AS agent_resolved,
           count(*) FILTER (WHERE fact = 'resolved' AND first_contact) AS first_contact,
           coalesce(array_agg(hours) FILTER (WHERE fact = 'resolved'), '{}') AS hours`;

/**
 * Exceptions opened in the window (how many proactively) and resolved in it (by an agent, at first contact; median
 * and p90 hours to resolve), by key and type. Counts add up across rollup days and live rows; the percentiles are
 * exact, over every resolution's hours.
 */
export function exceptionsQuery(groupBy: GroupBy, cov: Coverage): Statement {
  const params: unknown[] = [cov.rolledDays];
  const k = keyOf(groupBy, { retailer: 'x.retailer_id', time: 'x.at', country: `NULLIF(x.destination_country, '')`, origin: `NULLIF(x.origin_country, '')` });
  const facts = exceptionFacts(liveRanges('e.opened_at', cov, params), liveRanges('e.resolved_at', cov, params));
  const sql = `
    WITH rows AS MATERIALIZED (
      SELECT ${k} AS k, x.type,${EXCEPTION_SUMS}
        FROM (${facts}) x
       GROUP BY 1, 2
      UNION ALL
      SELECT ${rolledKey(groupBy)}, d.type, d.opened, d.proactive, d.resolved, d.agent_resolved, d.first_contact, d.hours
        FROM cx_daily_exception_stats d WHERE d.day = ANY($1::date[])
    ), counts AS (
      SELECT k, type, grouping(k) = 1 AS total, grouping(type) = 1 AS all_types,
             sum(opened)::int AS opened, sum(resolved)::int AS resolved, sum(agent_resolved)::int AS agent_resolved,
             sum(first_contact)::int AS first_contact, sum(proactive)::int AS proactive
        FROM rows
       GROUP BY GROUPING SETS ((k, type), (k), (type), ())
    ), times AS (
      SELECT k, type, grouping(k) = 1 AS total, grouping(type) = 1 AS all_types,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY h) AS median_hours,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY h) AS p90_hours
        FROM rows, unnest(hours) AS h
       GROUP BY GROUPING SETS ((k, type), (k), (type), ())
    )
    SELECT c.*, t.median_hours, t.p90_hours
      FROM counts c
      LEFT JOIN times t ON t.total = c.total AND t.all_types = c.all_types AND t.k IS NOT DISTINCT FROM c.k AND t.type IS NOT DISTINCT FROM c.type`;
  return { sql, params };
}

/** WISMO replies received in the window per 1,000 shipments booked in it. `pattern`: the WISMO phrases. */
export function wismoQuery(groupBy: GroupBy, cov: Coverage, pattern: string): Statement {
  const params: unknown[] = [cov.rolledDays, pattern];
  const replyKey = keyOf(groupBy, { retailer: 'cr.retailer_id', time: 'cr.received_at' });
  const shipmentKey = keyOf(groupBy, { retailer: 's.retailer_id', time: 's.created_at' });
  const sql = `
    WITH counts AS (
      SELECT ${shipmentKey} AS k, count(*) AS shipments, 0 AS replies, 0 AS wismo
        FROM shipments s WHERE ${liveRanges('s.created_at', cov, params)}
       GROUP BY 1
      UNION ALL
      SELECT ${replyKey}, 0, count(*), count(*) FILTER (WHERE coalesce(cr.wismo, cr.body ~* $2))
        FROM customer_replies cr${needsShipment(groupBy) ? ' LEFT JOIN shipments s ON s.id = cr.shipment_id' : ''}
       WHERE ${liveRanges('cr.received_at', cov, params)}
       GROUP BY 1
      UNION ALL
      SELECT ${rolledKey(groupBy)}, sum(d.shipments), sum(d.replies), sum(d.wismo)
        FROM cx_daily_stats d WHERE d.day = ANY($1::date[]) AND d.channel IN ('', 'reply')
       GROUP BY 1
    )
    SELECT k, grouping(k) = 1 AS total, sum(shipments)::int AS shipments, sum(replies)::int AS replies, sum(wismo)::int AS wismo
      FROM counts
     GROUP BY GROUPING SETS ((k), ())`;
  return { sql, params };
}

const MESSAGE_COUNTS = `
           count(*) FILTER (WHERE m.status <> 'skipped') AS attempted,
           count(*) FILTER (WHERE m.status = 'delivered') AS delivered,
           count(*) FILTER (WHERE m.status = 'sent') AS sent,
           count(*) FILTER (WHERE m.status IN ('failed', 'undelivered', 'dead')) AS failed,
           count(*) FILTER (WHERE m.status IN ('pending', 'sending')) AS pending,
           count(*) FILTER (WHERE m.status = 'skipped') AS skipped`;
const MESSAGE_COLUMNS = ['attempted', 'delivered', 'sent', 'failed', 'pending', 'skipped'];

/** Messages created in the window by channel and outcome (skipped ones were never meant to go out). */
export function messagesQuery(groupBy: GroupBy, cov: Coverage): Statement {
  const params: unknown[] = [cov.rolledDays];
  const k = keyOf(groupBy, { retailer: 'm.retailer_id', time: 'm.created_at' });
  const sql = `
    WITH counts AS (
      SELECT ${k} AS k, m.channel,${MESSAGE_COUNTS}
        FROM messages m${needsShipment(groupBy) ? ' LEFT JOIN shipments s ON s.id = m.shipment_id' : ''}
       WHERE ${liveRanges('m.created_at', cov, params)}
       GROUP BY 1, 2
      UNION ALL
      SELECT ${rolledKey(groupBy)}, d.channel, ${MESSAGE_COLUMNS.map((c) => `sum(d.${c})`).join(', ')}
        FROM cx_daily_stats d WHERE d.day = ANY($1::date[]) AND d.channel IN ('email', 'sms', 'webhook')
       GROUP BY 1, 2
    )
    SELECT k, grouping(k) = 1 AS total, channel, ${MESSAGE_COLUMNS.map((c) => `sum(${c})::int AS ${c}`).join(', ')}
      FROM counts
     GROUP BY GROUPING SETS ((k, channel), (channel))`;
  return { sql, params };
}

/**
 * One day of the rollup's traffic, what was created in `[$2, $3)` of day `$1`: shipments booked (channel ''),
 * messages by outcome (their channel) and replies (channel 'reply'; `$4`: the WISMO phrases), per retailer,
 * destination and origin ('' when unknown).
 */
export const ROLLUP_TRAFFIC_SQL = `
  INSERT INTO cx_daily_stats (day, retailer_id, destination_country, origin_country, channel, shipments, ${MESSAGE_COLUMNS.join(', ')}, replies, wismo)
  SELECT $1::date, s.retailer_id, s.destination_country, coalesce(s.origin->>'country', ''), '', count(*), 0, 0, 0, 0, 0, 0, 0, 0
    FROM shipments s WHERE s.created_at >= $2 AND s.created_at < $3
   GROUP BY 2, 3, 4
  UNION ALL
  SELECT $1::date, m.retailer_id, coalesce(s.destination_country::text, ''), coalesce(s.origin->>'country', ''), m.channel, 0,${MESSAGE_COUNTS}, 0, 0
    FROM messages m LEFT JOIN shipments s ON s.id = m.shipment_id
   WHERE m.created_at >= $2 AND m.created_at < $3
   GROUP BY 2, 3, 4, 5
  UNION ALL
  SELECT $1::date, cr.retailer_id, coalesce(s.destination_country::text, ''), coalesce(s.origin->>'country', ''), 'reply', 0, 0, 0, 0, 0, 0, 0,
         count(*), count(*) FILTER (WHERE coalesce(cr.wismo, cr.body ~* $4))
    FROM customer_replies cr LEFT JOIN shipments s ON s.id = cr.shipment_id
   WHERE cr.received_at >= $2 AND cr.received_at < $3
   GROUP BY 2, 3, 4`;

/** One day of the rollup's surveys (channel 'survey'), those issued in `[$2, $3)` of day `$1`. */
export const ROLLUP_SURVEYS_SQL = `
  INSERT INTO cx_daily_stats (day, retailer_id, destination_country, origin_country, channel, ${SURVEY_COLUMNS.join(', ')})
  SELECT $1::date, sv.retailer_id, sv.destination_country, sv.origin_country, 'survey',${SURVEY_COUNTS('sv')}
    FROM surveys sv WHERE sv.created_at >= $2 AND sv.created_at < $3
   GROUP BY 2, 3, 4`;

/** One day of the rollup's exceptions: opened or resolved in `[$2, $3)` of day `$1`. */
export const ROLLUP_EXCEPTIONS_SQL = `
  INSERT INTO cx_daily_exception_stats (day, retailer_id, destination_country, origin_country, type, opened, proactive, resolved, agent_resolved, first_contact, hours)
  SELECT $1::date, x.retailer_id, x.destination_country, x.origin_country, x.type,${EXCEPTION_SUMS}
    FROM (${exceptionFacts('e.opened_at >= $2 AND e.opened_at < $3', 'e.resolved_at >= $2 AND e.resolved_at < $3')}) x
   GROUP BY 2, 3, 4, 5`;

/**
 * Decides, for exceptions opened since `$2`, whether each was proactive, once that can no longer change: a notice
 * or a reply exists (the first of them is final), or neither came within PROACTIVE_DECISION_DAYS; and records its
 * shipment's origin. `$1`: now; `$3`: the most to decide in one go.
 */
export const DECIDE_EXCEPTIONS_SQL = `
  WITH decided AS (
    INSERT INTO cx_exception_facts (exception_id, origin_country, proactive, notified_at, replied_at, decided_at)
    SELECT e.id, s.origin->>'country', ${PROACTIVE_EXPRESSION}, notice.at, reply.at, $1
      FROM (SELECT e.* FROM exceptions e
             WHERE e.opened_at >= $2 AND e.opened_at < $1
               AND NOT EXISTS (SELECT 1 FROM cx_exception_facts f WHERE f.exception_id = e.id)
             ORDER BY e.opened_at LIMIT $3) e
      JOIN shipments s ON s.id = e.shipment_id${NOTICE_AND_REPLY}
     WHERE notice.at IS NOT NULL OR reply.at IS NOT NULL OR e.opened_at < $1::timestamptz - interval '${PROACTIVE_DECISION_DAYS} days'
    ON CONFLICT (exception_id) DO NOTHING
    RETURNING 1)
  SELECT count(*)::int AS n FROM decided`;
