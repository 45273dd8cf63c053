/**
 * The services supervision nodes need from the engine that runs them. The
 * engine implements them, so supervision never imports the engine.
 */

import type { EngineRef } from '../actor/context.js';
import type { Envelope, ReplyTarget } from '../actor/envelope.js';
import type { SendError } from '../errors.js';
import type { Clock, RandomSource } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { AddrHash } from '../address/hash.js';
import type { ActorModuleRef } from '../threads/module-ref.js';
import type { RemoteCell, RemoteCellHost } from '../threads/remote-cell.js';

/** The engine's worker threads as supervision uses them; a ThreadGroup implements it. */
export interface ThreadTransport {
  /** Number of thread slots. */
  readonly size: number;
  /** Starts an incarnation on thread `index`, first replacing that thread if it died. */
  spawn(index: number, module: ActorModuleRef, addr: AddrHash, mailboxCapacity: number, host: RemoteCellHost): RemoteCell;
  /**
   * Ends thread `index` at once as a dead thread, so the next spawn there
   * starts a replacement. Every other actor on it fails with `ThreadDiedError`.
   */
  kill(index: number): void;
}

/** A pending ask as the node sees it: a reply target with a promise. */
export interface AskHandle extends ReplyTarget {
  readonly promise: Promise<unknown>;
  /** True once the ask has an outcome, e.g. at creation when the registry is full or the signal was aborted. */
  readonly isSettled: boolean;
  sendFailed(error: SendError): void;
}

/** The node registry, the generation counters and the shared runtime parts. */
export interface SupervisionServices {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly random: RandomSource;
  readonly engineRef: EngineRef;
  /** Whether handlers run in their sender's async context. */
  readonly propagateAsyncContext: boolean;
  /** Whether `ask` captures the caller's stack for its errors. */
  readonly captureAskStacks: boolean;
  readonly askTimeoutMs: number;
  /** True once shutdown began: no spawns and no restarts from then on. */
  readonly shuttingDown: boolean;
  /** The engine's worker threads; `undefined` when it runs none. */
  readonly threads: ThreadTransport | undefined;

  createAsk(path: string, generation: number | undefined, timeoutMs: number, signal: AbortSignal | undefined, callSite: { stack?: string }): AskHandle;
  /** Returns the generation for the next spawn of `path`: 1 on the first spawn, then +1 each time. */
  nextGeneration(path: string): number;
  /** Returns a number for naming an unnamed actor, unique within the engine. */
  nextAnonymousId(): number;
  hasNode(path: string): boolean;
  register(node: RegisteredNode): void;
  unregister(node: RegisteredNode): void;
  /** Counts envelopes that were accepted but will never be handled. */
  countDeadLetters(count: number): void;
  /** Records an actor whose stop passed its deadline. */
  reportAbandoned(path: string): void;
  /** Delivers to an exact incarnation, for `sendAfter` with an `AddrHash` target. */
  deliverTo(path: string, generation: number, envelope: Envelope): SendError | undefined;
}

/** The part of a node the registry needs. */
export interface RegisteredNode {
  readonly pathText: string;
}
