import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { AuditLog } from '../../audit/audit.repository';
import { JourneyStatus, STATUS_EVENT_TYPE, STATUS_RANK } from '../../shipments/journey';
import { CxErrors } from '../cx.errors';
import { OverrideStatusResponseDto } from './cx-shipments.dto';

/**
 * A supervisor's status override: a guarded write through the journey tables, like a transition (the
 * shipment row under its version, a status-history row with cause `override`, and the journey event, so
 * that the planner and the exception projector react as to any move), audited with the reason.
 */
@Injectable()
export class ShipmentOverrideService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async override(actor: string, shipmentId: string, to: JourneyStatus, reason: string): Promise<OverrideStatusResponseDto> {
    return this.db.transaction(async (tx) => {
      const [shipment]: Array<{ id: string; retailer_id: string; tracking_number: string; status: JourneyStatus; version: number }> = await tx.query(
        `SELECT id, retailer_id, tracking_number, status, version FROM shipments WHERE id = $1 FOR UPDATE`,
        [shipmentId],
      );
      if (!shipment) throw CxErrors.shipmentNotFound();
      if (shipment.status === to) throw CxErrors.statusUnchanged(to);
      const at = this.clock.now();
      const updated: unknown[] = await tx.query(
        // Counted over a CTE: a bare UPDATE … RETURNING comes back from TypeORM as [rows, count].
        `WITH u AS (
         UPDATE shipments
            SET status = $3, status_rank = $4, status_changed_at = $5, updated_at = $5, version = version + 1,
                delivered_at = CASE WHEN $3 = 'delivered' THEN $5 ELSE delivered_at END,
                return_requested_at = CASE WHEN $3 = 'return_requested' THEN $5 ELSE return_requested_at END,
                return_reference = CASE WHEN $3 = 'return_requested' THEN COALESCE(return_reference, 'R' || tracking_number) ELSE return_reference END
          WHERE id = $1 AND version = $2
          RETURNING id)
         SELECT id FROM u`,
        [shipmentId, shipment.version, to, STATUS_RANK[to], at],
      );
      if (updated.length !== 1) throw CxErrors.statusConflict();
      await tx.query(
        `INSERT INTO shipment_status_history (shipment_id, retailer_id, from_status, to_status, tracking_event_id, cause, occurred_at, recorded_at)
         VALUES ($1, $2, $3, $4, NULL, 'override', $5, $5)`,
        [shipmentId, shipment.retailer_id, shipment.status, to, at],
      );
      // No reason text in the event: its payload reaches retailers' webhooks, and `reason` there is a carrier code.
      await tx.query(`INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at) VALUES ($1, $2, $3, $4, $5)`, [
        shipmentId,
        shipment.retailer_id,
        STATUS_EVENT_TYPE[to],
        JSON.stringify({
          shipmentId,
          retailerId: shipment.retailer_id,
          trackingNumber: shipment.tracking_number,
          from: shipment.status,
          to,
          code: null,
          reason: null,
          source: 'override',
          override: true,
          occurredAt: at.toISOString(),
        }),
        at,
      ]);
      await this.audit.record(tx, {
        actor,
        action: 'shipment.status_overridden',
        targetType: 'shipment',
        targetId: shipmentId,
        retailerId: shipment.retailer_id,
        before: { status: shipment.status },
        after: { status: to, reason },
      });
      return { shipmentId, from: shipment.status, to, at: at.toISOString() };
    });
  }
}
