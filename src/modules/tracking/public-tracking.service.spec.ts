import { milestoneStatus } from './public-tracking.service';

describe('milestoneStatus', () => {
  it.each([
    ['HUB_SCAN', 'delivered', 'in_transit'],
    ['EMB', 'delivered', 'in_transit'],
    ['CUSTOMS_HELD', 'at_customs', 'customs_hold'],
    ['DELIVERED', 'out_for_delivery', 'delivered'],
    ['ARRIVED_DELIVERY_OFFICE', 'customs_hold', 'cleared'],
    ['ARRIVED_DELIVERY_OFFICE', 'collected', 'in_transit'],
  ])('labels a %s scan (arriving at %s) as %s, whatever the shipment reached later', (code, before, expected) => {
    expect(milestoneStatus(code, before)).toBe(expected);
  });

  it.each(['DELAYED', 'DUTIES_PAID', 'DAMAGED', 'NOT_A_CODE'])('gives no status for %s, which marks none', (code) => {
    expect(milestoneStatus(code, 'in_transit')).toBeNull();
  });
});
