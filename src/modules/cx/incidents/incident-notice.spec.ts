import { milestonesFor, withMilestoneOverrides } from '../../notifications/planner/milestones';
import { renderEmail, renderSms } from '../../notifications/templates';

const notice = (overrides: object = {}) => ({
  to: 'in_transit' as const,
  incident: { id: 'i-1', kind: 'weather', messages: { de: 'Ein Sturm {{hält}} Ihr Paket auf.' }, estimatedDelivery: { from: '2026-11-27T10:00:00Z', to: '2026-11-28T10:00:00Z' }, notifyConsignee: true, ...overrides },
});
const base = { trackingNumber: 'PSG7K2M9Q4X8B1R5T', trackingUrl: 'https://passage.test/v1/track/PSG7K2M9Q4X8B1R5T' };

describe('incident notices in the planner', () => {
  it('tells the consignee once per incident as a delay, with the retailer’s notice only where the incident put it', () => {
    const [declared] = milestonesFor('shipment.incident_declared', notice({ retailerNotice: 'Incident: snow' }));
    expect(declared).toMatchObject({ kind: 'delay', milestone: 'incident:i-1', sms: true, critical: false, retailerException: 'Incident: snow' });
    const [quiet] = milestonesFor('shipment.incident_declared', notice({ notifyConsignee: false }));
    expect(quiet.kind).toBeUndefined();
    expect(quiet.retailerException).toBeUndefined();
    const [resolved] = milestonesFor('shipment.incident_resolved', notice());
    expect(resolved).toMatchObject({ kind: 'in_transit', milestone: 'incident:i-1:resolved', sms: false });
    expect(milestonesFor('shipment.incident_declared', { to: 'in_transit' })).toEqual([]);
  });

  it("renders the agent's words, as typed, in their locale and the catalog's message in the others", () => {
    const [m] = milestonesFor('shipment.incident_declared', notice());
    const overrides = withMilestoneOverrides({ de: { delay: { subject: 'Verspätet: {{trackingNumber}}' } } }, m.overrides);
    const variables = { ...base, estimatedDelivery: { from: new Date(), to: new Date() }, ...m.variables } as never;
    const input = { kind: 'delay' as const, timeZone: 'Europe/Berlin', variables, branding: { retailerName: 'Acme' }, overrides };
    const german = renderSms({ ...input, locale: ['de-DE'], stopInstructions: false });
    expect(german.body).toContain('Acme: Ein Sturm {{hält}} Ihr Paket auf.');
    const germanEmail = renderEmail({ ...input, locale: ['de-DE'] });
    expect(germanEmail.subject).toBe('Verspätet: PSG7K2M9Q4X8B1R5T'); // the retailer's own override stays
    expect(germanEmail.text).toContain('Ein Sturm {{hält}} Ihr Paket auf.');
    const french = renderEmail({ ...input, locale: ['fr-FR'] });
    expect(french.text).not.toContain('Sturm');
    expect(french.locale).toBe('fr');
  });

  it('leaves the retailer’s overrides alone when a milestone brings none', () => {
    const own = { en: { delay: { sms: 'x' } } };
    expect(withMilestoneOverrides(own, undefined)).toBe(own);
    expect(withMilestoneOverrides(undefined, { en: { delay: { sms: 'y' } } })).toEqual({ en: { delay: { sms: 'y' } } });
  });
});
