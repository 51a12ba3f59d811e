import { AppError, ErrorDetail } from '../../../common/errors/app-error';
import { SUPPORTED_LOCALES, isSupportedLocale, kindStringsFor } from './locale-catalog';
import { MESSAGE_KINDS, MessageKind, TemplateVariables } from './message-kinds';
import { SAMPLE_BRANDING, SAMPLE_VARIABLES } from './sample-variables';
import { renderEmail, renderSms } from './template-renderer';
import { KindStringsOverride, TemplateOverrides, overrideShapeIssues } from './template-overrides';

/**
 * Validates retailer overrides before they are stored: shape, length and syntax, then a trial render of
 * every overridden kind against each sample variant (optional values present and absent), through the
 * same renderer that will send them. A variable a string uses that the kind does not have, or uses
 * outside `{{#if}}` while it is optional, is an issue with its field path, e.g.
 * `overrides.de.delivered.paragraphs[1]: unknown variable "surveyLink" at line 1, column 3`.
 * Returns no issues when the overrides are valid.
 */
export function validateTemplateOverride(overrides: unknown, path = 'overrides'): ErrorDetail[] {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    return [{ field: path, issue: 'must be an object keyed by locale' }];
  }
  const issues: ErrorDetail[] = [];
  for (const [locale, kinds] of Object.entries(overrides)) {
    const localePath = `${path}.${locale}`;
    if (!isSupportedLocale(locale)) {
      issues.push({ field: localePath, issue: `is not a supported locale (one of ${SUPPORTED_LOCALES.join(', ')})` });
      continue;
    }
    if (typeof kinds !== 'object' || kinds === null || Array.isArray(kinds)) {
      issues.push({ field: localePath, issue: 'must be an object keyed by message kind' });
      continue;
    }
    for (const [kind, override] of Object.entries(kinds)) {
      const kindPath = `${localePath}.${kind}`;
      if (!(MESSAGE_KINDS as readonly string[]).includes(kind)) {
        issues.push({ field: kindPath, issue: 'is not a known message kind' });
        continue;
      }
      if (kindStringsFor(locale, kind as MessageKind).locale !== locale) {
        issues.push({ field: kindPath, issue: `${kind} has English strings only; override it under en` });
        continue;
      }
      const shape = overrideShapeIssues(kind as MessageKind, override, kindPath);
      issues.push(...(shape.length > 0 ? shape : trialRender(locale, kind as MessageKind, override as KindStringsOverride, path)));
    }
  }
  return issues;
}

function trialRender(locale: string, kind: MessageKind, override: KindStringsOverride, path: string): ErrorDetail[] {
  const overrides: TemplateOverrides = { [locale]: { [kind]: override } };
  const found = new Map<string, string>();
  for (const variables of variantsOf(kind)) {
    const input = { kind, locale, timeZone: 'Europe/Berlin', variables, branding: SAMPLE_BRANDING, overrides };
    const attempts: Array<() => unknown> = [() => renderEmail(input)];
    if (kind !== 'retailer_exception') {
      attempts.push(() => renderSms({ ...input, kind: kind as Exclude<MessageKind, 'retailer_exception'>, stopInstructions: true }));
    }
    for (const attempt of attempts) {
      try {
        attempt();
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        for (const d of error.details) {
          const field = d.field.startsWith('overrides.') ? `${path}${d.field.slice('overrides'.length)}` : d.field;
          if (!found.has(field)) found.set(field, d.issue);
        }
      }
    }
  }
  return [...found].map(([field, issue]) => ({ field, issue }));
}

/** Each sample, and the same without the optional name and unsubscribe link every consignee kind may lack. */
function variantsOf(kind: MessageKind): TemplateVariables[] {
  const samples = SAMPLE_VARIABLES[kind] as TemplateVariables[];
  return samples.flatMap((v) => [v, { ...v, consigneeName: null, unsubscribeUrl: null } as TemplateVariables]);
}
