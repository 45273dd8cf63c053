/**
 * The tasks every thread pool runs, as named exports: piscina and tinypool
 * import this module in their workers and call an export by name, and the
 * workerpool and bare workers call the same functions.
 */

import { createHash } from 'node:crypto';

export interface AddTask {
  readonly a: number;
  readonly b: number;
}

/** The tiny task: the cost of the pool itself dominates. */
export function add(task: AddTask): number {
  return task.a + task.b;
}

/** A small real task: SHA-256 of the bytes, as lowercase hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
