/**
 * The worker of the bare thread pool: runs the task named in each request
 * and posts `{ id, result }` back. No queue, no errors, no lifecycle: the
 * least a worker thread can do.
 */

import { parentPort } from 'node:worker_threads';
import { add, sha256, type AddTask } from './tasks.js';

export type BareRequest =
  | { readonly id: number; readonly name: 'add'; readonly payload: AddTask }
  | { readonly id: number; readonly name: 'sha256'; readonly payload: Uint8Array };

export interface BareResponse {
  readonly id: number;
  readonly result: unknown;
}

const port = parentPort;
if (port !== null) {
  port.on('message', (request: BareRequest) => {
    const result = request.name === 'add' ? add(request.payload) : sha256(request.payload);
    port.postMessage({ id: request.id, result } satisfies BareResponse);
  });
}
