import { Injectable } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { JourneyEventDraft, JourneyEventResult, JourneyService } from '../shipments/journey.service';

/**
 * Grouped writes in flight at once: one being written while the next is read and decided. More slots make
 * smaller groups (each write costs its round trips and its statement overhead again), one slot leaves
 * PostgreSQL idle while Node decides: on 2 cores with 16 connections posting one scan each, 2 slots did best
 * (bench/README.md, "grouped scan writes").
 */
export const MAX_WRITES_IN_FLIGHT = 2;
/**
 * Only requests of up to MAX_EVENTS_TO_GROUP events are grouped, into writes of up to MAX_EVENTS_PER_WRITE. A
 * request that is already a batch pays its round trips over many events and is written alone and at once:
 * grouping batches made each write lock more shipments for longer (4 connections posting 100 events each
 * went from about 8,800 to 5,000 events/s).
 */
export const MAX_EVENTS_PER_WRITE = 64;
export const MAX_EVENTS_TO_GROUP = 8;

interface Pending {
  drafts: JourneyEventDraft[];
  resolve: (results: JourneyEventResult[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Scans from concurrent requests written together ("natural batching"). A request that finds a write slot
 * free is written at once, alone; while every slot is busy, the requests that arrive wait and then go in
 * one write. A carrier posting one scan per request thus pays one read and one guarded write per group,
 * not per scan, and a lone request waits for nothing.
 *
 * Each request keeps its own meaning: requests of different scopes (a carrier's, or one retailer's own) are
 * never mixed; and if a shared write fails for any reason other than a conflict (which the journey retries),
 * each request keeps the answers its events already had (their shipments were written before the failure)
 * and the rest of its events are written again on their own, so one request's failure is never another's. Concurrent requests have no order between them, and the journey decides a
 * group exactly as if its events had arrived one by one in `occurredAt` order.
 */
@Injectable()
export class ScanCoalescer {
  /** Requests waiting for a write slot, by scope (the retailer a retailer's key is limited to, or '' for carriers). */
  private readonly waiting = new Map<string, Pending[]>();
  private inFlight = 0;

  constructor(
    private readonly journey: JourneyService,
    private readonly metrics: MetricsService,
  ) {}

  apply(drafts: JourneyEventDraft[], scope: { retailerId?: string }): Promise<JourneyEventResult[]> {
    if (drafts.length === 0) return Promise.resolve([]);
    if (drafts.length > MAX_EVENTS_TO_GROUP) return this.journey.apply(drafts, scope);
    return new Promise((resolve, reject) => {
      const key = scope.retailerId ?? '';
      const queue = this.waiting.get(key);
      if (queue) queue.push({ drafts, resolve, reject });
      else this.waiting.set(key, [{ drafts, resolve, reject }]);
      this.pump();
    });
  }

  /** Starts writes while slots are free, oldest scope first (a Map iterates in insertion order). */
  private pump(): void {
    while (this.inFlight < MAX_WRITES_IN_FLIGHT && this.waiting.size > 0) {
      const [key, queue] = this.waiting.entries().next().value as [string, Pending[]];
      let events = 0;
      let taken = 0;
      while (taken < queue.length && (taken === 0 || events + queue[taken].drafts.length <= MAX_EVENTS_PER_WRITE)) {
        events += queue[taken].drafts.length;
        taken++;
      }
      const group = queue.splice(0, taken);
      if (queue.length === 0) this.waiting.delete(key);
      this.inFlight++;
      void this.write(key, group).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(key: string, group: Pending[]): Promise<void> {
    const scope = { retailerId: key || undefined };
    this.metrics.scanWriteRequests.observe(group.length);
    if (group.length === 1) {
      await this.journey.apply(group[0].drafts, scope).then(group[0].resolve, group[0].reject);
      return;
    }
    let results: JourneyEventResult[];
    const answered = new Map<JourneyEventDraft, JourneyEventResult>();
    try {
      results = await this.journey.apply(
        group.flatMap((p) => p.drafts),
        scope,
        answered,
      );
    } catch {
      // Whatever failed the shared write belongs to one request at most: let each meet its own outcome.
      await Promise.all(group.map((p) => this.applyUnanswered(p, scope, answered)));
      return;
    }
    let offset = 0;
    for (const p of group) {
      p.resolve(results.slice(offset, offset + p.drafts.length));
      offset += p.drafts.length;
    }
  }

  /** Writes a request's events that a failed shared write left unanswered, alone, and answers the request. */
  private async applyUnanswered(p: Pending, scope: { retailerId?: string }, answered: Map<JourneyEventDraft, JourneyEventResult>) {
    try {
      const rest = p.drafts.filter((d) => !answered.has(d));
      const results = rest.length > 0 ? await this.journey.apply(rest, scope) : [];
      p.resolve(p.drafts.map((d) => answered.get(d) ?? results[rest.indexOf(d)]));
    } catch (error) {
      p.reject(error);
    }
  }
}
