import { Branding } from './branding-sanitizer';
import { MessageKind, TemplateVariablesByKind } from './message-kinds';

/**
 * Realistic variables for every kind, at the lengths the SMS budget assumes (retailer name 20 characters,
 * tracking link 36). Each kind lists every variant its strings branch on (optional values present and
 * absent, both payers of duties), so an override that renders against all of them uses only variables
 * that exist. Also used by specs and previews.
 */

export const SAMPLE_BRANDING: Branding = {
  retailerName: 'Nordlicht Outfitters',
  logoUrl: 'https://cdn.example/nordlicht/logo.png',
  primaryColor: '#0b5d4b',
  supportEmail: 'help@nordlicht.example',
  supportPhone: '+49 30 1234 5678',
};

const base = {
  trackingNumber: 'PSG123456789AB',
  trackingUrl: 'https://trk.example/t/PSG123456789AB',
  consigneeName: 'Alex',
  unsubscribeUrl: 'https://trk.example/u/5f2c9a1e',
};
const noName = { ...base, consigneeName: null, unsubscribeUrl: null };
const range = { from: '2026-08-13T22:00:00Z', to: '2026-08-15T22:00:00Z' };
const deadline = '2026-08-20T21:59:00Z';

export const SAMPLE_VARIABLES: { [K in MessageKind]: TemplateVariablesByKind[K][] } = {
  booked: [{ ...base, estimatedDelivery: range }],
  collected: [{ ...base, estimatedDelivery: range }],
  in_transit: [{ ...base, estimatedDelivery: range }],
  arrived_destination: [{ ...base, destinationCountry: 'DE', estimatedDelivery: range }],
  customs_hold_documents: [
    { ...base, requiredDocuments: ['commercial_invoice', 'tax_id'], supplyUrl: 'https://trk.example/d/PSG123456789AB', supplyBy: deadline },
  ],
  customs_hold_duties: [
    {
      ...base,
      payer: 'consignee',
      amountDue: { amountMinor: 123450, currency: 'EUR' },
      paymentUrl: 'https://trk.example/p/PSG123456789AB',
      payBy: deadline,
    },
    { ...noName, payer: 'retailer', amountDue: { amountMinor: 123450, currency: 'EUR' } },
  ],
  customs_cleared: [{ ...base, estimatedDelivery: range }],
  out_for_delivery: [
    { ...base, deliveryWindow: { from: '2026-08-14T08:00:00Z', to: '2026-08-14T10:00:00Z' } },
    { ...noName, deliveryWindow: null },
  ],
  delivery_attempted: [
    { ...base, nextAttemptDate: '2026-08-15T07:00:00Z', rescheduleUrl: 'https://trk.example/r/PSG123456789AB' },
    { ...noName, nextAttemptDate: null, rescheduleUrl: 'https://trk.example/r/PSG123456789AB' },
  ],
  available_for_pickup: [
    { ...base, pickupPointName: 'Kiosk am Markt Nord', pickupPointAddress: 'Marktstraße 12, 10115 Berlin', pickupBy: deadline },
  ],
  delivered: [
    { ...base, deliveredAt: '2026-08-14T09:42:00Z', surveyUrl: 'https://trk.example/s/PSG123456789AB' },
    { ...noName, deliveredAt: '2026-08-14T09:42:00Z', surveyUrl: null },
  ],
  delay: [{ ...base, estimatedDelivery: range }],
  return_requested: [{ ...base, returnBy: deadline, returnInstructionsUrl: 'https://trk.example/rl/PSG123456789AB' }],
  return_received: [{ ...base, receivedAt: '2026-08-18T13:05:00Z' }],
  information_needed: [
    { ...base, requestedInformation: ['tax_id'], provideUrl: 'https://trk.example/i/PSG123456789AB', provideBy: deadline },
  ],
  issue_resolved: [{ ...base, estimatedDelivery: range }, { ...noName, estimatedDelivery: null }],
  retailer_exception: [
    {
      trackingNumber: 'PSG123456789AB',
      trackingUrl: 'https://trk.example/t/PSG123456789AB',
      orderReference: 'NL-100245',
      exceptionSummary: 'customs in Brazil is holding the parcel because the consignee CPF is missing.',
      requiredAction: 'ask the consignee for their CPF, or cancel the order and request a return.',
      actionUrl: 'https://app.passage.example/shipments/PSG123456789AB',
      respondBy: deadline,
      unsubscribeUrl: null,
    },
    {
      trackingNumber: 'PSG123456789AB',
      trackingUrl: 'https://trk.example/t/PSG123456789AB',
      orderReference: 'NL-100245',
      exceptionSummary: 'the consignee refused the parcel.',
      requiredAction: 'decide whether to return it or dispose of it.',
      actionUrl: 'https://app.passage.example/shipments/PSG123456789AB',
    },
  ],
};
