-- The same work as passage-ingest.sql in 4 round trips: what a reshaped JourneyService could send.
-- 1. BEGIN  2. resolve + lock + duplicate check in one statement  3. every write in one statement  4. COMMIT
\set n random(1, :nships)
\set ev random(1, 1000000000)
BEGIN;
WITH s AS (SELECT id, retailer_id, tracking_number, status, last_event_occurred_at FROM shipments
            WHERE tracking_number = ANY(ARRAY[(SELECT tn FROM bench_pick WHERE n = :n)]::text[]) ORDER BY id FOR UPDATE),
     dup AS (SELECT e.source, e.external_event_id FROM tracking_events e
               JOIN unnest(ARRAY['bench-carrier']::text[], ARRAY['pgb-' || :client_id || '-' || :ev]::text[]) AS k(source, external_event_id)
                 ON e.source = k.source AND e.external_event_id = k.external_event_id)
SELECT s.id AS sid, s.retailer_id AS rid, s.status AS st, (SELECT count(*) FROM dup) AS dups FROM s \gset
WITH ev AS (
  INSERT INTO tracking_events (shipment_id, retailer_id, source, external_event_id, code, original_code, reason,
         occurred_at, location, description, raw, outcome, late, status_before, status_after)
  SELECT * FROM unnest(ARRAY[CAST(:sid AS uuid)], ARRAY[CAST(:rid AS uuid)], ARRAY['bench-carrier'], ARRAY['pgb-' || :client_id || '-' || :ev],
         ARRAY['OUT_FOR_DELIVERY'], ARRAY['OUT_FOR_DELIVERY'], ARRAY[NULL::text], ARRAY[now()], ARRAY['{"country":"DE","city":"Berlin"}'::jsonb],
         ARRAY[NULL::text], ARRAY['{"trackingNumber":"x","eventId":"y","code":"OUT_FOR_DELIVERY","location":{"country":"DE","city":"Berlin"}}'::jsonb],
         ARRAY['applied'], ARRAY[false], ARRAY[CAST(:st AS text)], ARRAY['out_for_delivery'])
  ON CONFLICT (source, external_event_id) DO NOTHING
  RETURNING id, shipment_id, retailer_id, status_before, status_after, occurred_at),
upd AS (UPDATE shipments s
    SET status = 'out_for_delivery', status_rank = 50, status_changed_at = now(),
        last_event_occurred_at = GREATEST(s.last_event_occurred_at, now()), version = s.version + 1, updated_at = now()
  WHERE s.id = CAST(:sid AS uuid) AND s.status = CAST(:st AS text)
  RETURNING s.id),
h AS (INSERT INTO shipment_status_history (shipment_id, retailer_id, from_status, to_status, tracking_event_id, cause, occurred_at)
      SELECT shipment_id, retailer_id, status_before, status_after, id, 'event', occurred_at FROM ev),
j AS (INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
      SELECT shipment_id, retailer_id, 'shipment.out_for_delivery',
             jsonb_build_object('from', status_before, 'to', status_after, 'code', 'OUT_FOR_DELIVERY', 'source', 'bench-carrier', 'trackingEventId', id::text),
             occurred_at FROM ev)
SELECT (SELECT count(*) FROM ev) AS inserted, (SELECT count(*) FROM upd) AS updated;
COMMIT;
