'use strict';
/**
 * node bench/stall-probe.js [seconds] — how often this machine stops a running thread. One thread spins for
 * `seconds` (10) and records every gap between two of its turns; on a quiet machine gaps stay in microseconds,
 * so gaps of tens of milliseconds are the machine (a virtual CPU descheduled by its host), not the code under
 * test. Run it on an idle machine before reading a latency percentile.
 */
const { performance } = require('node:perf_hooks');

const seconds = Number(process.argv[2] ?? 10);
// Preallocated: a growing array would itself stop the thread (copies, garbage collection) and be measured.
const all = new Float64Array(seconds * 2_000_000);
let n = 0;
let last = performance.now();
const end = last + seconds * 1000;

function turn() {
  const now = performance.now();
  if (n < all.length) all[n++] = now - last;
  last = now;
  if (now < end) return setImmediate(turn);
  const gaps = all.subarray(0, n).sort();
  const at = (q) => gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * q))].toFixed(3);
  const over = (ms) => gaps.filter((g) => g > ms).length;
  console.log(
    `${seconds} s, ${gaps.length} turns: gap p50 ${at(0.5)} ms, p99.99 ${at(0.9999)} ms, max ${gaps[gaps.length - 1].toFixed(1)} ms; ` +
      `stalls over 10 ms: ${over(10)}, over 50 ms: ${over(50)}`,
  );
}
turn();
