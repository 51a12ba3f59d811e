import { quietUntil } from './quiet-hours';

const nightly = { days: [1, 2, 3, 4, 5, 6, 7], start: '21:00', end: '08:00', appliesTo: 'all' as const };
const sunday = { days: [7], start: '00:00', end: '00:00', appliesTo: 'all' as const };

describe('quietUntil', () => {
  it.each([
    ['23:00 in Tokyo waits for 08:00 the next morning', '2026-12-01T14:00:00Z', 'Asia/Tokyo', [nightly], '2026-12-01T23:00:00.000Z'],
    ['02:00 in Tokyo waits for 08:00 the same morning', '2026-12-01T17:00:00Z', 'Asia/Tokyo', [nightly], '2026-12-01T23:00:00.000Z'],
    ['noon in Tokyo goes at once', '2026-12-01T03:00:00Z', 'Asia/Tokyo', [nightly], '2026-12-01T03:00:00.000Z'],
    ['exactly 08:00 local goes at once', '2026-12-01T23:00:00Z', 'Asia/Tokyo', [nightly], '2026-12-01T23:00:00.000Z'],
    ['exactly 21:00 local waits', '2026-12-01T12:00:00Z', 'Asia/Tokyo', [nightly], '2026-12-01T23:00:00.000Z'],
    ['a whole-day Sunday rule chains into the nightly one', '2026-12-05T22:00:00Z', 'Europe/Paris', [nightly, sunday], '2026-12-07T07:00:00.000Z'],
    ['the spring-forward night in Paris ends at 08:00 summer time', '2026-03-29T01:30:00Z', 'Europe/Paris', [nightly], '2026-03-29T06:00:00.000Z'],
    ['no windows, no wait', '2026-12-01T14:00:00Z', 'Asia/Tokyo', [], '2026-12-01T14:00:00.000Z'],
  ])('%s', (_name, at, zone, windows, expected) => {
    expect(quietUntil(new Date(at), zone, windows).toISOString()).toBe(expected);
  });
});
