/**
 * The bare thread-pool baseline: one `Worker` per thread, requests handed
 * out round robin with an id, replies matched by id. It has no task queue
 * of its own, no load balancing, no error handling and no abort, so it is
 * the physical limit of `postMessage` between threads.
 */

import { Worker } from 'node:worker_threads';
import type { BareRequest, BareResponse } from '../workers/bare-worker.js';

type Request = BareRequest extends infer R ? (R extends BareRequest ? Omit<R, 'id'> : never) : never;

export class BareThreadPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, (result: unknown) => void>();
  private nextId = 0;
  private nextWorker = 0;

  private constructor(workers: Worker[]) {
    this.workers = workers;
    for (const worker of workers) {
      worker.on('message', (response: BareResponse) => {
        const resolve = this.pending.get(response.id);
        this.pending.delete(response.id);
        resolve?.(response.result);
      });
    }
  }

  /** Starts `size` workers and resolves once every one is online. */
  static async start(size: number): Promise<BareThreadPool> {
    const entry = new URL('../workers/bare-worker.js', import.meta.url);
    const workers = Array.from({ length: size }, () => new Worker(entry));
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('online', resolve))));
    return new BareThreadPool(workers);
  }

  run(request: Request): Promise<unknown> {
    const id = this.nextId++;
    const worker = this.workers[this.nextWorker] as Worker;
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
