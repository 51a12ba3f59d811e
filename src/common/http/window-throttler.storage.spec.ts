import { WindowThrottlerStorage } from './window-throttler.storage';

const MINUTE = 60_000;
const T0 = 1_700_000_000_000;

describe('WindowThrottlerStorage', () => {
  it('allows exactly the limit within a window, then blocks with the seconds left', () => {
    const storage = new WindowThrottlerStorage();
    for (let i = 0; i < 3; i++) expect(storage.hit('k', MINUTE, 3, MINUTE, T0 + i).isBlocked).toBe(false);
    const over = storage.hit('k', MINUTE, 3, MINUTE, T0 + 10_000);
    expect(over).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
  });

  it('keeps counting each key on its own', () => {
    const storage = new WindowThrottlerStorage();
    for (let i = 0; i < 3; i++) storage.hit('a', MINUTE, 3, MINUTE, T0);
    expect(storage.hit('a', MINUTE, 3, MINUTE, T0).isBlocked).toBe(true);
    expect(storage.hit('b', MINUTE, 3, MINUTE, T0).isBlocked).toBe(false);
  });

  it('lets traffic through again once the block has run out', () => {
    const storage = new WindowThrottlerStorage();
    for (let i = 0; i < 4; i++) storage.hit('k', MINUTE, 3, MINUTE, T0);
    expect(storage.hit('k', MINUTE, 3, MINUTE, T0 + MINUTE - 1).isBlocked).toBe(true);
    expect(storage.hit('k', MINUTE, 3, MINUTE, T0 + 2 * MINUTE + 1).isBlocked).toBe(false);
  });

  it('weighs the previous window by its overlap, so a burst at a window edge is not doubled', () => {
    const storage = new WindowThrottlerStorage();
    for (let i = 0; i < 10; i++) storage.hit('k', MINUTE, 10, 0, T0 + 50_000);
    // Just after the window turns over, nearly all of the previous 10 hits still count.
    expect(storage.hit('k', MINUTE, 10, 0, T0 + MINUTE + 1_000).isBlocked).toBe(true);
  });

  it('reports the hits counted in the window so far, including this one', () => {
    const storage = new WindowThrottlerStorage();
    for (let i = 0; i < 50_000; i++) storage.hit('k', MINUTE, 1_000_000, MINUTE, T0 + i / 10);
    expect(storage.hit('k', MINUTE, 1_000_000, MINUTE, T0 + 5_000)).toMatchObject({ isBlocked: false, totalHits: 50_001 });
  });
});
