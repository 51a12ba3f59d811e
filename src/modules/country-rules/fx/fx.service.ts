import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../../../common/errors/app-error';
import { Clock } from '../../../common/clock/clock';
import { AuditLog } from '../../audit/audit.repository';
import { RulesCache } from '../rules-cache';
import { FxRepository, StoredFxRate } from './fx.repository';
import { Conversion, convertMinor } from './money';

export const FxErrors = {
  noRate: (currency: string, on: string) =>
    new AppError('FX_RATE_MISSING', 422, `No exchange rate for ${currency} on or before ${on}.`, [
      { field: 'currency', issue: `has no rate dated on or before ${on}` },
    ]),
  rateExists: (currency: string, asOf: string) =>
    new AppError('FX_RATE_EXISTS', 409, `${currency} already has a rate dated ${asOf}; rates are immutable, date the new one.`, [
      { field: 'asOf', issue: 'already has a rate for this currency' },
    ]),
};

@Injectable()
export class FxService {
  constructor(
    private readonly db: DataSource,
    private readonly repository: FxRepository,
    private readonly audit: AuditLog,
    private readonly cache: RulesCache,
    private readonly clock: Clock,
  ) {}

  /** The rates in force on a date (today by default), one per currency. */
  ratesOn(on?: string): Promise<StoredFxRate[]> {
    return this.repository.ratesOn(on ?? this.today());
  }

  history(currency: string): Promise<StoredFxRate[]> {
    return this.repository.history(currency);
  }

  async add(rate: { currency: string; unitsPerEur: number; asOf: string; source: string }, createdBy: string): Promise<StoredFxRate> {
    const stored = await this.db.transaction(async (tx) => {
      const row = await this.repository.insert(tx, { ...rate, createdBy });
      if (!row) throw FxErrors.rateExists(rate.currency, rate.asOf);
      await this.audit.record(tx, { actor: createdBy, action: 'fx_rate.created', targetType: 'fx_rate', targetId: rate.currency, after: row });
      return row;
    });
    this.cache.invalidate();
    return stored;
  }

  /** Converts with the rates in force at `at`, saying which rates (and dates) it used. */
  async convert(amountMinor: number, from: string, to: string, at: Date = this.clock.now()): Promise<Conversion> {
    const on = at.toISOString().slice(0, 10);
    const rates = new Map((await this.repository.ratesOn(on, [from, to])).map((r) => [r.currency, r]));
    const fromRate = rates.get(from);
    const toRate = rates.get(to);
    if (!fromRate) throw FxErrors.noRate(from, on);
    if (!toRate) throw FxErrors.noRate(to, on);
    return convertMinor(amountMinor, fromRate, toRate);
  }

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }
}
