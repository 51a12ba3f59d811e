import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Prometheus metrics: one registry per app instance, so tests can boot several apps in one process. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'passage_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly trackingEvents = new Counter({
    name: 'passage_tracking_events_total',
    help: 'Carrier scan events received, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly scanWriteRequests = new Histogram({
    name: 'passage_scan_write_requests',
    help: 'Scan requests written together in one journey write (concurrent requests are grouped)',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  });

  readonly transitions = new Counter({
    name: 'passage_journey_transitions_total',
    help: 'Shipment status transitions, by status reached',
    labelNames: ['to'] as const,
    registers: [this.registry],
  });

  readonly journeyRetries = new Counter({
    name: 'passage_journey_write_retries_total',
    help: 'Journey write rounds done again: shipments changed since they were read (counted per shipment), an event stored meanwhile, or a transient database error',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly shipmentsBooked = new Counter({
    name: 'passage_shipments_booked_total',
    help: 'Shipments booked',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'passage_' });
  }
}
