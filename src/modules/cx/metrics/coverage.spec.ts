import { coverage } from './coverage';

const t = (iso: string) => new Date(iso);

describe('what the rollup covers of a window', () => {
  it('reads whole days from the rollup, today up to its last run too, and the partial first day live', () => {
    const c = coverage(t('2031-03-01T12:00:00Z'), t('2031-03-04T06:00:00Z'), [
      { day: '2031-03-01', coveredUntil: t('2031-03-02T00:00:00Z') },
      { day: '2031-03-02', coveredUntil: t('2031-03-03T00:00:00Z') },
      { day: '2031-03-03', coveredUntil: t('2031-03-04T00:00:00Z') },
      { day: '2031-03-04', coveredUntil: t('2031-03-04T05:00:00Z') },
    ]);
    expect(c.rolledDays).toEqual(['2031-03-02', '2031-03-03', '2031-03-04']);
    expect(c.live).toEqual([
      [t('2031-03-01T12:00:00Z'), t('2031-03-02T00:00:00Z')],
      [t('2031-03-04T05:00:00Z'), t('2031-03-04T06:00:00Z')],
    ]);
  });

  it('leaves a day live when its rollup reaches past the window’s end', () => {
    const c = coverage(t('2031-03-01T00:00:00Z'), t('2031-03-01T06:00:00Z'), [{ day: '2031-03-01', coveredUntil: t('2031-03-01T07:00:00Z') }]);
    expect(c).toEqual({ rolledDays: [], live: [[t('2031-03-01T00:00:00Z'), t('2031-03-01T06:00:00Z')]] });
  });

  it('reads live the days not rolled up and the part of a day after its rollup ran', () => {
    const c = coverage(t('2031-03-01T00:00:00Z'), t('2031-03-04T00:00:00Z'), [
      { day: '2031-03-01', coveredUntil: t('2031-03-02T00:00:00Z') },
      { day: '2031-03-03', coveredUntil: t('2031-03-03T10:00:00Z') },
    ]);
    expect(c.rolledDays).toEqual(['2031-03-01', '2031-03-03']);
    expect(c.live).toEqual([
      [t('2031-03-02T00:00:00Z'), t('2031-03-03T00:00:00Z')],
      [t('2031-03-03T10:00:00Z'), t('2031-03-04T00:00:00Z')],
    ]);
  });

  it('reads everything live when nothing is rolled up, and nothing live when the rollup covers it all', () => {
    const from = t('2031-03-01T00:00:00Z');
    const to = t('2031-03-02T00:00:00Z');
    expect(coverage(from, to, [])).toEqual({ rolledDays: [], live: [[from, to]] });
    expect(coverage(from, to, [{ day: '2031-03-01', coveredUntil: to }])).toEqual({ rolledDays: ['2031-03-01'], live: [] });
    // A rollup that ran at the very start of its day covers nothing of it.
    expect(coverage(from, to, [{ day: '2031-03-01', coveredUntil: from }])).toEqual({ rolledDays: [], live: [[from, to]] });
  });
});
