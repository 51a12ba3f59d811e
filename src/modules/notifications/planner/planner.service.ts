import { Inject, Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { Clock } from '../../../common/clock/clock';
import { ComplianceService, isoDay, toComplianceInput } from '../../country-rules/compliance/compliance.service';
import { resolveRuleSet } from '../../country-rules/evaluate/resolve-rule-set';
import { OUTBOUND_OPEN_STATUSES } from '../../shipments/journey';
import type { Messaging, Lane } from '../../country-rules/rule-set/rule-set-content';
import { RulesCache, RulesSnapshot } from '../../country-rules/rules-cache';
import { WebhookEndpointsService, webhookEventBody } from '../webhooks/webhook-endpoints.service';
import { webhookEventData } from '../webhooks/webhook-event';
import { ConsigneeMessageKind, MessageKind, RequiredItem, TemplateVariables, renderEmail, renderSms } from '../templates';
import { RETRY_POLICY } from '../dispatch/retry-policy';
import { contactHash } from './contact-hash';
import { Milestone, milestonesFor, withMilestoneOverrides } from './milestones';
import { DEFAULT_SMS_DAILY_CAP } from './notification-settings';
import { PlannedRow, PlannerRepository, PlanningShipment, Supersession, UnplannedEvent } from './planner.repository';
import { quietUntil } from './quiet-hours';
import { linkSigningKey } from './link-signing-key';
import { unsubscribeToken } from './unsubscribe-token';
import { recordIssuedSurvey, surveyUrl } from '../../cx/surveys/survey-links';

export interface PlanSummary {
  events: number;
  planned: number;
  skipped: Record<string, number>;
  duplicates: number;
  superseded: number;
  deferred: number;
}

const DAY = 86_400_000;
/** Where a field a verdict asks for is named to the consignee. */
const REQUESTED: Record<string, RequiredItem> = {
  'consignee.taxId': 'tax_id',
  'consignee.phone': 'phone_number',
  'consignee.email': 'address_details',
  'consignee.address': 'address_details',
};

/**
 * Decides what to send (Novu's "decide, then send"): reads journey events after their transition has
 * committed, and writes for each one, in one transaction, the outbox rows it owes (consignee email and SMS,
 * retailer exception emails, retailer webhooks) or marks them skipped with the reason. The dedupe key
 * `(shipment, milestone, channel, recipient)` is unique in the database, so a replayed event plans nothing
 * twice. Quiet hours defer an SMS to the window's end in the consignee's zone; a later milestone supersedes
 * a message still waiting; the SMS cap counts per consignee-local day.
 */
@Injectable()
export class PlannerService {
  private readonly logger = new Logger(PlannerService.name);

  constructor(
    private readonly db: DataSource,
    private readonly repository: PlannerRepository,
    private readonly rules: RulesCache,
    private readonly compliance: ComplianceService,
    private readonly webhooks: WebhookEndpointsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async planOnce(limit = 200): Promise<PlanSummary> {
    // The rules first, outside the transaction: a cache refresh needs a connection of its own, and with a pool
    // of one (the embedded database) it would wait for the very connection this transaction holds.
    const snapshot = await this.rules.get();
    return this.db.transaction(async (tx) => {
      const summary: PlanSummary = { events: 0, planned: 0, skipped: {}, duplicates: 0, superseded: 0, deferred: 0 };
      const events = await this.repository.claimEvents(tx, limit);
      summary.events = events.length;
      if (events.length === 0) return summary;

      const now = this.clock.now();
      const shipments = new Map((await this.repository.loadShipments(tx, [...new Set(events.map((e) => e.shipment_id))])).map((s) => [s.id, s]));
      const hashes = [...shipments.values()].flatMap((s) => [
        ...(s.consignee.email ? [contactHash('email', s.consignee.email)] : []),
        ...(s.consignee.phone ? [contactHash('sms', s.consignee.phone)] : []),
      ]);
      const optOuts = await this.repository.optOuts(tx, hashes);
      const smsCounts = await this.repository.smsCounts(tx, [...shipments.keys()]);

      const rows: PlannedRow[] = [];
      const supersessions: Supersession[] = [];
      for (const event of events) {
        const shipment = shipments.get(event.shipment_id);
        if (!shipment) continue;
        const messaging = resolveRuleSet(snapshot.catalog, shipment.destination_country, isoDay(event.occurred_at))?.content;
        const context = new EventContext(event, shipment, messaging?.messaging, messaging?.delivery?.lanes ?? [], this.config, now);
        for (const milestone of milestonesFor(event.type, event.payload)) {
          if (milestone.kind) {
            const extra = await this.customsAmounts(tx, event, shipment, milestone, snapshot);
            // The delivered message carries a survey link; the survey exists once a message with it will go out.
            if (milestone.kind === 'delivered') extra.surveyUrl = surveyUrl(this.config, shipment.id);
            const planned = this.consigneeRows(context, milestone, extra, optOuts, smsCounts, supersessions, rows);
            rows.push(...planned);
            if (extra.surveyUrl && planned.some((r) => r.status === 'pending')) {
              await recordIssuedSurvey(tx, this.config, { shipmentId: shipment.id, retailerId: shipment.retailer_id, at: now });
            }
          }
          if (milestone.retailerException) rows.push(...this.retailerRows(context, milestone));
        }
        rows.push(...(await this.webhookRows(tx, event, shipment)));
      }

      // Supersede what already waits in the outbox; rows planned in this batch were superseded in memory.
      summary.superseded = await this.repository.supersede(tx, supersessions);
      const inserted = await this.repository.insert(tx, rows);
      await this.repository.markPlanned(tx, events.map((e) => e.id), now);
      for (const row of rows) {
        if (!inserted.has(row.dedupeKey)) summary.duplicates += 1;
        else if (row.status === 'skipped') summary.skipped[row.skipReason!] = (summary.skipped[row.skipReason!] ?? 0) + 1;
        else {
          summary.planned += 1;
          if (row.deferredReason) summary.deferred += 1;
        }
      }
      return summary;
    });
  }

  /** The consignee's email and SMS for one milestone, each pending, deferred or skipped with its reason. */
  private consigneeRows(
    ctx: EventContext,
    milestone: Milestone,
    extra: Partial<Record<string, unknown>>,
    optOuts: Set<string>,
    smsCounts: Map<string, number>,
    supersessions: Supersession[],
    batch: PlannedRow[],
  ): PlannedRow[] {
    const kind = milestone.kind!;
    const { shipment } = ctx;
    const out: PlannedRow[] = [];
    const settings = shipment.settings;
    const locales = ctx.locales();
    const variables = { ...ctx.variables(kind, extra), ...milestone.variables } as TemplateVariables<ConsigneeMessageKind>;
    const overrides = withMilestoneOverrides(settings?.template_overrides, milestone.overrides);
    const branding = ctx.branding();
    const optedOut = (channel: 'email' | 'sms', contact: string) => {
      const hash = contactHash(channel, contact);
      return optOuts.has(`${shipment.retailer_id}|${channel}|${hash}|`) || optOuts.has(`${shipment.retailer_id}|${channel}|${hash}|${shipment.id}`);
    };

    // Set when the retailer turned this kind's email off: an SMS that cannot be delivered then falls back to it.
    let emailTurnedOff: string | undefined;
    for (const channel of ['email', 'sms'] as const) {
      const recipient = channel === 'email' ? shipment.consignee.email : shipment.consignee.phone;
      if (!recipient) continue;
      const enabled = settings?.channels?.[kind]?.[channel] ?? (channel === 'email' ? true : milestone.sms);
      const dedupeKey = `${shipment.id}:${milestone.milestone}:${channel}:${recipient}`;
      const base = ctx.row(channel, recipient, kind, dedupeKey, milestone, 'consignee');

      // Whatever happens to this message, older news still waiting on this channel is moot.
      supersessions.push({ shipmentId: shipment.id, channel, recipient, rank: milestone.rank });
      for (const earlier of batch) {
        if (earlier.shipmentId === shipment.id && earlier.channel === channel && earlier.recipient === recipient && earlier.audience === 'consignee' && earlier.status === 'pending' && earlier.milestoneRank < milestone.rank) {
          earlier.status = 'skipped';
          earlier.skipReason = 'superseded';
        }
      }

      const skip = (reason: string): PlannedRow => ({ ...base, status: 'skipped', skipReason: reason, payload: { kind } });
      if (!enabled) {
        out.push(skip('channel_disabled'));
        if (channel === 'email') emailTurnedOff = recipient;
        continue;
      }
      if (!shipment.notify[channel]) {
        out.push(skip('no_consent'));
        continue;
      }
      if (optedOut(channel, recipient)) {
        out.push(skip('opted_out'));
        continue;
      }
      const emailTo = (to: string) => {
        const email = renderEmail({ kind, locale: locales, timeZone: ctx.timeZone, variables: { ...variables, unsubscribeUrl: ctx.unsubscribeUrl('email', to) } as TemplateVariables<typeof kind>, branding, overrides });
        return {
          locale: email.locale,
          payload: { kind, subject: email.subject, html: email.html, text: email.text, replyTo: settings?.branding?.replyTo ?? settings?.branding?.supportEmail, headers: ctx.unsubscribeHeaders(to) },
        };
      };
      if (channel === 'email') {
        const email = emailTo(recipient);
        out.push({ ...base, locale: email.locale, payload: email.payload });
        continue;
      }

      // SMS: the cap per consignee-local day, then quiet hours in the consignee's zone.
      let due = ctx.now;
      let deferredReason: string | null = null;
      if (!milestone.critical) {
        const until = quietUntil(ctx.now, ctx.timeZone, ctx.quietHours());
        if (until.getTime() > ctx.now.getTime()) {
          due = until;
          deferredReason = 'quiet_hours';
        }
      }
      const localDay = DateTime.fromJSDate(due, { zone: ctx.timeZone }).toISODate()!;
      const capKey = `${shipment.id}|${localDay}`;
      const cap = settings?.sms_daily_cap ?? DEFAULT_SMS_DAILY_CAP;
      if (!milestone.critical && (smsCounts.get(capKey) ?? 0) >= cap) {
        out.push({ ...skip('frequency_cap'), localDay });
        continue;
      }
      smsCounts.set(capKey, (smsCounts.get(capKey) ?? 0) + 1);
      const sms = renderSms({ kind, locale: locales, timeZone: ctx.timeZone, variables, branding, stopInstructions: ctx.messaging?.smsStopInstructions ?? true, overrides });
      out.push({
        ...base,
        locale: sms.locale,
        localDay,
        nextAttemptAt: due,
        deferredReason,
        smsEncoding: sms.encoding,
        smsSegments: sms.segments,
        payload: {
          kind,
          body: sms.body,
          statusCallbackUrl: `${this.config.http.publicBaseUrl}/v1/webhooks/twilio/status`,
          ...(emailTurnedOff && shipment.notify.email && !optedOut('email', emailTurnedOff)
            ? { fallback: (({ locale, payload }) => ({ to: emailTurnedOff, locale, email: payload }))(emailTo(emailTurnedOff)) }
            : {}),
        },
      });
    }
    return out;
  }

  /** An exception the retailer must act on, by email, when it gave an address for them. */
  private retailerRows(ctx: EventContext, milestone: Milestone): PlannedRow[] {
    const to = ctx.shipment.settings?.retailer_email;
    if (!to) return [];
    const { shipment } = ctx;
    const email = renderEmail({
      kind: 'retailer_exception',
      locale: ['en'],
      timeZone: 'UTC',
      variables: {
        trackingNumber: shipment.tracking_number,
        trackingUrl: ctx.trackingUrl(),
        orderReference: shipment.reference,
        exceptionSummary: milestone.retailerException!,
        requiredAction: milestone.kind === 'information_needed' ? 'Supply the missing consignee details with PATCH /v1/shipments/{id}/consignee.' : 'Check the shipment and contact the consignee or carrier if needed.',
        actionUrl: `${this.config.http.publicBaseUrl}/v1/shipments/${shipment.id}`,
      },
      branding: { retailerName: 'Passage' },
    });
    const dedupeKey = `${shipment.id}:${milestone.milestone}:retailer-email:${to}`;
    return [{ ...ctx.row('email', to, 'retailer_exception', dedupeKey, milestone, 'retailer'), locale: email.locale, payload: { kind: 'retailer_exception', subject: email.subject, html: email.html, text: email.text } }];
  }

  /** Every journey event goes to each subscribed webhook endpoint, numbered per shipment so receivers can order them. */
  private async webhookRows(tx: EntityManager, event: UnplannedEvent, shipment: PlanningShipment): Promise<PlannedRow[]> {
    const endpoints = await this.webhooks.endpointsFor(tx, shipment.retailer_id, event.type);
    if (endpoints.length === 0) return [];
    const [{ sequence }]: Array<{ sequence: number }> = await tx.query(
      `SELECT count(*)::int AS sequence FROM journey_events WHERE shipment_id = $1 AND id <= $2`,
      [shipment.id, event.id],
    );
    return endpoints.map((endpoint) => {
      const webhookId = `evt_${event.id}_${endpoint.id.slice(0, 8)}`;
      const body = webhookEventBody({
        id: webhookId,
        type: event.type,
        sequence,
        occurredAt: new Date(event.occurred_at).toISOString(),
        shipment: { id: shipment.id, reference: shipment.reference, trackingNumber: shipment.tracking_number, status: shipment.status },
        data: webhookEventData(event.type, event.payload as Record<string, unknown>),
      });
      return {
        retailerId: shipment.retailer_id,
        shipmentId: shipment.id,
        channel: 'webhook' as const,
        recipient: endpoint.id,
        template: event.type,
        dedupeKey: `webhook:${event.id}:${endpoint.id}`,
        status: 'pending' as const,
        skipReason: null,
        payload: { webhookId, body, eventType: event.type, sequence },
        maxAttempts: RETRY_POLICY.webhook.maxAttempts,
        nextAttemptAt: this.clock.now(),
        audience: 'webhook' as const,
        milestone: event.type,
        milestoneRank: 0,
        critical: false,
        locale: null,
        localDay: null,
        journeyEventId: event.id,
        deferredReason: null,
        smsEncoding: null,
        smsSegments: null,
      };
    });
  }

  /**
   * For a customs hold with duties due: what the consignee (DAP) or the retailer (DDP) owes, under the rules
   * in force on the event's date, written into the journey event as well so that every reader sees it.
   */
  private async customsAmounts(tx: EntityManager, event: UnplannedEvent, s: PlanningShipment, milestone: Milestone, rules: RulesSnapshot): Promise<Record<string, unknown>> {
    if (milestone.kind !== 'customs_hold_duties') return {};
    const verdict = await this.compliance.evaluate(
      toComplianceInput({ incoterm: s.incoterm, origin: s.origin, consignee: s.consignee, items: s.items, shipping: s.shipping }, s.registrations),
      new Date(event.occurred_at),
      rules,
    );
    const lc = verdict.landedCost;
    const owed = s.incoterm === 'DAP' ? lc.dueFromConsignee : lc.duties + lc.taxes + lc.fees;
    const amountDue = { amountMinor: owed, currency: lc.currency };
    const duties = { amountDue, payer: s.incoterm === 'DAP' ? 'consignee' : 'retailer', estimate: lc.estimate, ruleSets: verdict.ruleSets };
    await this.repository.enrichEvent(tx, event.id, { duties });
    event.payload = { ...event.payload, duties }; // the retailer's webhook for this event carries it too
    return { amountDue, payer: s.incoterm === 'DAP' ? 'consignee' : 'retailer' };
  }
}

/** What planning one event for one shipment needs: zone, locales, lane, links. */
class EventContext {
  readonly timeZone: string;

  constructor(
    readonly event: UnplannedEvent,
    readonly shipment: PlanningShipment,
    readonly messaging: Messaging | undefined,
    private readonly lanes: Lane[],
    private readonly config: AppConfig,
    readonly now: Date,
  ) {
    this.timeZone = messaging?.timeZones[0] ?? 'UTC';
  }

  quietHours() {
    return (this.messaging?.quietHours ?? []).filter((w) => w.appliesTo === 'all' && !w.region);
  }

  /** The consignee's locale, the retailer's policy and the destination's chain, then English. */
  locales(): string[] {
    const language = this.shipment.settings?.language ?? {};
    const country = [...(this.messaging?.locales ?? []), ...(this.messaging?.fallback ?? [])];
    const own = this.shipment.consignee.locale ? [this.shipment.consignee.locale] : [];
    const chain = language.policy === 'fixed' && language.locale ? [language.locale] : language.policy === 'destination' ? [...country, ...own] : [...own, ...country];
    return [...chain, 'en'];
  }

  branding() {
    const b = this.shipment.settings?.branding ?? {};
    return {
      retailerName: b.name ?? this.shipment.retailer_name,
      logoUrl: b.logoUrl ?? null,
      primaryColor: b.primaryColor ?? null,
      supportEmail: b.supportEmail ?? null,
      supportPhone: b.supportPhone ?? null,
    };
  }

  trackingUrl(): string {
    return `${this.config.http.publicBaseUrl}/v1/track/${this.shipment.tracking_number}`;
  }

  unsubscribeUrl(channel: 'email' | 'sms', recipient: string): string {
    return `${this.config.http.publicBaseUrl}/v1/unsubscribe/${unsubscribeToken(linkSigningKey(this.config), { retailerId: this.shipment.retailer_id, channel, contact: recipient })}`;
  }

  /** RFC 8058 one-click unsubscribe, plus the link for clients without it. */
  unsubscribeHeaders(recipient: string): Record<string, string> {
    return { 'List-Unsubscribe': `<${this.unsubscribeUrl('email', recipient)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  }

  /** The lane's transit days from booking, unless the shipment already has an estimate. */
  estimatedDelivery() {
    if (this.shipment.estimated_delivery_from && this.shipment.estimated_delivery_to) {
      return { from: new Date(this.shipment.estimated_delivery_from), to: new Date(this.shipment.estimated_delivery_to) };
    }
    const lane = this.lanes.find((l) => l.origin === this.shipment.origin.country) ?? this.lanes.find((l) => l.origin === '*');
    const booked = new Date(this.shipment.created_at).getTime();
    return { from: new Date(booked + (lane?.transitDaysP50 ?? 5) * DAY), to: new Date(booked + (lane?.transitDaysP90 ?? 10) * DAY) };
  }

  private holdDeadline(): Date {
    const lane = this.lanes.find((l) => l.origin === this.shipment.origin.country) ?? this.lanes.find((l) => l.origin === '*');
    return new Date(new Date(this.event.occurred_at).getTime() + (lane?.customsHoldHours ?? 72) * 3_600_000);
  }

  variables(kind: ConsigneeMessageKind, extra: Record<string, unknown>): TemplateVariables<ConsigneeMessageKind> {
    const tracking = this.trackingUrl();
    const base = { trackingNumber: this.shipment.tracking_number, trackingUrl: tracking, consigneeName: this.shipment.consignee.name ?? null };
    const occurred = new Date(this.event.occurred_at);
    const requested = [...new Set((this.event.payload.compliance?.issues ?? []).map((i) => REQUESTED[i.field ?? ''] ?? 'address_details'))];
    const byKind: Record<ConsigneeMessageKind, object> = {
      booked: { estimatedDelivery: this.estimatedDelivery() },
      collected: { estimatedDelivery: this.estimatedDelivery() },
      in_transit: { estimatedDelivery: this.estimatedDelivery() },
      arrived_destination: { destinationCountry: this.shipment.destination_country, estimatedDelivery: this.estimatedDelivery() },
      customs_hold_documents: { requiredDocuments: ['commercial_invoice'], supplyUrl: tracking, supplyBy: this.holdDeadline() },
      customs_hold_duties:
        extra.payer === 'consignee'
          ? { payer: 'consignee', amountDue: extra.amountDue, paymentUrl: tracking, payBy: this.holdDeadline() }
          : { payer: 'retailer', amountDue: extra.amountDue ?? { amountMinor: 0, currency: 'EUR' } },
      customs_cleared: { estimatedDelivery: this.estimatedDelivery() },
      out_for_delivery: { deliveryWindow: null },
      delivery_attempted: { nextAttemptDate: null, rescheduleUrl: tracking },
      available_for_pickup: { pickupPointName: this.event.payload.code ?? 'pickup point', pickupPointAddress: this.shipment.destination_country, pickupBy: new Date(occurred.getTime() + 7 * DAY) },
      delivered: { deliveredAt: occurred, surveyUrl: (extra.surveyUrl as string | undefined) ?? null },
      delay: { estimatedDelivery: this.estimatedDelivery() },
      return_requested: { returnBy: new Date(occurred.getTime() + 14 * DAY), returnInstructionsUrl: tracking },
      return_received: { receivedAt: occurred },
      information_needed: { requestedInformation: requested.length ? requested : ['address_details'], provideUrl: tracking, provideBy: new Date(occurred.getTime() + DAY) },
      // The estimate only while the parcel is still on its way to the consignee.
      issue_resolved: { estimatedDelivery: OUTBOUND_OPEN_STATUSES.includes(this.shipment.status) ? this.estimatedDelivery() : null },
    };
    return { ...base, ...byKind[kind] } as TemplateVariables<ConsigneeMessageKind>;
  }

  row(channel: 'email' | 'sms', recipient: string, kind: MessageKind, dedupeKey: string, milestone: Milestone, audience: 'consignee' | 'retailer'): PlannedRow {
    return {
      retailerId: this.shipment.retailer_id,
      shipmentId: this.shipment.id,
      channel,
      recipient,
      template: kind,
      dedupeKey,
      status: 'pending',
      skipReason: null,
      payload: {},
      maxAttempts: RETRY_POLICY[channel].maxAttempts,
      nextAttemptAt: this.now,
      audience,
      milestone: milestone.milestone,
      milestoneRank: milestone.rank,
      critical: milestone.critical,
      locale: null,
      localDay: null,
      journeyEventId: this.event.id,
      deferredReason: null,
      smsEncoding: null,
      smsSegments: null,
    };
  }
}
