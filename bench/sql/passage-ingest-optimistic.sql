-- Passage's single-event ingestion since the optimistic write (journey.repository.ts): 2 round trips, no transaction.
-- 1. read the shipment and any stored duplicate (no lock)  2. one guarded statement that writes everything.
-- Parameters are JSON text, as the repository sends them (here built by concatenation from pgbench variables).
\set n random(1, :nships)
\set ev random(1, 1000000000)
WITH s AS (SELECT id, retailer_id, tracking_number, status, last_event_occurred_at, version FROM shipments
            WHERE tracking_number = ANY(ARRAY[(SELECT tn FROM bench_pick WHERE n = :n)]::text[]) AND (NULL::uuid IS NULL OR retailer_id = NULL::uuid))
SELECT 's' AS kind, s.id AS sid, s.retailer_id AS rid, s.status AS st, s.version AS ver, NULL AS source, NULL AS xid FROM s
UNION ALL
SELECT 'e', NULL, NULL, NULL, NULL, e.source, e.external_event_id
  FROM json_to_recordset(('[{"s":"bench-carrier","e":"pgb-' || CAST(:client_id AS text) || '-' || CAST(:ev AS text) || '"}]')::json) AS k(s text, e text)
  JOIN tracking_events e ON e.source = k.s AND e.external_event_id = k.e \gset
WITH guard AS (
  SELECT s.id FROM shipments s JOIN json_to_recordset(('[{"id":"' || CAST(:sid AS text) || '","version":' || CAST(:ver AS text) || '}]')::json) AS g(id uuid, version int)
    ON s.id = g.id AND s.version = g.version ORDER BY s.id FOR UPDATE OF s
), upd AS (
  UPDATE shipments s
     SET status = u.status, status_rank = u.rank,
         status_changed_at = COALESCE(u.status_changed_at, s.status_changed_at),
         last_event_occurred_at = GREATEST(s.last_event_occurred_at, u.last_event_occurred_at),
         delivered_at = COALESCE(u.delivered_at, s.delivered_at),
         return_requested_at = COALESCE(u.return_requested_at, s.return_requested_at),
         return_reference = CASE WHEN u.return_requested_at IS NOT NULL
                                 THEN COALESCE(s.return_reference, 'R' || s.tracking_number) ELSE s.return_reference END,
         version = s.version + 1,
         updated_at = CASE WHEN u.status <> s.status THEN now() ELSE s.updated_at END
    FROM json_to_recordset(('[{"id":"' || CAST(:sid AS text) || '","version":' || CAST(:ver AS text) || ',"status":"out_for_delivery","rank":50,"status_changed_at":"' || now() || '","last_event_occurred_at":"' || now() || '","delivered_at": null,"return_requested_at": null}]')::json)
         AS u(id uuid, version int, status text, rank int, status_changed_at timestamptz,
         last_event_occurred_at timestamptz, delivered_at timestamptz, return_requested_at timestamptz)
   WHERE s.id = u.id AND s.version = u.version AND (SELECT count(*) FROM guard) = 1
   RETURNING s.id
), ins AS (
  INSERT INTO tracking_events (shipment_id, retailer_id, source, external_event_id, code, original_code, reason,
         occurred_at, location, description, raw, outcome, late, status_before, status_after)
  SELECT e.shipment_id, e.retailer_id, e.source, e.external_event_id, e.code, e.original_code, e.reason,
         e.occurred_at, e.location, e.description, e.raw, e.outcome, e.late, e.status_before, e.status_after
    FROM json_to_recordset(('[{"shipment_id":"' || CAST(:sid AS text) || '","retailer_id":"' || CAST(:rid AS text) || '","source":"bench-carrier","external_event_id":"pgb-' || CAST(:client_id AS text) || '-' || CAST(:ev AS text)
         || '","code":"OUT_FOR_DELIVERY","original_code":"OUT_FOR_DELIVERY","reason": null,"occurred_at":"' || now() || '","location":{"country":"DE","city":"Berlin"},"description": null,'
         || '"raw":{"trackingNumber":"x","eventId":"y","code":"OUT_FOR_DELIVERY","location":{"country":"DE","city":"Berlin"}},"outcome":"applied","late": false,"status_before":"' || CAST(:st AS text) || '","status_after":"out_for_delivery"}]')::json)
         AS e(shipment_id uuid, retailer_id uuid, source text, external_event_id text, code text,
         original_code text, reason text, occurred_at timestamptz, location jsonb, description text, raw jsonb,
         outcome text, late boolean, status_before text, status_after text)
   WHERE (SELECT count(*) FROM guard) = 1
  RETURNING id, source, external_event_id
), hist AS (
  INSERT INTO shipment_status_history (shipment_id, retailer_id, from_status, to_status, tracking_event_id, cause, occurred_at)
  SELECT h.shipment_id, h.retailer_id, h.from_status, h.to_status, ins.id, h.cause, h.occurred_at
    FROM json_to_recordset(('[{"shipment_id":"' || CAST(:sid AS text) || '","retailer_id":"' || CAST(:rid AS text) || '","from_status":"' || CAST(:st AS text) || '","to_status":"out_for_delivery","source":"bench-carrier","external_event_id":"pgb-' || CAST(:client_id AS text) || '-' || CAST(:ev AS text) || '","cause":"event","occurred_at":"' || now() || '"}]')::json)
         AS h(shipment_id uuid, retailer_id uuid, from_status text, to_status text, source text, external_event_id text, cause text, occurred_at timestamptz)
    JOIN ins ON ins.source = h.source AND ins.external_event_id = h.external_event_id
), outbox AS (
  INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
  SELECT j.shipment_id, j.retailer_id, j.type, j.payload || jsonb_build_object('trackingEventId', ins.id::text), j.occurred_at
    FROM json_to_recordset(('[{"shipment_id":"' || CAST(:sid AS text) || '","retailer_id":"' || CAST(:rid AS text) || '","type":"shipment.out_for_delivery","payload":{"from":"in_transit","to":"out_for_delivery","code":"OUT_FOR_DELIVERY","source":"bench-carrier"},"occurred_at":"' || now() || '","source":"bench-carrier","external_event_id":"pgb-' || CAST(:client_id AS text) || '-' || CAST(:ev AS text) || '"}]')::json)
         AS j(shipment_id uuid, retailer_id uuid, type text, payload jsonb, occurred_at timestamptz, source text, external_event_id text)
    JOIN ins ON ins.source = j.source AND ins.external_event_id = j.external_event_id
)
SELECT (SELECT count(*) FROM guard)::int AS guarded, (SELECT count(*) FROM ins)::int AS inserted;
