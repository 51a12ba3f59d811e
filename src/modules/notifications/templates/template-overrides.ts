import { ErrorDetail } from '../../../common/errors/app-error';
import { KIND_STRING_FIELDS, KindStringField } from './locale-catalog';
import { MessageKind } from './message-kinds';
import { compileString, describeTemplateError } from './template-engine';

/**
 * A retailer's replacements for catalog strings, per locale and kind; fields left out keep the catalog's.
 * They are compiled by the same engine with the same strictness and helpers as the catalog.
 */
export interface KindStringsOverride {
  subject?: string;
  heading?: string;
  paragraphs?: string[];
  cta?: string;
  sms?: string;
  greeting?: string;
  footer?: string;
}

export type TemplateOverrides = Partial<Record<string, Partial<Record<MessageKind, KindStringsOverride>>>>;

const MAX_LENGTH: Record<KindStringField, number> = {
  subject: 200,
  heading: 200,
  paragraphs: 2000,
  cta: 80,
  sms: 640,
  greeting: 200,
  footer: 1000,
};
const MAX_PARAGRAPHS = 10;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringIssues(value: unknown, field: KindStringField, path: string): ErrorDetail[] {
  if (typeof value !== 'string' || value.trim() === '') return [{ field: path, issue: 'must be a non-empty string' }];
  if (value.length > MAX_LENGTH[field]) return [{ field: path, issue: `must be at most ${MAX_LENGTH[field]} characters` }];
  try {
    compileString(value);
  } catch (error) {
    return [{ field: path, issue: describeTemplateError(error) }];
  }
  return [];
}

/** Shape, length and syntax of one kind's override; rendering against variables is the validator's job. */
export function overrideShapeIssues(kind: MessageKind, value: unknown, path: string): ErrorDetail[] {
  if (!isPlainObject(value)) return [{ field: path, issue: 'must be an object of strings' }];
  const issues: ErrorDetail[] = [];
  for (const [field, source] of Object.entries(value)) {
    const at = `${path}.${field}`;
    if (!(KIND_STRING_FIELDS as readonly string[]).includes(field)) {
      issues.push({ field: at, issue: `is not a template string (one of ${KIND_STRING_FIELDS.join(', ')})` });
    } else if (field === 'sms' && kind === 'retailer_exception') {
      issues.push({ field: at, issue: 'retailer_exception is sent by email only' });
    } else if (field === 'paragraphs') {
      if (!Array.isArray(source) || source.length === 0 || source.length > MAX_PARAGRAPHS) {
        issues.push({ field: at, issue: `must be an array of 1 to ${MAX_PARAGRAPHS} strings` });
      } else {
        source.forEach((p, i) => issues.push(...stringIssues(p, 'paragraphs', `${at}[${i}]`)));
      }
    } else {
      issues.push(...stringIssues(source, field as KindStringField, at));
    }
  }
  return issues;
}
