import { milestonesFor } from './milestones';

describe('milestonesFor shipment.exception_resolved', () => {
  const resolved = (resolution?: number) => ({ from: 'in_transit' as const, to: 'in_transit' as const, exceptionId: 'e1', exceptionType: 'address_issue', resolutionCode: 'address_corrected', ...(resolution ? { resolution } : {}) });

  it('tells the consignee the issue is resolved, by email and SMS, within quiet hours', () => {
    expect(milestonesFor('shipment.exception_resolved', resolved(1))).toEqual([
      { kind: 'issue_resolved', milestone: 'exception_resolved:e1:1', rank: expect.any(Number), sms: true, critical: false },
    ]);
  });

  it('gives each resolution of an exception its own dedupe subject, and a replay the same one', () => {
    const first = milestonesFor('shipment.exception_resolved', resolved(1))[0].milestone;
    expect(milestonesFor('shipment.exception_resolved', resolved(1))[0].milestone).toBe(first);
    expect(milestonesFor('shipment.exception_resolved', resolved(2))[0].milestone).toBe('exception_resolved:e1:2');
    // Events written before resolutions were counted are the first resolution.
    expect(milestonesFor('shipment.exception_resolved', resolved())[0].milestone).toBe(first);
  });

  it('plans nothing for an event that names no exception', () => {
    expect(milestonesFor('shipment.exception_resolved', { to: 'in_transit' })).toEqual([]);
  });
});
