import { milestonesFor } from '../../notifications/planner/milestones';

/** What the planner makes of the journey events that detection and the estimated delivery write. */
describe('milestones of proactive detection and estimated delivery', () => {
  const estimate = { from: '2027-03-05T23:00:00.000Z', to: '2027-03-09T22:59:59.999Z', fromDate: '2027-03-06', toDate: '2027-03-09' };

  it.each([
    ['edd_missed', 'in_transit@x', 'Delayed: the estimated delivery date was missed.'],
    ['scan_gap', 'in_transit@2027-03-01T10:00:00.000000Z', 'Delayed: no carrier scan for longer than the lane allows.'],
    ['customs_hold_overdue', '2027-03-01T10:00:00.000000Z', 'Delayed: held by customs for longer than the lane allows.'],
  ])('tells the consignee of a delay found by %s, once per new estimate, and the retailer', (detector, occurrenceKey, notice) => {
    const [m] = milestonesFor('shipment.delay_detected', { detector, occurrenceKey, to: 'in_transit', estimatedDelivery: estimate });
    // One message per new estimated day, whichever detector found the delay; the message shows that estimate.
    expect(m).toMatchObject({ kind: 'delay', milestone: 'delay_until:2027-03-09', sms: true, critical: false, retailerException: notice });
    expect(m.variables).toEqual({ estimatedDelivery: { from: estimate.from, to: estimate.to } });
    // Without an estimate, the occurrence itself.
    expect(milestonesFor('shipment.delay_detected', { detector, occurrenceKey, to: 'in_transit' })[0].milestone).toBe(`detected:${detector}:${occurrenceKey}`);
  });

  it('tells only the retailer when a return stalls', () => {
    const [m] = milestonesFor('shipment.delay_detected', { detector: 'scan_gap', occurrenceKey: 'k', to: 'return_in_transit' });
    expect(m.kind).toBeUndefined();
    expect(m.retailerException).toMatch(/return/);
  });

  it('reminds of a pickup with its own deadline, and of missing information', () => {
    const [pickup] = milestonesFor('shipment.pickup_expiring', { occurrenceKey: 'k1', to: 'available_for_pickup', pickupBy: '2027-05-27T09:00:00.000Z' });
    expect(pickup).toMatchObject({ kind: 'available_for_pickup', milestone: 'pickup_expiring:k1', variables: { pickupBy: '2027-05-27T09:00:00.000Z' } });
    const [info] = milestonesFor('shipment.information_reminder', { occurrenceKey: 'booking', to: 'in_transit' });
    expect(info).toMatchObject({ kind: 'information_needed', milestone: 'information_reminder:booking' });
    expect(info.retailerException).toBeDefined();
  });

  it('messages a revised estimate only when it slipped (once per new last day, shared with detections) or became today', () => {
    const [slip] = milestonesFor('shipment.edd_revised', { change: 'slipped', to: 'in_transit', estimatedDelivery: estimate });
    expect(slip).toMatchObject({ kind: 'delay', milestone: 'delay_until:2027-03-09', variables: { estimatedDelivery: { from: estimate.from, to: estimate.to } } });
    expect(slip.retailerException).toBeUndefined();
    // "Today" is the out-for-delivery message itself: the same milestone, so it is sent once.
    expect(milestonesFor('shipment.edd_revised', { change: 'today', to: 'out_for_delivery' })).toEqual([
      expect.objectContaining({ kind: 'out_for_delivery', milestone: 'out_for_delivery' }),
    ]);
    for (const change of ['initial', 'revised']) expect(milestonesFor('shipment.edd_revised', { change, to: 'in_transit', estimatedDelivery: estimate })).toEqual([]);
  });
});
