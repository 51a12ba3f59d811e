import { JourneyStatus } from '../../shipments/journey';
import { ExceptionAction, exceptionActions, mayAct } from './exception-rules';
import { EXCEPTION_TYPES } from './exception-types';

const now = (status: JourneyStatus, complianceStatus: string | null = 'ok') => ({ status, complianceStatus });
const opens = (actions: ExceptionAction[]) => actions.filter((a) => a.kind === 'open').map((a) => (a.kind === 'open' ? [a.type, a.severity ?? 'default'] : []));
const resolves = (actions: ExceptionAction[]) => actions.flatMap((a) => (a.kind === 'resolve' ? a.types : []));

describe('exceptionActions', () => {
  it.each([
    ['shipment.customs_held', { from: 'at_customs', to: 'customs_hold', reason: 'DUTIES_DUE' }, 'customs_hold', [['customs_hold', 'high']]],
    ['shipment.customs_held', { from: 'at_customs', to: 'customs_hold', reason: 'DOCUMENTS_REQUIRED' }, 'customs_hold', [['customs_hold', 'high']]],
    ['shipment.customs_held', { from: 'at_customs', to: 'customs_hold', reason: 'INSPECTION' }, 'customs_hold', [['customs_hold', 'medium']]],
    ['shipment.delivery_attempted', { to: 'delivery_attempted', reason: 'NO_ONE_HOME' }, 'delivery_attempted', [['failed_attempt', 'default']]],
    ['shipment.delivery_attempted', { to: 'delivery_attempted', reason: 'ADDRESS_ISSUE' }, 'delivery_attempted', [['address_issue', 'default']]],
    ['shipment.damaged', { from: 'in_transit', to: 'in_transit' }, 'in_transit', [['damaged', 'default']]],
    ['shipment.lost', { from: 'in_transit', to: 'lost' }, 'lost', [['lost', 'default']]],
    ['shipment.delayed', { from: 'in_transit', to: 'in_transit', reason: 'WEATHER' }, 'in_transit', [['delay', 'default']]],
  ] as const)('opens for %s %j', (type, payload, status, expected) => {
    expect(opens(exceptionActions({ type, payload }, now(status)))).toEqual(expected);
  });

  it('opens needs_information from a booking whose verdict needs information, while it still does', () => {
    const booked = { type: 'shipment.booked', payload: { to: 'booked', compliance: { status: 'needs_information' } } };
    expect(opens(exceptionActions(booked, now('booked', 'needs_information')))).toEqual([['needs_information', 'default']]);
    expect(opens(exceptionActions(booked, now('booked', 'ok')))).toEqual([]);
    expect(opens(exceptionActions({ type: 'shipment.booked', payload: { to: 'booked', compliance: { status: 'ok' } } }, now('booked')))).toEqual([]);
  });

  it('opens nothing the shipment has already moved past by the time the event is read', () => {
    expect(opens(exceptionActions({ type: 'shipment.customs_held', payload: { to: 'customs_hold', reason: 'DUTIES_DUE' } }, now('cleared')))).toEqual([]);
    expect(opens(exceptionActions({ type: 'shipment.delivery_attempted', payload: { to: 'delivery_attempted' } }, now('delivered')))).toEqual([]);
    expect(opens(exceptionActions({ type: 'shipment.delayed', payload: { to: 'in_transit' } }, now('delivered')))).toEqual([]);
    expect(opens(exceptionActions({ type: 'shipment.damaged', payload: {} }, now('returned')))).toEqual([]);
  });

  it('still opens a failed attempt while the parcel is back out for delivery', () => {
    expect(opens(exceptionActions({ type: 'shipment.delivery_attempted', payload: { to: 'delivery_attempted' } }, now('out_for_delivery')))).toEqual([['failed_attempt', 'default']]);
  });

  it.each([
    ['shipment.customs_cleared', { from: 'customs_hold', to: 'cleared' }, ['customs_hold']],
    ['shipment.in_transit', { from: 'customs_hold', to: 'in_transit' }, ['customs_hold']],
    ['shipment.out_for_delivery', { from: 'cleared', to: 'out_for_delivery' }, ['customs_hold']],
    ['shipment.delivered', { from: 'out_for_delivery', to: 'delivered' }, ['customs_hold', 'failed_attempt', 'address_issue', 'delay', 'pickup_expiring']],
    ['shipment.in_transit', { from: 'collected', to: 'in_transit' }, []],
    ['shipment.customs_held', { from: 'at_customs', to: 'customs_hold' }, []],
  ] as const)('resolves on %s %j', (type, payload, expected) => {
    expect(resolves(exceptionActions({ type, payload }, now(payload.to)))).toEqual(expected);
  });

  it.each(['returned', 'cancelled'] as const)('resolves every type when the shipment is %s', (to) => {
    expect(resolves(exceptionActions({ type: `shipment.${to}`, payload: { to } }, now(to)))).toEqual([...EXCEPTION_TYPES]);
  });

  it('resolves needs_information only when the corrected details satisfy the verdict', () => {
    expect(resolves(exceptionActions({ type: 'shipment.consignee_updated', payload: { compliance: { from: 'needs_information', to: 'ok' } } }, now('booked')))).toEqual(['needs_information']);
    expect(resolves(exceptionActions({ type: 'shipment.consignee_updated', payload: { compliance: { from: 'needs_information', to: 'needs_information' } } }, now('booked')))).toEqual([]);
  });

  it('ignores event types it has no rule for', () => {
    expect(mayAct('shipment.delay_detected')).toBe(false);
    expect(mayAct('shipment.exception_resolved')).toBe(false);
    expect(exceptionActions({ type: 'shipment.exception_resolved', payload: { from: 'in_transit', to: 'in_transit' } }, now('in_transit'))).toEqual([]);
  });
});
