import type { CxMetricsDto, GroupMetricsDto } from './cx-metrics.dto';

type Flat = Array<[string, unknown]>;

function flatten(value: unknown, prefix: string, out: Flat): Flat {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.push([prefix, value]);
  }
  return out;
}

/** RFC 4180 quoting, and a leading quote on anything a spreadsheet would run as a formula. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The same data as the JSON, one row per group (and a first row for the totals), one column per metric:
 * nested names joined with dots (`exceptions.byType.delay.opened`). Every group has every column.
 */
export function metricsCsv(m: CxMetricsDto): string {
  const columns = flatten(m.totals, '', []).map(([name]) => name);
  const line = (group: string, label: string | null, metrics: GroupMetricsDto) => {
    const values = new Map(flatten(metrics, '', []));
    return [cell(group), cell(label), ...columns.map((c) => cell(values.get(c)))].join(',');
  };
  return [
    ['group', 'label', ...columns].join(','),
    line('total', null, m.totals),
    ...m.groups.map(({ key, label, ...metrics }) => line(key, label, metrics)),
  ].join('\r\n') + '\r\n';
}
