// The work of the pool-threads benchmark, in one module that every pool
// imports on its threads: an actor definition for rhodium, and plain
// functions for Piscina and tinypool.
import { createHash } from 'node:crypto';
import { isMainThread } from 'node:worker_threads';
import { defineActor } from '../../src/index.js';

/** Adds two numbers: the tiny task. */
export function add(task: { a: number; b: number }): number {
  return task.a + task.b;
}

/** Returns the hex SHA-256 digest of the bytes. */
export function sha256(task: { bytes: Uint8Array }): string {
  return createHash('sha256').update(task.bytes).digest('hex');
}

export const BenchWorker = defineActor({
  name: 'bench',
  state: () => ({}),
  handlers: {
    add(_state, message: { a: number; b: number }): number {
      return add(message);
    },
    sha256(_state, message: { bytes: Uint8Array }): string {
      return sha256(message);
    },
    crash(): never {
      throw new Error('crash requested by the benchmark');
    },
    exitThread(): void {
      // Only a worker thread may end itself here; on the main thread this would end the benchmark.
      if (!isMainThread) process.exit(3);
    },
  },
});
