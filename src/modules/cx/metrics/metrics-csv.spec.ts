import { metricsCsv } from './metrics-csv';
import type { CxMetricsDto, GroupMetricsDto } from './cx-metrics.dto';

const group = (opened: number, rate: number | null) =>
  ({ surveys: { issued: 1, csatAverage: rate }, exceptions: { opened, byType: { delay: { opened } } } }) as unknown as GroupMetricsDto;

describe('the metrics CSV', () => {
  it('has a column per metric, totals first, and quotes what needs quoting', () => {
    const csv = metricsCsv({
      from: '',
      to: '',
      groupBy: 'retailer',
      totals: group(3, 4.5),
      groups: [
        { key: 'r1', label: 'Acme, "the best"', ...group(2, null) },
        { key: 'r2', label: '=HYPERLINK("x")', ...group(1, 4) },
      ],
    } as CxMetricsDto);
    expect(csv.split('\r\n')).toEqual([
      'group,label,surveys.issued,surveys.csatAverage,exceptions.opened,exceptions.byType.delay.opened',
      'total,,1,4.5,3,3',
      'r1,"Acme, ""the best""",1,,2,2',
      `r2,"'=HYPERLINK(""x"")",1,4,1,1`,
      '',
    ]);
  });
});
