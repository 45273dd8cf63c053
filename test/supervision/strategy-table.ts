/**
 * The supervision rules as data: one row per case. A supervisor starts three
 * Worker children `a`, `b`, `c` in that order with the restart policies of
 * the row; then the `trigger` child ends as the row says. Each row lists the
 * stop events and restart events expected, in the order they must happen,
 * and the children that must end up stopped for good.
 *
 * The rows import nothing at run time, so any runner (real event loop or a
 * simulated scheduler) can replay them.
 */

import type { RestartPolicy, SupervisionStrategy } from '../../src/index.js';

export type ChildName = 'a' | 'b' | 'c';

/** The start order of the children in every row. */
export const childNames: readonly ChildName[] = ['a', 'b', 'c'];

/**
 * How the trigger child ends:
 * - `failed`: a handler throws;
 * - `stopped`: it calls `ctx.stop()` (a normal exit);
 * - `engine-stop`: `engine.stop(path)` stops it on purpose.
 */
export type Ending = 'failed' | 'stopped' | 'engine-stop';

/** A stop event: the child and how its incarnation ended (`killed` = stopped on purpose). */
export type ExpectedStop = readonly [ChildName, 'failed' | 'stopped' | 'killed'];

/** A restart event: the child and its cause (`sibling` = restarted along with the trigger). */
export type ExpectedRestart = readonly [ChildName, 'failed' | 'stopped' | 'sibling'];

export interface StrategyCase {
  readonly name: string;
  readonly strategy: SupervisionStrategy;
  readonly restart: Readonly<Record<ChildName, RestartPolicy>>;
  readonly trigger: ChildName;
  readonly ending: Ending;
  /** Every stop event of a child, in order. */
  readonly stops: readonly ExpectedStop[];
  /** Every restart event of a child, in order. */
  readonly restarts: readonly ExpectedRestart[];
  /** Children whose StableAddr must report `ActorStopped` at the end; the others must be live. */
  readonly stoppedForGood: readonly ChildName[];
}

const allPermanent = { a: 'permanent', b: 'permanent', c: 'permanent' } as const;
const bTransient = { a: 'permanent', b: 'transient', c: 'permanent' } as const;
const bTemporary = { a: 'permanent', b: 'temporary', c: 'permanent' } as const;

export const strategyTable: readonly StrategyCase[] = [
  // one-for-one: only the child that ended is affected.
  {
    name: 'one-for-one permanent failure restarts only that child',
    strategy: 'one-for-one', restart: allPermanent, trigger: 'b', ending: 'failed',
    stops: [['b', 'failed']], restarts: [['b', 'failed']], stoppedForGood: [],
  },
  {
    name: 'one-for-one permanent normal stop restarts only that child',
    strategy: 'one-for-one', restart: allPermanent, trigger: 'b', ending: 'stopped',
    stops: [['b', 'stopped']], restarts: [['b', 'stopped']], stoppedForGood: [],
  },
  {
    name: 'one-for-one transient failure restarts it',
    strategy: 'one-for-one', restart: bTransient, trigger: 'b', ending: 'failed',
    stops: [['b', 'failed']], restarts: [['b', 'failed']], stoppedForGood: [],
  },
  {
    name: 'one-for-one transient normal stop ends it for good',
    strategy: 'one-for-one', restart: bTransient, trigger: 'b', ending: 'stopped',
    stops: [['b', 'stopped']], restarts: [], stoppedForGood: ['b'],
  },
  {
    name: 'one-for-one temporary failure ends it for good',
    strategy: 'one-for-one', restart: bTemporary, trigger: 'b', ending: 'failed',
    stops: [['b', 'failed']], restarts: [], stoppedForGood: ['b'],
  },
  {
    name: 'one-for-one temporary normal stop ends it for good',
    strategy: 'one-for-one', restart: bTemporary, trigger: 'b', ending: 'stopped',
    stops: [['b', 'stopped']], restarts: [], stoppedForGood: ['b'],
  },
  {
    name: 'one-for-one engine.stop of a permanent child never restarts it',
    strategy: 'one-for-one', restart: allPermanent, trigger: 'b', ending: 'engine-stop',
    stops: [['b', 'killed']], restarts: [], stoppedForGood: ['b'],
  },

  // one-for-all: a restart of one child restarts every child.
  {
    name: 'one-for-all failure restarts every child in start order',
    strategy: 'one-for-all', restart: allPermanent, trigger: 'b', ending: 'failed',
    stops: [['b', 'failed'], ['c', 'killed'], ['a', 'killed']],
    restarts: [['a', 'sibling'], ['b', 'failed'], ['c', 'sibling']],
    stoppedForGood: [],
  },
  {
    name: 'one-for-all failure of the first child',
    strategy: 'one-for-all', restart: allPermanent, trigger: 'a', ending: 'failed',
    stops: [['a', 'failed'], ['c', 'killed'], ['b', 'killed']],
    restarts: [['a', 'failed'], ['b', 'sibling'], ['c', 'sibling']],
    stoppedForGood: [],
  },
  {
    name: 'one-for-all permanent normal stop restarts every child',
    strategy: 'one-for-all', restart: allPermanent, trigger: 'b', ending: 'stopped',
    stops: [['b', 'stopped'], ['c', 'killed'], ['a', 'killed']],
    restarts: [['a', 'sibling'], ['b', 'stopped'], ['c', 'sibling']],
    stoppedForGood: [],
  },
  {
    name: 'one-for-all transient normal stop leaves the siblings alone',
    strategy: 'one-for-all', restart: bTransient, trigger: 'b', ending: 'stopped',
    stops: [['b', 'stopped']], restarts: [], stoppedForGood: ['b'],
  },
  {
    name: 'one-for-all temporary failure leaves the siblings alone',
    strategy: 'one-for-all', restart: bTemporary, trigger: 'b', ending: 'failed',
    stops: [['b', 'failed']], restarts: [], stoppedForGood: ['b'],
  },
  {
    name: 'one-for-all engine.stop leaves the siblings alone',
    strategy: 'one-for-all', restart: allPermanent, trigger: 'b', ending: 'engine-stop',
    stops: [['b', 'killed']], restarts: [], stoppedForGood: ['b'],
  },
  {
    name: 'one-for-all stops a temporary sibling for good',
    strategy: 'one-for-all', restart: { a: 'permanent', b: 'permanent', c: 'temporary' }, trigger: 'b', ending: 'failed',
    stops: [['b', 'failed'], ['c', 'killed'], ['a', 'killed']],
    restarts: [['a', 'sibling'], ['b', 'failed']],
    stoppedForGood: ['c'],
  },
  {
    name: 'one-for-all restarts transient siblings it stopped',
    strategy: 'one-for-all', restart: { a: 'transient', b: 'permanent', c: 'transient' }, trigger: 'b', ending: 'failed',
    stops: [['b', 'failed'], ['c', 'killed'], ['a', 'killed']],
    restarts: [['a', 'sibling'], ['b', 'failed'], ['c', 'sibling']],
    stoppedForGood: [],
  },

  // rest-for-one: the child and those started after it.
  {
    name: 'rest-for-one failure restarts it and later children',
    strategy: 'rest-for-one', restart: allPermanent, trigger: 'b', ending: 'failed',
    stops: [['b', 'failed'], ['c', 'killed']],
    restarts: [['b', 'failed'], ['c', 'sibling']],
    stoppedForGood: [],
  },
  {
    name: 'rest-for-one failure of the first child restarts all',
    strategy: 'rest-for-one', restart: allPermanent, trigger: 'a', ending: 'failed',
    stops: [['a', 'failed'], ['c', 'killed'], ['b', 'killed']],
    restarts: [['a', 'failed'], ['b', 'sibling'], ['c', 'sibling']],
    stoppedForGood: [],
  },
  {
    name: 'rest-for-one failure of the last child restarts only it',
    strategy: 'rest-for-one', restart: allPermanent, trigger: 'c', ending: 'failed',
    stops: [['c', 'failed']], restarts: [['c', 'failed']], stoppedForGood: [],
  },
  {
    name: 'rest-for-one permanent normal stop restarts later children',
    strategy: 'rest-for-one', restart: allPermanent, trigger: 'b', ending: 'stopped',
    stops: [['b', 'stopped'], ['c', 'killed']],
    restarts: [['b', 'stopped'], ['c', 'sibling']],
    stoppedForGood: [],
  },
  {
    name: 'rest-for-one transient failure restarts later children',
    strategy: 'rest-for-one', restart: bTransient, trigger: 'b', ending: 'failed',
    stops: [['b', 'failed'], ['c', 'killed']],
    restarts: [['b', 'failed'], ['c', 'sibling']],
    stoppedForGood: [],
  },
  {
    name: 'rest-for-one stops a temporary later sibling for good',
    strategy: 'rest-for-one', restart: { a: 'permanent', b: 'permanent', c: 'temporary' }, trigger: 'b', ending: 'failed',
    stops: [['b', 'failed'], ['c', 'killed']],
    restarts: [['b', 'failed']],
    stoppedForGood: ['c'],
  },
  {
    name: 'rest-for-one leaves earlier siblings alone',
    strategy: 'rest-for-one', restart: allPermanent, trigger: 'c', ending: 'stopped',
    stops: [['c', 'stopped']], restarts: [['c', 'stopped']], stoppedForGood: [],
  },
  {
    name: 'rest-for-one transient normal stop leaves later children alone',
    strategy: 'rest-for-one', restart: bTransient, trigger: 'b', ending: 'stopped',
    stops: [['b', 'stopped']], restarts: [], stoppedForGood: ['b'],
  },
  {
    name: 'rest-for-one engine.stop leaves later children alone',
    strategy: 'rest-for-one', restart: allPermanent, trigger: 'b', ending: 'engine-stop',
    stops: [['b', 'killed']], restarts: [], stoppedForGood: ['b'],
  },
];
