/**
 * The parts of a supervision table run that do not depend on the scheduler:
 * the supervisor of a row, how its trigger child ends, and the checks of the
 * events and children afterwards. The real-scheduler runner and the
 * simulation runner both use them, so both hold a row to the same checks.
 */

import assert from 'node:assert/strict';
import { SendError, type AnyActorDefinition, type StableAddr } from '../../../src/index.js';
import { childNames, type ChildName, type StrategyCase } from '../strategy-table.js';
import { supervisorOf, type Worker } from './actors.js';
import type { EventRecorder } from './events.js';

export type WorkerAddr = StableAddr<typeof Worker>;

/** The path of the supervisor every row spawns. */
export const supervisorPath = '/user/sup';

export const childPath = (name: ChildName): string => `${supervisorPath}/${name}`;

/** Defines the supervisor of a row, which spawns `a`, `b`, `c` with the row's restart policies. */
export function supervisorFor(row: StrategyCase): AnyActorDefinition {
  return supervisorOf(childNames.map((name) => ({ name, options: { restart: row.restart[name] } })));
}

function nameOf(path: unknown): ChildName {
  const name = String(path).slice(`${supervisorPath}/`.length);
  assert.ok((childNames as readonly string[]).includes(name), `unexpected event path ${String(path)}`);
  return name as ChildName;
}

/**
 * Ends the trigger child of `row` with the row's ending: a `crash` message,
 * a `stopSelf` message, or `stop(target)`, through which the caller awaits
 * `engine.stop`.
 */
export async function endTrigger(row: StrategyCase, target: WorkerAddr, stop: (target: WorkerAddr) => Promise<void>): Promise<void> {
  if (row.ending === 'failed') assert.equal(target.send({ type: 'crash' }), undefined);
  else if (row.ending === 'stopped') assert.equal(target.send({ type: 'stopSelf' }), undefined);
  else await stop(target);
}

/** Returns true when every child is live, or gone from the registry when the row stops it for good. */
export function childrenSettled(row: StrategyCase, lookup: (path: string) => unknown, children: ReadonlyMap<ChildName, WorkerAddr>): boolean {
  const stopped = new Set(row.stoppedForGood);
  return childNames.every((name) => (stopped.has(name) ? lookup(childPath(name)) === undefined : children.get(name)?.current() !== undefined));
}

export interface CaseOutcome {
  /** Recorded `actorStop` and `actorRestart` events from just before the trigger ended. */
  readonly recorder: EventRecorder;
  /** The children's stable addresses, taken before the trigger ended. */
  readonly children: ReadonlyMap<ChildName, WorkerAddr>;
  /** The generation of the supervisor's live incarnation, if any. */
  readonly supervisorGeneration: number | undefined;
  /** Asks one child for its generation (the caller drives the scheduler). */
  readonly ping: (child: WorkerAddr) => Promise<{ generation: number }>;
}

/**
 * Checks the outcome of one row: the stop and restart events in order, the
 * generation of each live child, that the children stopped for good refuse
 * messages with `ActorStopped`, and that the supervisor never restarted.
 */
export async function assertCaseOutcome(row: StrategyCase, outcome: CaseOutcome): Promise<void> {
  const { recorder, children } = outcome;
  const stops = recorder.of('actorStop', `${supervisorPath}/`).map((event) => [nameOf(event.path), event.reason]);
  assert.deepEqual(stops, row.stops, 'stop events in order');
  const restarts = recorder.of('actorRestart', `${supervisorPath}/`).map((event) => [nameOf(event.path), event.cause]);
  assert.deepEqual(restarts, row.restarts, 'restart events in order');

  const stopped = new Set(row.stoppedForGood);
  for (const name of childNames) {
    const addr = children.get(name) as WorkerAddr;
    if (stopped.has(name)) {
      const error = addr.send({ type: 'ping' });
      assert.ok(error instanceof SendError, `${name} refuses messages`);
      assert.equal(error.kind, 'ActorStopped', `${name} is stopped for good`);
      continue;
    }
    const expectedGeneration = 1 + row.restarts.filter(([restarted]) => restarted === name).length;
    const reply = await outcome.ping(addr);
    assert.equal(reply.generation, expectedGeneration, `${name} generation`);
  }

  assert.equal(outcome.supervisorGeneration, 1, 'the supervisor itself never restarts');
}
