import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { isIsoCountry } from '../../../common/http/validators';
import { AuditLog } from '../../audit/audit.repository';
import { toComplianceInput, isoDay, parseEvaluationInstant } from '../compliance/compliance.service';
import { CountryRulesErrors } from '../country-rules.errors';
import { evaluate } from '../evaluate/evaluate';
import { resolveRuleSet, versionInForce } from '../evaluate/resolve-rule-set';
import { RuleSetVersion, Verdict } from '../evaluate/verdict';
import { RulesCache } from '../rules-cache';
import { ContentChange, diffContent } from './content-diff';
import { RuleSetContent, validateRuleSetContent } from './rule-set-content';
import { RuleSetRepository, StoredRuleSetVersion } from './rule-set.repository';
import { CreateRuleSetVersionDto, PreviewRuleSetDto } from './rule-sets.dto';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../../common/http/keyset-cursor';

export const RULE_SET_GROUPS = ['EU'] as const;

export function assertRuleSetCode(code: string): string {
  const upper = code.toUpperCase();
  if (!(RULE_SET_GROUPS as readonly string[]).includes(upper) && !isIsoCountry(upper)) throw CountryRulesErrors.invalidCountry();
  return upper;
}

function countUnverified(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countUnverified(v), 0);
  if (value === null || typeof value !== 'object') return 0;
  const own = (value as { unverified?: unknown }).unverified === true ? 1 : 0;
  return Object.values(value).reduce((n: number, v) => n + countUnverified(v), own);
}

/** Operators' view of the rule sets: list, resolve, write a new version (audited), preview a draft. */
@Injectable()
export class RuleSetsService {
  constructor(
    private readonly db: DataSource,
    private readonly repository: RuleSetRepository,
    private readonly cache: RulesCache,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(on = this.today()) {
    const { catalog } = await this.cache.get();
    return [...catalog.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([country, versions]) => {
        const current = versionInForce(catalog, country, on);
        const next = versions.find((v) => v.effectiveFrom > on);
        return {
          country,
          name: current?.content.name ?? versions[versions.length - 1].content.name,
          inherits: current?.content.inherits ?? null,
          currentVersion: current?.version ?? null,
          currentSince: current?.effectiveFrom ?? null,
          next: next ? { version: next.version, effectiveFrom: next.effectiveFrom } : null,
          versions: versions.length,
          unverifiedRules: current ? countUnverified(current.content) : 0,
        };
      });
  }

  async describe(code: string, on = this.today()) {
    const country = assertRuleSetCode(code);
    const { catalog } = await this.cache.get();
    const versions = catalog.get(country) as StoredRuleSetVersion[] | undefined;
    if (!versions) throw CountryRulesErrors.ruleSetNotFound(country);
    return {
      country,
      on,
      current: (versionInForce(catalog, country, on) as StoredRuleSetVersion | undefined) ?? null,
      resolved: resolveRuleSet(catalog, country, on) ?? null,
      history: [...versions].sort((a, b) => b.version - a.version),
    };
  }

  async createVersion(actor: string, code: string, dto: CreateRuleSetVersionDto) {
    const country = assertRuleSetCode(code);
    const content = await this.validDraft(dto.content);
    if (dto.effectiveTo && dto.effectiveTo <= dto.effectiveFrom) throw CountryRulesErrors.effectiveRange();

    const { stored, previous } = await this.db.transaction(async (tx) => {
      const { stored, previous: latest } = await this.repository.append(tx, {
        country,
        effectiveFrom: dto.effectiveFrom,
        effectiveTo: dto.effectiveTo,
        content,
        author: actor,
        changeNote: dto.changeNote,
      });
      await this.audit.record(tx, {
        actor,
        action: 'rule_set.version_created',
        targetType: 'rule_set',
        targetId: country,
        before: latest ? { version: latest.version, effectiveFrom: latest.effectiveFrom, content: latest.content } : null,
        after: { version: stored.version, effectiveFrom: stored.effectiveFrom, effectiveTo: stored.effectiveTo ?? null, changeNote: stored.changeNote, content },
      });
      return { stored, previous: latest };
    });
    this.cache.invalidate();

    const countries = country === 'EU' ? (content.members ?? []) : [country];
    const affected = await this.repository.countAffected(countries, stored.effectiveFrom);
    return {
      ...stored,
      diff: diffContent(previous?.content ?? {}, content),
      affected: { from: stored.effectiveFrom, countries, ...affected },
    };
  }

  /**
   * Which shipments a version applies to from its date: those booked to its destinations since then (booking
   * rules), newest first, whatever their status; `inFlight` in the version's `affected` counts those still moving.
   */
  async affectedShipments(code: string, from: string, cursor: string | undefined, limit: number) {
    const country = assertRuleSetCode(code);
    const { catalog } = await this.cache.get();
    const members = country === 'EU' ? (versionInForce(catalog, 'EU', from)?.content.members ?? []) : [country];
    const decoded = cursor ? decodeKeysetCursor(cursor, CountryRulesErrors.invalidCursor) : undefined;
    const after = decoded && { createdAt: decoded.at.toISOString(), id: decoded.id };
    const rows = await this.repository.listAffected(members, from, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      from,
      countries: members,
      data: page.map((r) => ({
        id: r.id,
        retailerId: r.retailer_id,
        trackingNumber: r.tracking_number,
        status: r.status,
        destination: r.destination_country,
        complianceStatus: r.compliance_status,
        bookedAt: new Date(r.created_at).toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeKeysetCursor(last.created_at, last.id) : null,
    };
  }

  /** The sample under the draft and under the rules in force, side by side. Nothing is written. */
  async preview(code: string, dto: PreviewRuleSetDto): Promise<{ draft: Verdict; current: Verdict; diff: ContentChange[] }> {
    const country = assertRuleSetCode(code);
    const content = await this.validDraft(dto.content);
    const { at, ...shipment } = dto.shipment;
    const instant = parseEvaluationInstant(at, this.clock.now());
    const on = isoDay(instant);
    const snapshot = await this.cache.get();
    const versions = snapshot.catalog.get(country) ?? [];
    const draft: RuleSetVersion = {
      country,
      version: Math.max(0, ...versions.map((v) => v.version)) + 1,
      effectiveFrom: dto.effectiveFrom && dto.effectiveFrom <= on ? dto.effectiveFrom : on,
      content,
    };
    const withDraft = new Map(snapshot.catalog);
    withDraft.set(country, [...versions, draft].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.version - b.version));
    const input = toComplianceInput(shipment, dto.registrations ?? {});
    const fx = snapshot.fxOn(on);
    return {
      draft: evaluate(input, withDraft, fx, instant),
      current: evaluate(input, snapshot.catalog, fx, instant),
      diff: diffContent(versionInForce(snapshot.catalog, country, on)?.content ?? {}, content),
    };
  }

  private async validDraft(raw: unknown): Promise<RuleSetContent> {
    const { content, errors } = validateRuleSetContent(raw);
    if (!content) throw CountryRulesErrors.invalidContent(errors);
    if (content.inherits) {
      const { catalog } = await this.cache.get();
      if (!catalog.has(content.inherits)) throw CountryRulesErrors.unknownGroup(content.inherits);
    }
    return content;
  }

  private today(): string {
    return isoDay(this.clock.now());
  }
}
