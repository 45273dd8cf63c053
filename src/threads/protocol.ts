/**
 * The wire protocol between the main thread and a worker thread.
 *
 * Each side sends batches: one `postMessage` carries every operation
 * produced in one turn, in order. Operations address actors by a cell id
 * that the main thread assigns, unique within a thread group.
 */

import type { Headers, Message } from '../actor/envelope.js';
import type { EncodedError } from './error-codec.js';

/** The stop reason of an incarnation, with its error encoded. */
export type EncodedStopReason =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'killed'; readonly by: 'engine' | 'shutdown' | 'supervisor' | 'parent' }
  | { readonly kind: 'failed'; readonly error: EncodedError };

/** Operations the main thread sends to a worker thread. */
export type MainOp =
  | {
      readonly op: 'spawn';
      readonly cell: number;
      readonly url: string;
      readonly exportName: string;
      readonly path: string;
      readonly pathHash: bigint;
      readonly generation: number;
      readonly mailboxCapacity: number;
    }
  | {
      readonly op: 'deliver';
      readonly cell: number;
      readonly message: Message;
      readonly headers: Headers | undefined;
      /** Correlation id of the ask, or 0 for a plain send. */
      readonly ask: number;
    }
  | { readonly op: 'close'; readonly cell: number }
  | { readonly op: 'take-in-flight'; readonly cell: number }
  | { readonly op: 'run-on-stop'; readonly cell: number; readonly reason: EncodedStopReason }
  | { readonly op: 'abandon'; readonly cell: number }
  | { readonly op: 'shutdown' };

/** Where a cell's mailbox stands, as the thread last saw it. */
export interface CellProgress {
  readonly cell: number;
  /** Envelopes taken out of the mailbox so far: handled, or being handled. */
  readonly dequeued: number;
  readonly handled: number;
  readonly computeMs: number;
  /** Whether a handler or `onStart` is in flight. */
  readonly busy: boolean;
  /** Whether the envelope dequeued last is still being handled by an async handler. */
  readonly inFlight: boolean;
}

/** Operations a worker thread sends to the main thread. */
export type ThreadOp =
  | ({ readonly op: 'progress' } & CellProgress)
  | { readonly op: 'started'; readonly cell: number; readonly actor: string }
  | ({ readonly op: 'failed'; readonly error: EncodedError } & CellProgress)
  | ({ readonly op: 'stop-requested' } & CellProgress)
  | ({ readonly op: 'closed' } & CellProgress)
  | { readonly op: 'idle'; readonly cell: number }
  | { readonly op: 'on-stop-done'; readonly cell: number; readonly error: EncodedError | undefined }
  | { readonly op: 'resolve'; readonly cell: number; readonly ask: number; readonly value: unknown }
  | { readonly op: 'handler-failed'; readonly cell: number; readonly ask: number; readonly error: EncodedError };

/** One `postMessage` payload. */
export interface Batch<Op> {
  readonly ops: readonly Op[];
}

/** What the main thread passes as `workerData`. */
export interface ThreadBootData {
  readonly thread: number;
  readonly maxBatchPerTurn: number;
  readonly maxBatchPerActor: number;
}
