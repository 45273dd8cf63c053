/**
 * What supervision nodes need from the engine that runs them. The engine
 * implements it, so supervision never imports the engine.
 */

import type { EngineRef } from '../actor/context.js';
import type { Envelope, ReplyTarget } from '../actor/envelope.js';
import type { SendError } from '../errors.js';
import type { Clock, RandomSource } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';

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
