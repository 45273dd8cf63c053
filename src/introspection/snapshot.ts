/**
 * The introspection snapshot: a plain, JSON-serialisable picture of an
 * engine and every actor in it at one moment.
 */

/** Where an actor is in its life, as the snapshot reports it. */
export type ActorState = 'starting' | 'running' | 'stopping' | 'restarting' | 'stopped';

export interface ActorSnapshot {
  readonly path: string;
  /** The live incarnation's address (`path#generation@hash`), or `undefined` between incarnations. */
  readonly address: string | undefined;
  readonly generation: number | undefined;
  readonly actor: string;
  readonly state: ActorState;
  /** `'main'` for actors on the engine's own thread. */
  readonly thread: 'main' | number;
  readonly mailboxDepth: number;
  readonly mailboxCapacity: number;
  /** Restarts of this path in its whole life. */
  readonly restarts: number;
  /** Messages handled by every incarnation of this path. */
  readonly messagesHandled: number;
  /** Milliseconds of synchronous handler time across every incarnation. */
  readonly computeMs: number;
  /** Messages accepted into this path's mailboxes and never handled. */
  readonly deadLetters: number;
  /** Paths of the children of the live incarnation, in start order. */
  readonly children: readonly string[];
}

export interface ThreadSnapshot {
  readonly thread: 'main' | number;
  readonly state: 'running' | 'dead' | 'terminated';
  readonly actors: number;
}

export interface EngineSnapshot {
  readonly engineId: string;
  readonly uptimeMs: number;
  readonly state: 'running' | 'shutting-down' | 'stopped';
  readonly threads: readonly ThreadSnapshot[];
  readonly actors: readonly ActorSnapshot[];
  /** Dead letters across the engine, including sends from `sendAfter` that failed. */
  readonly deadLetters: number;
  readonly pendingAsks: number;
}
