export interface ContentChange {
  /** Dotted path, e.g. `customs.vat.ratePercent`; list entries keyed by `code` appear as `fees[FR_DECLARATION_FEE]`. */
  path: string;
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const keyedByCode = (v: unknown): v is Array<{ code: string }> =>
  Array.isArray(v) && v.every((e) => isObject(e) && typeof e.code === 'string');

/** What changed between two versions' content, field by field, for the admin's review of a new version. */
export function diffContent(before: unknown, after: unknown, path = ''): ContentChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffContent(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (keyedByCode(before) && keyedByCode(after)) {
    const left = new Map(before.map((e) => [e.code, e]));
    const right = new Map(after.map((e) => [e.code, e]));
    const codes = [...new Set([...left.keys(), ...right.keys()])].sort();
    return codes.flatMap((c) => diffContent(left.get(c), right.get(c), `${path}[${c}]`));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
}
