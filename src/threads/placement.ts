/**
 * Placement: which thread an actor runs on.
 */

import { describe } from '../supervision/options.js';

/**
 * Where an actor runs.
 * - `'local'`: on the engine's own thread.
 * - `'auto'`: on thread `pathHash mod threads`, so a path keeps its thread
 *   across restarts and every process computes the same one.
 * - `{ thread: i }`: on thread `i`, counted from 0.
 * - `'spread'` (pools only): worker slot `i` on thread `i mod threads`.
 */
export type ThreadPlacement = 'local' | 'auto' | { readonly thread: number } | 'spread';

/** The outcome of placement: the engine's own thread or a thread index. */
export type PlacedOn = 'local' | number;

export interface PlacementInput {
  /** Stable hash of the actor's canonical path. */
  readonly pathHash: bigint;
  /** Number of worker threads the engine runs; 0 when it runs none. */
  readonly threads: number;
  /** Index of the worker in its pool; `undefined` outside a pool. */
  readonly poolSlot?: number | undefined;
}

/**
 * Computes the thread for `placement`.
 *
 * @throws TypeError for an unknown placement or `'spread'` outside a pool.
 * @throws RangeError when the placement needs threads the engine does not
 *   run, naming the placement and the thread count.
 */
export function placeActor(placement: ThreadPlacement, input: PlacementInput): PlacedOn {
  if (placement === 'local') return 'local';

  if (placement === 'auto') {
    requireThreads(input.threads, "'auto'");
    return Number(input.pathHash % BigInt(input.threads));
  }

  if (placement === 'spread') {
    if (input.poolSlot === undefined) {
      throw new TypeError("placement 'spread' applies to worker pools only; use 'auto' or { thread: i } for a single actor");
    }
    requireThreads(input.threads, "'spread'");
    return input.poolSlot % input.threads;
  }

  if (typeof placement === 'object' && placement !== null && 'thread' in placement) {
    const index = placement.thread;
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
      throw new RangeError(`placement.thread must be an integer >= 0, got ${describe(index)}`);
    }
    requireThreads(input.threads, `{ thread: ${index} }`);
    if (index >= input.threads) {
      throw new RangeError(
        `placement { thread: ${index} } names no thread: the engine runs ${input.threads} threads, numbered 0 to ${input.threads - 1}`,
      );
    }
    return index;
  }

  throw new TypeError(`placement must be 'local', 'auto', 'spread' or { thread: i }, got ${describe(placement)}`);
}

function requireThreads(threads: number, placement: string): void {
  if (threads > 0) return;
  throw new RangeError(`placement ${placement} needs worker threads, but the engine runs none; start it with { threads: n }`);
}
