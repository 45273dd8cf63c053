/**
 * Measures the Node.js primitives that rhodium's hot paths call once per
 * message, ask or spawn, so that docs/benchmarks.md can show where a missed
 * target's time goes. Each primitive runs in a loop beside the same loop
 * without it; the printed cost is the difference per operation, the median
 * of several rounds.
 *
 * Usage: node dist/bench/platform-costs.js
 */

import { AsyncResource } from 'node:async_hooks';
import { hashPath } from '../src/index.js';
import { median } from './harness/stats.js';

const operations = 200_000;
const rounds = 9;
let sink = 0;
let lastCallSite: object = {};

function add(a: number, b: number): number {
  return a + b;
}

function noop(): void {
  sink += 0;
}

/** Returns nanoseconds per operation of `body` over `operations` iterations. */
function time(body: (i: number) => void): number {
  const startedAt = performance.now();
  for (let i = 0; i < operations; i++) body(i);
  return ((performance.now() - startedAt) * 1e6) / operations;
}

interface Primitive {
  readonly name: string;
  /** The rhodium operation that calls the primitive. */
  readonly usedFor: string;
  readonly withPrimitive: (i: number) => void;
  readonly without: (i: number) => void;
}

const primitives: Primitive[] = [
  {
    name: 'new AsyncResource() + runInAsyncScope()',
    usedFor: 'each message when propagateAsyncContext is true',
    withPrimitive: () => {
      sink += new AsyncResource('rhodium.message').runInAsyncScope(add, undefined, 1, 2);
    },
    without: () => {
      sink += add(1, 2);
    },
  },
  {
    name: 'Error.captureStackTrace()',
    usedFor: 'each ask when captureAskStacks is true',
    // The stack is captured but never read, as in an ask that succeeds: reading it would format it too.
    withPrimitive: () => {
      const callSite: { stack?: string } = {};
      Error.captureStackTrace(callSite, time);
      lastCallSite = callSite;
    },
    without: () => {
      lastCallSite = {};
    },
  },
  {
    name: 'setTimeout() + clearTimeout()',
    usedFor: 'the timeout of each ask',
    withPrimitive: () => {
      clearTimeout(setTimeout(noop, 30_000));
      sink += 1;
    },
    without: () => {
      sink += 1;
    },
  },
  {
    name: 'hashPath() of a 20-character path',
    usedFor: 'each spawn',
    withPrimitive: (i) => {
      sink += Number(hashPath(`/user/counter:${i}`) & 1n);
    },
    without: (i) => {
      sink += `/user/counter:${i}`.length;
    },
  },
];

process.stdout.write(`Node.js ${process.version}, ${operations.toLocaleString('en-US')} operations, median of ${rounds} rounds\n\n`);
for (const primitive of primitives) {
  const costs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    costs.push(time(primitive.withPrimitive) - time(primitive.without));
  }
  process.stdout.write(`${primitive.name.padEnd(42)} ${median(costs).toFixed(0).padStart(6)} ns  (${primitive.usedFor})\n`);
}
process.stderr.write(`checksum ${sink} ${Object.keys(lastCallSite).length}\n`);
