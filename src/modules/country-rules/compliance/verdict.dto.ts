import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shapes of a verdict (`evaluate/verdict.ts` is the source of truth). */
class RuleRefDto {
  @ApiProperty({ example: 'EU', description: 'The rule set (country or group) that produced this' }) ruleSet: string;
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ example: 'customs.flatDuties', description: 'The rule, as a path in the rule-set content' }) rule: string;
  @ApiPropertyOptional({ example: 'https://taxation-customs.ec.europa.eu/…' }) source?: string;
  @ApiPropertyOptional({ description: 'True when the rule is a placeholder an operator has not confirmed' }) unverified?: boolean;
}

export class ChargeLineDto extends RuleRefDto {
  @ApiProperty({ example: 'EU_FLAT_DUTY' }) code: string;
  @ApiProperty({ example: 'EU flat duty per tariff line' }) name: string;
  @ApiProperty({ example: 300, description: 'Minor units' }) amountMinor: number;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ enum: ['shipper', 'consignee', 'collected_at_checkout'] }) payer: string;
  @ApiProperty({ description: 'True when the amount rests on an estimated rate' }) estimate: boolean;
}

export class VerdictIssueDto extends RuleRefDto {
  @ApiProperty({ example: 'TAX_ID_REQUIRED' }) code: string;
  @ApiPropertyOptional({ example: 'consignee.taxId' }) field?: string;
  @ApiProperty({ example: 'Brazil requires the consignee’s CPF or CNPJ.' }) message: string;
  @ApiProperty({ enum: ['blocked', 'needs_information', 'restricted', 'warning'] }) severity: string;
}

export class DocumentRequirementDto extends RuleRefDto {
  @ApiProperty({ example: 'CN23' }) code: string;
  @ApiProperty({ example: 'Value 412.00 SDR is 300 SDR or more.' }) reason: string;
}

export class SchemeDto extends RuleRefDto {
  @ApiProperty({ example: 'IOSS' }) code: string;
  @ApiProperty({ example: 'EU Import One-Stop Shop' }) name: string;
  @ApiProperty({ example: 'IM2760000001' }) registrationNumber: string;
}

export class LandedCostDto {
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty() goods: number;
  @ApiProperty() shipping: number;
  @ApiProperty() duties: number;
  @ApiProperty() taxes: number;
  @ApiProperty() fees: number;
  @ApiProperty() total: number;
  @ApiProperty({ description: 'What the consignee pays on delivery' }) dueFromConsignee: number;
  @ApiProperty({ description: 'True when any part is an estimate or rests on an unverified rule or rate' }) estimate: boolean;
}

export class ExplanationStepDto extends RuleRefDto {
  @ApiProperty({ example: 'Goods value EUR 120.00 ≤ EUR 150.00: IOSS applies.' }) text: string;
}

export class ConversionDto {
  @ApiProperty({ example: { amountMinor: 10000, currency: 'USD' } }) from: object;
  @ApiProperty({ example: { amountMinor: 9259, currency: 'EUR' } }) to: object;
  @ApiProperty({ example: 0.9259 }) rate: number;
  @ApiProperty({ example: [{ currency: 'USD', unitsPerEur: 1.08, asOf: '2026-01-01', unverified: true }] }) rates: object[];
}

export class VerdictDto {
  @ApiProperty({ enum: ['ok', 'needs_information', 'blocked'] }) status: string;
  @ApiProperty({ example: 'DE' }) destination: string;
  @ApiProperty({ example: '2026-07-01' }) evaluatedOn: string;
  @ApiProperty({ example: [{ ruleSet: 'DE', version: 1, effectiveFrom: '2021-07-01' }] }) ruleSets: object[];
  @ApiProperty({ type: [DocumentRequirementDto] }) documents: DocumentRequirementDto[];
  @ApiPropertyOptional({ type: SchemeDto, nullable: true }) scheme: SchemeDto | null;
  @ApiProperty({ type: [ChargeLineDto] }) duties: ChargeLineDto[];
  @ApiProperty({ type: [ChargeLineDto] }) taxes: ChargeLineDto[];
  @ApiProperty({ type: [ChargeLineDto] }) fees: ChargeLineDto[];
  @ApiProperty({ type: LandedCostDto }) landedCost: LandedCostDto;
  @ApiProperty({ type: [VerdictIssueDto] }) issues: VerdictIssueDto[];
  @ApiProperty({ type: [ExplanationStepDto] }) explanation: ExplanationStepDto[];
  @ApiProperty({ type: [ConversionDto] }) conversions: ConversionDto[];
}
