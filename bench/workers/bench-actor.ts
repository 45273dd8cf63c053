/**
 * The actor that rhodium's pools and restart scenarios run on worker
 * threads, loaded there through `actorModule`. It runs the same task
 * functions as the peer pools, and two fault handlers for the restart
 * windows.
 */

import { isMainThread } from 'node:worker_threads';
import { defineActor } from '../../src/index.js';
import { add, sha256, type AddTask } from './tasks.js';

export const BenchActor = defineActor({
  name: 'bench',
  state: () => ({}),
  handlers: {
    add(_state, message: AddTask): number {
      return add(message);
    },
    sha256(_state, message: { bytes: Uint8Array }): string {
      return sha256(message.bytes);
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
