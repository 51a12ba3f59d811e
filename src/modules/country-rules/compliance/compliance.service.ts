import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock/clock';
import { DataSource } from 'typeorm';
import { evaluate } from '../evaluate/evaluate';
import { ComplianceInput, Verdict } from '../evaluate/verdict';
import { RulesCache, RulesSnapshot } from '../rules-cache';

export type ComplianceShipment = Omit<ComplianceInput, 'registrations' | 'shipping'> & {
  shipping?: { value: number; currency: string } | null;
};

/** The calendar date (UTC) that effective dates and FX rates are read on. */
export const isoDay = (at: Date): string => at.toISOString().slice(0, 10);

/** `2026-07-01` means the start of that day (UTC); a full instant is taken as given. */
export function parseEvaluationInstant(at: string | undefined, now: Date): Date {
  if (!at) return now;
  return /^\d{4}-\d{2}-\d{2}$/.test(at) ? new Date(`${at}T00:00:00.000Z`) : new Date(at);
}

/**
 * Applies the country rules to a shipment: at booking, on a consignee patch, for a checkout quote, and at
 * customs events. The rules and rates come from memory (`RulesCache`); `evaluate` itself is pure.
 */
@Injectable()
export class ComplianceService {
  constructor(
    private readonly cache: RulesCache,
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Evaluates for a retailer, with the registrations (IOSS, UK VAT…) from its settings. */
  async checkForRetailer(retailerId: string, shipment: ComplianceShipment, at: Date = this.clock.now()): Promise<Verdict> {
    const [retailer]: Array<{ registrations: ComplianceInput['registrations'] }> = await this.db.query(
      `SELECT registrations FROM retailers WHERE id = $1`,
      [retailerId],
    );
    return this.evaluate(toComplianceInput(shipment, retailer?.registrations ?? {}), at);
  }

  /** `rules`: a snapshot the caller already holds (one taken before a transaction, so none is loaded inside it). */
  async evaluate(input: ComplianceInput, at: Date, rules?: RulesSnapshot): Promise<Verdict> {
    const snapshot = rules ?? (await this.cache.get());
    return evaluate(input, snapshot.catalog, snapshot.fxOn(isoDay(at)), at);
  }
}

export function toComplianceInput(shipment: ComplianceShipment, registrations: ComplianceInput['registrations']): ComplianceInput {
  const { shipping, ...rest } = shipment;
  return {
    ...rest,
    ...(shipping ? { shipping: { amountMinor: shipping.value, currency: shipping.currency } } : {}),
    registrations,
  };
}
