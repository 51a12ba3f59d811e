-- Passage's single-event ingestion, statement for statement (journey.repository.ts / tracking.repository.ts at 867a3c1),
-- replayed by pgbench -M extended on the data bench:ingest left in passage_bench: 9 round trips per event.
-- bench_pick (n → tracking number) is created by bench/sql-decompose.js; picking adds one index probe to statement 1.
\set n random(1, :nships)
\set ev random(1, 1000000000)
SELECT id AS sid, retailer_id AS rid, tracking_number AS tn FROM shipments
 WHERE tracking_number = ANY(ARRAY[(SELECT tn FROM bench_pick WHERE n = :n)]::text[]) \gset
BEGIN;
SELECT id, retailer_id, tracking_number, status AS st, last_event_occurred_at FROM shipments
 WHERE id = ANY(ARRAY[CAST(:sid AS uuid)]) ORDER BY id FOR UPDATE \gset
SELECT e.source, e.external_event_id FROM tracking_events e
  JOIN unnest(ARRAY['bench-carrier']::text[], ARRAY['pgb-' || :client_id || '-' || :ev]::text[]) AS k(source, external_event_id)
    ON e.source = k.source AND e.external_event_id = k.external_event_id;
INSERT INTO tracking_events (shipment_id, retailer_id, source, external_event_id, code, original_code, reason,
       occurred_at, location, description, raw, outcome, late, status_before, status_after)
SELECT * FROM unnest(ARRAY[CAST(:sid AS uuid)], ARRAY[CAST(:rid AS uuid)], ARRAY['bench-carrier'], ARRAY['pgb-' || :client_id || '-' || :ev],
       ARRAY['OUT_FOR_DELIVERY'], ARRAY['OUT_FOR_DELIVERY'], ARRAY[NULL::text], ARRAY[now()], ARRAY['{"country":"DE","city":"Berlin"}'::jsonb],
       ARRAY[NULL::text], ARRAY['{"trackingNumber":"x","eventId":"y","code":"OUT_FOR_DELIVERY","location":{"country":"DE","city":"Berlin"}}'::jsonb],
       ARRAY['applied'], ARRAY[false], ARRAY[CAST(:st AS text)], ARRAY['out_for_delivery'])
ON CONFLICT (source, external_event_id) DO NOTHING
RETURNING id AS teid, source, external_event_id \gset
WITH updated AS (UPDATE shipments s
    SET status = u.status, status_rank = u.rank,
        status_changed_at = COALESCE(u.status_changed_at, s.status_changed_at),
        last_event_occurred_at = GREATEST(s.last_event_occurred_at, u.last_event_occurred_at),
        delivered_at = COALESCE(u.delivered_at, s.delivered_at),
        return_requested_at = COALESCE(u.return_requested_at, s.return_requested_at),
        return_reference = CASE WHEN u.return_requested_at IS NOT NULL
                                THEN COALESCE(s.return_reference, 'R' || s.tracking_number) ELSE s.return_reference END,
        version = s.version + 1, updated_at = now()
   FROM unnest(ARRAY[CAST(:sid AS uuid)], ARRAY[CAST(:st AS text)], ARRAY['out_for_delivery'], ARRAY[50], ARRAY[now()], ARRAY[now()],
               ARRAY[NULL::timestamptz], ARRAY[NULL::timestamptz])
        AS u(id, from_status, status, rank, status_changed_at, last_event_occurred_at, delivered_at, return_requested_at)
  WHERE s.id = u.id AND s.status = u.from_status
  RETURNING s.id) SELECT count(*)::int AS n FROM updated;
INSERT INTO shipment_status_history (shipment_id, retailer_id, from_status, to_status, tracking_event_id, cause, occurred_at)
SELECT * FROM unnest(ARRAY[CAST(:sid AS uuid)], ARRAY[CAST(:rid AS uuid)], ARRAY[CAST(:st AS text)], ARRAY['out_for_delivery'],
       ARRAY[CAST(:teid AS bigint)], ARRAY['event'], ARRAY[now()]);
INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
SELECT * FROM unnest(ARRAY[CAST(:sid AS uuid)], ARRAY[CAST(:rid AS uuid)], ARRAY['shipment.out_for_delivery'],
       ARRAY['{"from":"in_transit","to":"out_for_delivery","code":"OUT_FOR_DELIVERY","source":"bench-carrier"}'::jsonb], ARRAY[now()]);
COMMIT;
