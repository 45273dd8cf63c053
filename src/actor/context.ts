/**
 * ActorContext: what a handler can see and do besides its state and message.
 */

import type { AddrHash } from '../address/hash.js';
import type { ActorPath } from '../address/path.js';
import type { StableAddr } from '../address/stable-addr.js';
import type { SendError } from '../errors.js';
import type { SpawnOptions } from '../supervision/options.js';
import type { AnyActorDefinition } from './define.js';
import type { Headers, Message } from './envelope.js';

/** The subset of the engine handle that handlers reach through `ctx.engine`. */
export interface EngineRef {
  /** Spawns a top-level actor under `/user`. */
  spawn<D extends AnyActorDefinition>(definition: D, options?: SpawnOptions): StableAddr<D>;
  /** Returns the StableAddr of a live actor path, or `undefined`. */
  lookup(path: string | ActorPath): StableAddr | undefined;
  /** Stops an actor for good, with its shutdown policy; no restart follows. */
  stop(target: StableAddr | string | ActorPath): Promise<void>;
}

/** The target of `sendAfter`: a StableAddr, or one exact incarnation by its address. */
export type SendTarget = StableAddr | AddrHash;

export interface ActorContext {
  /** This actor's path. */
  readonly path: ActorPath;
  /** The address of this incarnation. */
  readonly addr: AddrHash;
  /** A StableAddr of this actor, valid across its restarts. */
  readonly self: StableAddr;
  /** The engine that runs this actor. */
  readonly engine: EngineRef;
  /** Aborted when this incarnation starts to stop, for any reason. */
  readonly signal: AbortSignal;
  /**
   * Headers sent with the message being handled (such as a W3C
   * `traceparent`), or `undefined` when the sender set none or outside a
   * handler.
   */
  readonly headers: Headers | undefined;
  /**
   * Spawns a child that this actor supervises, under this actor's path.
   * Children belong to this incarnation: they are stopped before it ends.
   */
  spawn<D extends AnyActorDefinition>(definition: D, options?: SpawnOptions): StableAddr<D>;
  /** Stops this incarnation normally once the current handler returns. */
  stop(): void;
  /**
   * Sends `message` to `target` after `delayMs`. Returns a function that
   * cancels it. Pending sends are cancelled when this incarnation ends, and
   * a send that fails when the timer fires is counted as a dead letter.
   */
  sendAfter(delayMs: number, target: SendTarget, message: Message): () => void;
}

/** The outcome of a timed send, for callers that track it. */
export type SendOutcome = SendError | undefined;
