import { DELAY_DETECTED, INFORMATION_REMINDER, PICKUP_EXPIRING } from '../../cx/detection/detectors';
import { EDD_REVISED } from '../../cx/edd/edd.service';
import { INCIDENT_DECLARED } from '../../cx/incidents/incidents.service';
import { CX_EVENT_TYPES, JOURNEY_STATUSES, STATUS_EVENT_TYPE } from '../../shipments/journey';
import { webhookEventBody, webhookEventData, webhookPingBody } from './webhook-event';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types';

describe('webhookEventBody', () => {
  const event = {
    id: 'evt_1042_6f1c2d9e',
    type: 'shipment.delivered',
    sequence: 7,
    occurredAt: '2026-11-24T13:00:00+01:00',
    shipment: { id: '6f1c2d9e-5b7a-4a0e-9c51-2b8f3e7d4a10', reference: 'ORDER-1', trackingNumber: 'PSG7K2M9Q4X8B1R5T', status: 'delivered' },
    data: { from: 'out_for_delivery', to: 'delivered', code: 'DELIVERED', reason: null },
  };

  it('builds the documented envelope, with the instant in UTC', () => {
    expect(JSON.parse(webhookEventBody(event))).toEqual({
      id: 'evt_1042_6f1c2d9e',
      type: 'shipment.delivered',
      createdAt: '2026-11-24T12:00:00.000Z',
      sequence: 7,
      data: {
        from: 'out_for_delivery',
        to: 'delivered',
        code: 'DELIVERED',
        reason: null,
        shipment: { id: event.shipment.id, reference: 'ORDER-1', trackingNumber: 'PSG7K2M9Q4X8B1R5T', status: 'delivered' },
      },
    });
  });

  it('never carries consignee personal data, even when handed a whole shipment row', () => {
    const row = {
      ...event.shipment,
      destinationCountry: 'DE',
      consignee: { name: 'Erika Mustermann', email: 'erika@example.com', phone: '+4915123456789', address: { lines: ['Invalidenstraße 116'], city: 'Berlin' } },
    };
    const body = webhookEventBody({ ...event, shipment: row });
    for (const pii of ['Erika', 'erika@example.com', '+4915123456789', 'Invalidenstraße', 'consignee']) expect(body).not.toContain(pii);
    expect(JSON.parse(body).data.shipment).toEqual({ ...event.shipment, destinationCountry: 'DE' });
  });

  it('keeps the shipment summary when event data tries to replace it', () => {
    const body = JSON.parse(webhookEventBody({ ...event, data: { shipment: { consignee: 'x' } } }));
    expect(body.data.shipment).toEqual(event.shipment);
  });

  it('sends a ping in the same envelope', () => {
    expect(JSON.parse(webhookPingBody({ id: 'ping_1', endpointId: 'e1', at: new Date('2026-11-24T12:00:00Z') }))).toEqual({
      id: 'ping_1',
      type: 'ping',
      createdAt: '2026-11-24T12:00:00.000Z',
      sequence: 0,
      data: { endpointId: 'e1' },
    });
  });
});

describe('WEBHOOK_EVENT_TYPES', () => {
  it('lists the event type of every journey status, the notable events, the consignee correction and *', () => {
    for (const status of JOURNEY_STATUSES) expect(WEBHOOK_EVENT_TYPES).toContain(STATUS_EVENT_TYPE[status]);
    expect(WEBHOOK_EVENT_TYPES).toEqual(expect.arrayContaining(['shipment.booked', 'shipment.delivered', 'shipment.delayed', 'shipment.consignee_updated', '*']));
    expect(new Set(WEBHOOK_EVENT_TYPES).size).toBe(WEBHOOK_EVENT_TYPES.length);
    for (const type of WEBHOOK_EVENT_TYPES) expect(type).toMatch(/^(shipment\.[a-z_]+|\*)$/);
  });

  it('lists the CX desk\'s journey events by the names their writers use, so they can be subscribed to one by one', () => {
    for (const type of [DELAY_DETECTED, EDD_REVISED, PICKUP_EXPIRING, INFORMATION_REMINDER, INCIDENT_DECLARED]) expect(CX_EVENT_TYPES).toContain(type);
    expect(WEBHOOK_EVENT_TYPES).toEqual(expect.arrayContaining([...CX_EVENT_TYPES]));
    expect(CX_EVENT_TYPES).toEqual(expect.arrayContaining(['shipment.incident_resolved', 'shipment.exception_resolved']));
  });
});

describe('webhookEventData', () => {
  it('carries what a receiver acts on for CX events, and never an agent\'s note or an incident\'s words', () => {
    const resolved = webhookEventData('shipment.exception_resolved', {
      from: 'in_transit',
      to: 'in_transit',
      exceptionId: 'e1',
      exceptionType: 'address_issue',
      resolutionCode: 'address_corrected',
      note: 'Called Erika Mustermann',
    });
    expect(resolved).toEqual({ from: 'in_transit', to: 'in_transit', code: null, reason: null, exception: { id: 'e1', type: 'address_issue', resolutionCode: 'address_corrected' } });
    const incident = webhookEventData('shipment.incident_declared', {
      to: 'in_transit',
      reason: 'flight_cancelled',
      incident: { id: 'i1', kind: 'flight_cancelled', messages: { en: 'A storm grounded the flight' }, estimatedDelivery: { from: '2026-12-03T00:00:00.000Z', to: '2026-12-05T00:00:00.000Z' }, retailerNotice: 'x' },
    });
    expect(incident).toEqual({
      from: null,
      to: 'in_transit',
      code: null,
      reason: 'flight_cancelled',
      incident: { id: 'i1', kind: 'flight_cancelled', estimatedDelivery: { from: '2026-12-03T00:00:00.000Z', to: '2026-12-05T00:00:00.000Z' } },
    });
    expect(webhookEventData('shipment.delay_detected', { to: 'in_transit', detector: 'scan_gap', details: { facility: 'FRA' } })).toEqual({
      from: null,
      to: 'in_transit',
      code: null,
      reason: null,
      detector: 'scan_gap',
      estimatedDelivery: null,
    });
  });

  it('keeps the move and the duties for other events', () => {
    const duties = { amountDue: { amountMinor: 1250, currency: 'EUR' }, payer: 'consignee' };
    expect(webhookEventData('shipment.customs_held', { from: 'at_customs', to: 'customs_hold', code: 'CUSTOMS_HELD', reason: 'DUTIES_DUE', duties })).toEqual({
      from: 'at_customs',
      to: 'customs_hold',
      code: 'CUSTOMS_HELD',
      reason: 'DUTIES_DUE',
      duties,
    });
  });
});
