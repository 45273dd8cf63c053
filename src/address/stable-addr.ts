/**
 * StableAddr: a handle to an actor path that survives restarts. Its
 * supervisor rebinds it after every spawn of the path.
 */

import type { HandlersOf, MessageFor, MessageOf, ReplyFor } from '../actor/define.js';
import type { Headers, Message } from '../actor/envelope.js';
import type { SendError } from '../errors.js';
import type { AddrHash } from './hash.js';

/** Options of a single `send`. */
export interface SendOptions {
  /** Headers carried with the message, such as a W3C `traceparent`. */
  readonly headers?: Headers;
}

/** Options of a single `ask`. */
export interface AskOptions extends SendOptions {
  /** Milliseconds to wait for the reply. @default the engine's `askTimeoutMs` (30000) */
  readonly timeoutMs?: number;
  /** Aborting it rejects the ask with `AskError` kind `Aborted`. */
  readonly signal?: AbortSignal;
}

/** The routing behind a StableAddr, implemented by the supervisor's node for the path. */
export interface Route {
  readonly path: string;
  /** The live incarnation's address, or `undefined` while restarting or after a stop. */
  current(): AddrHash | undefined;
  /** Whether the path has had a live incarnation at least once. */
  wasEverBound(): boolean;
  /** Resolves when the path has a live incarnation, or rejects with `ActorStopped` once stopped for good. */
  whenLive(): Promise<void>;
  send(message: Message, options: SendOptions | undefined): SendError | undefined;
  ask(message: Message, options: AskOptions | undefined): Promise<unknown>;
}

/**
 * A handle to an actor path that outlives incarnations.
 *
 * - While the actor is live, `send` enqueues or returns `MailboxFull`.
 * - Between a crash and the restart, `send` returns `Unroutable` and `ask`
 *   rejects with `AskError` kind `Send` whose cause is that `SendError`.
 * - Once the actor is stopped for good, both report `ActorStopped`.
 *
 * `D` is the actor definition (`StableAddr<typeof Hasher>`), so messages
 * and replies are typed.
 */
export class StableAddr<D = unknown> {
  readonly #route: Route;

  constructor(route: Route) {
    this.#route = route;
  }

  /** The actor's canonical path, e.g. `/user/hasher`. */
  get path(): string {
    return this.#route.path;
  }

  /**
   * Enqueues a message without waiting. Returns `undefined` on success or a
   * `SendError` (`MailboxFull`, `Unroutable`, `ActorStopped`); never throws
   * for a runtime condition.
   */
  send(message: MessageOf<D>, options?: SendOptions): SendError | undefined {
    return this.#route.send(message, options);
  }

  /**
   * Sends a message and waits for the handler's return value.
   * Rejects with an `AskError`: `Timeout`, `Send` (cause: the `SendError`),
   * `NoResponse` (the incarnation ended first), `HandlerFailed` (cause: the
   * thrown value), `RegistryFull` or `Aborted`.
   */
  ask<K extends keyof HandlersOf<D> & string>(
    message: MessageFor<HandlersOf<D>, K>,
    options?: AskOptions,
  ): Promise<ReplyFor<HandlersOf<D>, K>> {
    return this.#route.ask(message, options) as Promise<ReplyFor<HandlersOf<D>, K>>;
  }

  /** Returns the address of the live incarnation, or `undefined` during a restart window and after a stop. */
  current(): AddrHash | undefined {
    return this.#route.current();
  }

  /** Tells whether this path has been bound to a live incarnation at least once. */
  wasEverBound(): boolean {
    return this.#route.wasEverBound();
  }

  /** Resolves when a live incarnation exists; rejects with `SendError` kind `ActorStopped` once stopped for good. */
  whenLive(): Promise<void> {
    return this.#route.whenLive();
  }

  toString(): string {
    return `StableAddr(${this.path})`;
  }
}
