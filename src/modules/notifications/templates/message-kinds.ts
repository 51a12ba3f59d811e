/**
 * What each message kind says and the variables its strings may use. The types are the contract between
 * the planner (which fills `variables` into the outbox payload) and the locale catalogs, whose strings are
 * compiled in strict mode: a variable a string uses but the planner did not supply is a render error.
 */

export const MESSAGE_KINDS = [
  'booked',
  'collected',
  'in_transit',
  'arrived_destination',
  'customs_hold_documents',
  'customs_hold_duties',
  'customs_cleared',
  'out_for_delivery',
  'delivery_attempted',
  'available_for_pickup',
  'delivered',
  'delay',
  'return_requested',
  'return_received',
  'information_needed',
  'issue_resolved',
  'retailer_exception',
] as const;

export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Kinds sent to the consignee. `retailer_exception` goes to the retailer, by email only. */
export type ConsigneeMessageKind = Exclude<MessageKind, 'retailer_exception'>;
export type SmsMessageKind = ConsigneeMessageKind;

export const SMS_MESSAGE_KINDS: readonly SmsMessageKind[] = MESSAGE_KINDS.filter(
  (k): k is SmsMessageKind => k !== 'retailer_exception',
);

/** An instant: a Date, or an ISO 8601 string with an offset (as it comes back from a jsonb payload). */
export type Instant = Date | string;

export interface DateRange {
  from: Instant;
  to: Instant;
}

/** Money as stored everywhere in Passage: integer minor units plus an ISO 4217 currency. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** Documents and details customs or the carrier may ask the consignee for; each locale names them. */
export const REQUIRED_ITEMS = [
  'commercial_invoice',
  'proof_of_payment',
  'tax_id',
  'id_document',
  'product_description',
  'address_details',
  'phone_number',
] as const;
export type RequiredItem = (typeof REQUIRED_ITEMS)[number];

/** Every consignee message can carry these. */
export interface ConsigneeBaseVariables {
  trackingNumber: string;
  /** Public tracking page (http or https; anything else is dropped). */
  trackingUrl: string;
  consigneeName?: string | null;
  /** Shown in the email footer when present. */
  unsubscribeUrl?: string | null;
}

export type CustomsDutiesVariables = ConsigneeBaseVariables &
  (
    | { payer: 'consignee'; amountDue: Money; paymentUrl: string; payBy: Instant }
    /** DDP: the retailer pays; the consignee is only told that nothing is asked of them. */
    | { payer: 'retailer'; amountDue: Money }
  );

export interface TemplateVariablesByKind {
  booked: ConsigneeBaseVariables & { estimatedDelivery: DateRange };
  collected: ConsigneeBaseVariables & { estimatedDelivery: DateRange };
  in_transit: ConsigneeBaseVariables & { estimatedDelivery: DateRange };
  /** ISO 3166-1 alpha-2; the name is localised with Intl.DisplayNames. */
  arrived_destination: ConsigneeBaseVariables & { destinationCountry: string; estimatedDelivery: DateRange };
  customs_hold_documents: ConsigneeBaseVariables & { requiredDocuments: RequiredItem[]; supplyUrl: string; supplyBy: Instant };
  customs_hold_duties: CustomsDutiesVariables;
  customs_cleared: ConsigneeBaseVariables & { estimatedDelivery: DateRange };
  out_for_delivery: ConsigneeBaseVariables & { deliveryWindow?: DateRange | null };
  delivery_attempted: ConsigneeBaseVariables & { nextAttemptDate?: Instant | null; rescheduleUrl: string };
  available_for_pickup: ConsigneeBaseVariables & { pickupPointName: string; pickupPointAddress: string; pickupBy: Instant };
  delivered: ConsigneeBaseVariables & { deliveredAt: Instant; surveyUrl?: string | null };
  delay: ConsigneeBaseVariables & { estimatedDelivery: DateRange };
  return_requested: ConsigneeBaseVariables & { returnBy: Instant; returnInstructionsUrl: string };
  return_received: ConsigneeBaseVariables & { receivedAt: Instant };
  information_needed: ConsigneeBaseVariables & { requestedInformation: RequiredItem[]; provideUrl: string; provideBy: Instant };
  /** A problem the CX desk resolved (and chose to tell the consignee about); the estimate while the parcel is still on its way. */
  issue_resolved: ConsigneeBaseVariables & { estimatedDelivery?: DateRange | null };
  retailer_exception: {
    trackingNumber: string;
    trackingUrl: string;
    orderReference: string;
    /** Written by Passage (CX desk or detection), in English. */
    exceptionSummary: string;
    requiredAction: string;
    /** The shipment in the retailer's dashboard. */
    actionUrl: string;
    respondBy?: Instant | null;
    unsubscribeUrl?: string | null;
  };
}

export type TemplateVariables<K extends MessageKind = MessageKind> = TemplateVariablesByKind[K];

/**
 * The link a kind's call to action points at, when it is not the tracking page. Null (no survey, DDP
 * duties, or a URL dropped as unsafe) falls back to tracking with the generic "track" label.
 */
export const ACTION_URL: { [K in MessageKind]?: (v: TemplateVariablesByKind[K]) => string | null | undefined } = {
  customs_hold_documents: (v) => v.supplyUrl,
  customs_hold_duties: (v) => (v.payer === 'consignee' ? v.paymentUrl : null),
  delivery_attempted: (v) => v.rescheduleUrl,
  delivered: (v) => v.surveyUrl,
  return_requested: (v) => v.returnInstructionsUrl,
  information_needed: (v) => v.provideUrl,
  retailer_exception: (v) => v.actionUrl,
};

/** Variables that hold URLs: each is checked (http or https) before any string sees it. */
export const URL_VARIABLES = [
  'trackingUrl',
  'unsubscribeUrl',
  'supplyUrl',
  'paymentUrl',
  'rescheduleUrl',
  'surveyUrl',
  'returnInstructionsUrl',
  'provideUrl',
  'actionUrl',
] as const;
