import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock/clock';
import { CommonErrors, ErrorDetail } from '../../common/errors/app-error';
import { ComplianceService } from '../country-rules/compliance/compliance.service';
import { Verdict } from '../country-rules/evaluate/verdict';
import { MetricsService } from '../metrics/metrics.service';
import { RetailersService } from '../retailers/retailers.service';
import { CreateShipmentDto } from './dto/create-shipment.dto';
import { PatchConsigneeDto } from './dto/patch-consignee.dto';
import { ShipmentListResponseDto, ShipmentResponseDto, TimelineResponseDto } from './dto/shipment-response.dto';
import { EventCode, JourneyStatus, STATUS_RANK } from './journey';
import { JourneyService } from './journey.service';
import { ShipmentRepository } from './shipment.repository';
import { ShipmentEntity } from './shipment.entity';
import { toShipmentResponse, toTimelineEvent } from './shipment.mapper';
import { ShipmentErrors } from './shipments.errors';
import { generateTrackingNumber } from './tracking-number';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/http/keyset-cursor';

/** The source of events that Passage itself records on a retailer's behalf (cancel, return request). */
export const PASSAGE_SOURCE = 'passage';

export interface ListShipmentsInput {
  status?: JourneyStatus;
  reference?: string;
  updatedSince?: Date;
  cursor?: string;
  limit: number;
}

@Injectable()
export class ShipmentsService {
  constructor(
    private readonly db: DataSource,
    private readonly shipments: ShipmentRepository,
    private readonly journey: JourneyService,
    private readonly retailers: RetailersService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly compliance: ComplianceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async book(retailerId: string, dto: CreateShipmentDto): Promise<ShipmentResponseDto> {
    assertReachable(dto);
    const now = this.clock.now();
    // Booking rules are those in force on the booking date. A blocked parcel is refused before anything is written.
    const verdict = this.config.rules.atBooking
      ? await this.compliance.checkForRetailer(retailerId, { ...dto, shipping: dto.shipping ?? null }, now)
      : null;
    if (verdict?.status === 'blocked') throw ShipmentErrors.complianceBlocked(verdict);
    for (let attempt = 1; ; attempt++) {
      try {
        const shipment = await this.db.transaction(async (tx) => {
          const saved = await this.shipments.insert(tx, {
            retailerId,
            reference: dto.reference,
            trackingNumber: generateTrackingNumber(),
            service: dto.service,
            incoterm: dto.incoterm,
            status: 'booked',
            statusRank: STATUS_RANK.booked,
            statusChangedAt: now,
            lastEventOccurredAt: null,
            origin: dto.origin,
            destinationCountry: dto.consignee.address.country,
            destinationCity: dto.consignee.address.city,
            consignee: dto.consignee,
            consigneePostcodeKey: dto.consignee.address.postcode ? postcodeKey(dto.consignee.address.postcode) : null,
            items: dto.items,
            notify: dto.notify,
            shipping: dto.shipping ?? null,
            complianceStatus: verdict?.status ?? null,
            compliance: verdict,
            metadata: dto.metadata ?? {},
            createdAt: now,
            updatedAt: now,
          });
          await this.shipments.recordBooking(tx, saved);
          return saved;
        });
        this.metrics.shipmentsBooked.inc();
        return this.toResponse(shipment);
      } catch (error) {
        const constraint = uniqueViolation(error);
        if (constraint?.includes('reference')) throw ShipmentErrors.referenceTaken(dto.reference);
        if (constraint?.includes('tracking_number') && attempt < 5) continue;
        throw error;
      }
    }
  }

  /**
   * Supplies or corrects consignee details (e.g. the tax ID a `needs_information` verdict asks for) and
   * re-evaluates under the rules of the booking date. The destination country cannot change, and nothing can
   * once the shipment is delivered or closed.
   */
  async patchConsignee(retailerId: string, id: string, dto: PatchConsigneeDto): Promise<ShipmentResponseDto> {
    const shipment = await this.find(retailerId, id);
    if (CLOSED_FOR_CONSIGNEE.has(shipment.status)) throw ShipmentErrors.consigneeClosed(shipment.status);
    if (dto.address && dto.address.country !== shipment.destinationCountry) throw ShipmentErrors.destinationChange();
    const given = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
    const consignee = { ...shipment.consignee, ...given, address: dto.address ?? shipment.consignee.address };
    const notify = shipment.notify;
    assertReachable({ notify, consignee } as CreateShipmentDto);

    const verdict: Verdict | null = this.config.rules.atBooking
      ? await this.compliance.checkForRetailer(
          retailerId,
          { incoterm: shipment.incoterm, origin: shipment.origin, consignee, items: shipment.items, shipping: shipment.shipping },
          shipment.createdAt,
        )
      : shipment.compliance;
    const updated = await this.shipments.updateConsignee(
      {
        id: shipment.id,
        retailerId,
        consignee,
        destinationCity: consignee.address.city,
        consigneePostcodeKey: consignee.address.postcode ? postcodeKey(consignee.address.postcode) : null,
        complianceStatus: verdict?.status ?? null,
        compliance: verdict,
        previousComplianceStatus: shipment.complianceStatus,
        closedStatuses: [...CLOSED_FOR_CONSIGNEE],
      },
      this.clock.now(),
    );
    if (!updated) {
      const now = await this.find(retailerId, id);
      throw ShipmentErrors.consigneeClosed(now.status);
    }
    return this.toResponse(updated);
  }

  async get(retailerId: string, id: string): Promise<ShipmentResponseDto> {
    return this.toResponse(await this.find(retailerId, id));
  }

  async list(retailerId: string, input: ListShipmentsInput): Promise<ShipmentListResponseDto> {
    const rows = await this.shipments.list({
      retailerId,
      status: input.status,
      reference: input.reference,
      updatedSince: input.updatedSince,
      after: input.cursor ? keysetAfter(input.cursor) : undefined,
      limit: input.limit + 1,
    });
    const page = rows.slice(0, input.limit);
    const last = page[page.length - 1];
    return {
      data: page.map((s) => this.toResponse(s)),
      nextCursor: rows.length > input.limit && last ? encodeKeysetCursor(last.createdAt, last.id) : null,
    };
  }

  async timeline(retailerId: string, id: string): Promise<TimelineResponseDto> {
    const shipment = await this.find(retailerId, id);
    const events = await this.shipments.timeline(shipment.id);
    return { status: shipment.status, events: events.map(toTimelineEvent) };
  }

  async cancel(retailerId: string, id: string): Promise<ShipmentResponseDto> {
    const shipment = await this.find(retailerId, id);
    if (shipment.status === 'cancelled') return this.toResponse(shipment);
    // A refused cancel writes nothing: no CANCELLED event may appear on the (public) timeline.
    const [result] = await this.journey.apply([this.passageEvent(shipment, 'CANCELLED')]);
    if (result.result === 'rejected') {
      if (result.status === 'cancelled') return this.get(retailerId, id);
      throw ShipmentErrors.notCancellable(result.status);
    }
    return this.get(retailerId, id);
  }

  /** Opens the return leg: only once delivered, within the retailer's return window. */
  async openReturn(retailerId: string, id: string): Promise<{ returnReference: string; shipment: ShipmentResponseDto }> {
    const shipment = await this.find(retailerId, id);
    if (shipment.returnReference) throw ShipmentErrors.returnAlreadyOpen();
    if (shipment.status !== 'delivered' || !shipment.deliveredAt) throw ShipmentErrors.notDelivered(shipment.status);
    const retailer = await this.retailers.get(retailerId);
    const closesAt = shipment.deliveredAt.getTime() + retailer.returnWindowDays * 86_400_000;
    if (this.clock.now().getTime() > closesAt) throw ShipmentErrors.returnWindowClosed(retailer.returnWindowDays);

    const [result] = await this.journey.apply([this.passageEvent(shipment, 'RETURN_REQUESTED')]);
    // Lost a race with another return request or a carrier scan: say what the shipment is now.
    if (result.result === 'rejected') {
      if (STATUS_RANK[result.status] >= STATUS_RANK.return_requested) throw ShipmentErrors.returnAlreadyOpen();
      throw ShipmentErrors.notDelivered(result.status);
    }
    const updated = await this.find(retailerId, id);
    return { returnReference: updated.returnReference!, shipment: this.toResponse(updated) };
  }

  private passageEvent(shipment: ShipmentEntity, code: EventCode) {
    return {
      shipmentId: shipment.id,
      source: PASSAGE_SOURCE,
      externalEventId: randomUUID(),
      code,
      originalCode: code,
      reason: null,
      occurredAt: this.clock.now(),
      location: { country: code === 'CANCELLED' ? shipment.origin.country : shipment.destinationCountry },
      description: code === 'CANCELLED' ? 'Cancelled by the retailer' : 'Return requested by the retailer',
      raw: null,
      requireMove: true,
    };
  }

  private async find(retailerId: string, id: string): Promise<ShipmentEntity> {
    const shipment = await this.shipments.findForRetailer(retailerId, id);
    if (!shipment) throw ShipmentErrors.notFound();
    return shipment;
  }

  private toResponse(s: ShipmentEntity): ShipmentResponseDto {
    return toShipmentResponse(s, this.config.http.publicBaseUrl);
  }
}

/** Once delivered (or closed) the consignee's details are history, not something to correct. */
const CLOSED_FOR_CONSIGNEE: ReadonlySet<JourneyStatus> = new Set(['delivered', 'return_requested', 'return_in_transit', 'returned', 'cancelled', 'lost']);

/** A consignee who asked for a channel must be reachable on it. */
function assertReachable(dto: CreateShipmentDto): void {
  const details: ErrorDetail[] = [];
  if (dto.notify.email && !dto.consignee.email) details.push({ field: 'consignee.email', issue: 'is required when notify.email is true' });
  if (dto.notify.sms && !dto.consignee.phone) details.push({ field: 'consignee.phone', issue: 'is required when notify.sms is true' });
  if (details.length > 0) throw CommonErrors.validation(details);
}

export function postcodeKey(postcode: string): string {
  return postcode.replace(/[\s-]/g, '').toUpperCase();
}

function uniqueViolation(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driver = error.driverError as { code?: string; constraint?: string };
  return driver.code === '23505' ? (driver.constraint ?? '') : undefined;
}

function keysetAfter(cursor: string): { createdAt: Date; id: string } {
  const { at, id } = decodeKeysetCursor(cursor, ShipmentErrors.invalidCursor);
  return { createdAt: at, id };
}
