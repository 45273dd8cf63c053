/**
 * Envelopes: what a mailbox holds. A message plus where its reply goes, the
 * sender's async context and optional headers.
 */

import type { AsyncResource } from 'node:async_hooks';

/** A message as it travels: a plain object whose `type` names a handler. */
export interface Message {
  readonly type: string;
}

/** Small string map carried with a message, for trace context such as W3C `traceparent`. */
export type Headers = Readonly<Record<string, string>>;

/** Where the outcome of an asked message goes. Implemented by the ask registry. */
export interface ReplyTarget {
  /** Settles the ask with the handler's return value. */
  resolve(value: unknown): void;
  /** Settles the ask because its handler threw or rejected with `cause`. */
  handlerFailed(cause: unknown): void;
  /** Settles the ask because the incarnation ended before handling it. */
  noResponse(reason: string): void;
}

export interface Envelope {
  readonly message: Message;
  readonly reply: ReplyTarget | undefined;
  /** The sender's async context, entered while the handler runs; absent when propagation is off. */
  readonly context: AsyncResource | undefined;
  readonly headers: Headers | undefined;
}
