/** The kinds of problem the CX desk works, and their defaults. Pure data: config and tests read it too. */

export const EXCEPTION_TYPES = [
  'delay',
  'customs_hold',
  'failed_attempt',
  'address_issue',
  'damaged',
  'lost',
  'needs_information',
  'pickup_expiring',
  'customer_reply',
  'return_issue',
] as const;
export type ExceptionType = (typeof EXCEPTION_TYPES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const EXCEPTION_STATUSES = ['open', 'in_progress', 'waiting_customer', 'resolved'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

export const EXCEPTION_SOURCES = ['event', 'detector', 'agent', 'inbound'] as const;
export type ExceptionSource = (typeof EXCEPTION_SOURCES)[number];

export const EXCEPTION_EVENT_KINDS = ['opened', 'assigned', 'note', 'status', 'resolved', 'reopened', 'system_note'] as const;
export type ExceptionEventKind = (typeof EXCEPTION_EVENT_KINDS)[number];

/** Hours from opening to the SLA due time, per type; `CX_SLA_HOURS` overrides any of them. */
export const DEFAULT_SLA_HOURS: Readonly<Record<ExceptionType, number>> = {
  delay: 24,
  customs_hold: 12,
  failed_attempt: 24,
  address_issue: 8,
  damaged: 24,
  lost: 48,
  needs_information: 24,
  pickup_expiring: 12,
  customer_reply: 4,
  return_issue: 48,
};

/** The severity an exception opens with when its opener does not say. */
export const DEFAULT_SEVERITY: Readonly<Record<ExceptionType, Severity>> = {
  delay: 'medium',
  customs_hold: 'medium',
  failed_attempt: 'medium',
  address_issue: 'high',
  damaged: 'high',
  lost: 'critical',
  needs_information: 'medium',
  pickup_expiring: 'high',
  customer_reply: 'medium',
  return_issue: 'medium',
};

export function isExceptionType(value: string): value is ExceptionType {
  return (EXCEPTION_TYPES as readonly string[]).includes(value);
}

/**
 * Parses `CX_SLA_HOURS` (`delay=24,customs_hold=12`) into hours per type. Returns the problems instead of
 * throwing, so that configuration validation can name them all at once.
 */
export function parseSlaHours(text: string | undefined): { hours: Partial<Record<ExceptionType, number>>; errors: string[] } {
  const hours: Partial<Record<ExceptionType, number>> = {};
  const errors: string[] = [];
  for (const part of (text ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([a-z_]+)\s*=\s*(\d{1,4})$/.exec(part);
    if (!match) errors.push(`"${part}" is not type=hours`);
    else if (!isExceptionType(match[1])) errors.push(`"${match[1]}" is not an exception type (${EXCEPTION_TYPES.join(', ')})`);
    else if (Number(match[2]) < 1) errors.push(`${match[1]} must be at least 1 hour`);
    else hours[match[1]] = Number(match[2]);
  }
  return { hours, errors };
}
