import { MetricsService } from '../metrics/metrics.service';
import { JourneyEventDraft, JourneyEventResult, JourneyService } from '../shipments/journey.service';
import { MAX_EVENTS_PER_WRITE, MAX_EVENTS_TO_GROUP, MAX_WRITES_IN_FLIGHT, ScanCoalescer } from './scan.coalescer';

/** A journey whose writes finish only when the test says so; each call is recorded with its drafts and scope. */
class HeldJourney {
  readonly calls: {
    drafts: JourneyEventDraft[];
    scope: { retailerId?: string };
    finish: () => void;
    fail: (error: Error) => void;
    /** Answers some drafts, as a write that stored their shipments before failing would have. */
    answer: (drafts: JourneyEventDraft[]) => void;
  }[] = [];
  /** Drafts whose write fails, whichever group they are in. */
  readonly poisoned = new Set<JourneyEventDraft>();

  apply(drafts: JourneyEventDraft[], scope: { retailerId?: string }, answered = new Map<JourneyEventDraft, JourneyEventResult>()): Promise<JourneyEventResult[]> {
    return new Promise((resolve, reject) => {
      const result = (d: JourneyEventDraft) => ({ result: 'applied', late: false, status: 'collected', statusBefore: d.externalEventId }) as JourneyEventResult;
      this.calls.push({
        drafts,
        scope,
        finish: () => (drafts.some((d) => this.poisoned.has(d)) ? reject(new Error('bad row')) : resolve(drafts.map(result))),
        fail: reject,
        answer: (some) => some.forEach((d) => answered.set(d, result(d))),
      });
    });
  }
}

const draft = (id: string): JourneyEventDraft =>
  ({ trackingNumber: `PSG${id}`, source: 'dhl', externalEventId: id, code: 'COLLECTED', occurredAt: new Date(0) }) as JourneyEventDraft;
const drafts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => draft(`${prefix}${i}`));
const idsOf = (results: JourneyEventResult[]) => results.map((r) => (r as { statusBefore: string }).statusBefore);
const flush = () => new Promise((resolve) => setImmediate(resolve));

function newCoalescer() {
  const journey = new HeldJourney();
  const sut = new ScanCoalescer(journey as unknown as JourneyService, new MetricsService());
  return { sut, journey };
}

/** Fills every write slot with a lone request, so that what comes next has to wait. */
function fillSlots(sut: ScanCoalescer) {
  return Array.from({ length: MAX_WRITES_IN_FLIGHT }, (_, i) => sut.apply([draft(`busy${i}`)], {}));
}

describe('ScanCoalescer', () => {
  it('writes a lone request at once, on its own', async () => {
    const { sut, journey } = newCoalescer();
    const result = sut.apply([draft('a')], {});
    expect(journey.calls).toHaveLength(1);
    journey.calls[0].finish();
    await expect(result.then(idsOf)).resolves.toEqual(['a']);
  });

  it('writes the requests that waited for a busy slot together, and gives each its own results in order', async () => {
    const { sut, journey } = newCoalescer();
    const busy = fillSlots(sut);
    const waiting = [sut.apply([draft('a')], {}), sut.apply([draft('b'), draft('c')], {}), sut.apply([draft('d')], {})];
    expect(journey.calls).toHaveLength(MAX_WRITES_IN_FLIGHT);

    journey.calls[0].finish();
    await flush();
    expect(journey.calls).toHaveLength(MAX_WRITES_IN_FLIGHT + 1);
    expect(journey.calls[MAX_WRITES_IN_FLIGHT].drafts.map((d) => d.externalEventId)).toEqual(['a', 'b', 'c', 'd']);
    journey.calls[MAX_WRITES_IN_FLIGHT].finish();
    await expect(Promise.all(waiting.map((w) => w.then(idsOf)))).resolves.toEqual([['a'], ['b', 'c'], ['d']]);
    for (const call of journey.calls.slice(1, MAX_WRITES_IN_FLIGHT)) call.finish();
    await expect(Promise.all(busy)).resolves.toHaveLength(MAX_WRITES_IN_FLIGHT);
  });

  it('never writes requests of different scopes together', async () => {
    const { sut, journey } = newCoalescer();
    fillSlots(sut);
    const carrier = sut.apply([draft('c1')], {});
    const retailerA = [sut.apply([draft('a1')], { retailerId: 'ra' }), sut.apply([draft('a2')], { retailerId: 'ra' })];
    const retailerB = sut.apply([draft('b1')], { retailerId: 'rb' });
    // Finish writes in the order they started until all three waiting scopes have had theirs.
    for (let i = 0; journey.calls.length < MAX_WRITES_IN_FLIGHT + 3; i++) {
      journey.calls[i].finish();
      await flush();
    }
    for (const call of journey.calls.slice(MAX_WRITES_IN_FLIGHT)) call.finish();
    const groups = journey.calls.slice(MAX_WRITES_IN_FLIGHT).map((c) => [c.scope.retailerId ?? '', c.drafts.map((d) => d.externalEventId)]);
    expect(groups).toEqual([
      ['', ['c1']],
      ['ra', ['a1', 'a2']],
      ['rb', ['b1']],
    ]);
    await expect(Promise.all([carrier, ...retailerA, retailerB].map((p) => p.then(idsOf)))).resolves.toEqual([['c1'], ['a1'], ['a2'], ['b1']]);
  });

  it('writes a request that is already a batch alone and at once, even while every slot is busy', async () => {
    const { sut, journey } = newCoalescer();
    fillSlots(sut);
    const batch = drafts('x', MAX_EVENTS_TO_GROUP + 1);
    const result = sut.apply(batch, {});
    expect(journey.calls).toHaveLength(MAX_WRITES_IN_FLIGHT + 1);
    expect(journey.calls[MAX_WRITES_IN_FLIGHT].drafts).toBe(batch);
    journey.calls[MAX_WRITES_IN_FLIGHT].finish();
    await expect(result.then((r) => r.length)).resolves.toBe(MAX_EVENTS_TO_GROUP + 1);
  });

  it(`puts no more than ${MAX_EVENTS_PER_WRITE} events in one write`, async () => {
    const { sut, journey } = newCoalescer();
    fillSlots(sut);
    const count = Math.ceil((MAX_EVENTS_PER_WRITE + 1) / MAX_EVENTS_TO_GROUP);
    const waiting = Array.from({ length: count }, (_, i) => sut.apply(drafts(`r${i}-`, MAX_EVENTS_TO_GROUP), {}));
    journey.calls[0].finish();
    await flush();
    const group = journey.calls[MAX_WRITES_IN_FLIGHT];
    expect(group.drafts.length).toBeLessThanOrEqual(MAX_EVENTS_PER_WRITE);
    expect(group.drafts.length).toBe(Math.floor(MAX_EVENTS_PER_WRITE / MAX_EVENTS_TO_GROUP) * MAX_EVENTS_TO_GROUP);
    group.finish();
    await flush();
    const rest = journey.calls[MAX_WRITES_IN_FLIGHT + 1];
    expect(rest.drafts).toHaveLength(count * MAX_EVENTS_TO_GROUP - group.drafts.length);
    rest.finish();
    await expect(Promise.all(waiting)).resolves.toHaveLength(count);
  });

  it('writes each request of a failed group again on its own, so one request fails alone', async () => {
    const { sut, journey } = newCoalescer();
    fillSlots(sut);
    const bad = draft('bad');
    journey.poisoned.add(bad);
    const good = sut.apply([draft('good')], {});
    const failing = sut.apply([bad], {});
    const alsoGood = sut.apply([draft('fine'), draft('fine2')], {});
    journey.calls[0].finish();
    await flush();
    const group = journey.calls[MAX_WRITES_IN_FLIGHT];
    expect(group.drafts).toHaveLength(4);
    group.finish();
    await flush();
    const alone = journey.calls.slice(MAX_WRITES_IN_FLIGHT + 1);
    expect(alone.map((c) => c.drafts.map((d) => d.externalEventId))).toEqual([['good'], ['bad'], ['fine', 'fine2']]);
    for (const call of alone) call.finish();
    await expect(good.then(idsOf)).resolves.toEqual(['good']);
    await expect(failing).rejects.toThrow('bad row');
    await expect(alsoGood.then(idsOf)).resolves.toEqual(['fine', 'fine2']);
  });
  it('keeps the answers a failed group already gave, and writes only the rest of each request again', async () => {
    const { sut, journey } = newCoalescer();
    fillSlots(sut);
    const answeredAlready = sut.apply([draft('stored')], {});
    const half = sut.apply([draft('half1'), draft('half2')], {});
    const unanswered = sut.apply([draft('left')], {});
    journey.calls[0].finish();
    await flush();
    const group = journey.calls[MAX_WRITES_IN_FLIGHT];
    expect(group.drafts.map((d) => d.externalEventId)).toEqual(['stored', 'half1', 'half2', 'left']);
    group.answer(group.drafts.slice(0, 2));
    group.fail(new Error('connection lost'));
    await flush();
    const again = journey.calls.slice(MAX_WRITES_IN_FLIGHT + 1);
    expect(again.map((c) => c.drafts.map((d) => d.externalEventId))).toEqual([['half2'], ['left']]);
    for (const call of again) call.finish();
    await expect(answeredAlready.then(idsOf)).resolves.toEqual(['stored']);
    await expect(half.then(idsOf)).resolves.toEqual(['half1', 'half2']);
    await expect(unanswered.then(idsOf)).resolves.toEqual(['left']);
  });
});
