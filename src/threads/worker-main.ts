/**
 * The entry point of every rhodium worker thread. The main thread's
 * ThreadGroup starts it with `new Worker()`; it is not meant to be
 * imported.
 */

import { parentPort, workerData } from 'node:worker_threads';
import type { Batch, MainOp, ThreadBootData } from './protocol.js';
import { ThreadHost } from './thread-host.js';

if (parentPort === null) {
  throw new Error('rhodium worker-main runs only as the entry point of a worker thread started by a ThreadGroup');
}
const port = parentPort;

const host = new ThreadHost(port, workerData as ThreadBootData, () => {
  // Ends this thread only, even if actors left timers or handles behind.
  process.exit(0);
});
port.on('message', (batch: Batch<MainOp>) => {
  host.receive(batch);
});
// A lost batch leaves the main thread's records of this thread's mailboxes wrong, so the thread
// ends, and the main thread fails its actors with the error as the cause.
port.on('messageerror', (error: unknown) => {
  throw error;
});
