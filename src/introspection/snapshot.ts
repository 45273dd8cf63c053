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

/** One thread: the engine's own (`'main'`) or a worker thread by index. */
export interface ThreadSnapshot {
  readonly thread: 'main' | number;
  readonly state: 'running' | 'dead' | 'terminated';
  /** Live actors on the thread. */
  readonly actors: number;
  /** Worker threads only: the Node.js `threadId` of the thread now at this index. */
  readonly threadId?: number;
  /** Worker threads only: threads that held this index before and died. */
  readonly replacements?: number;
  /** Worker threads only: incarnations started on the current thread of this index. */
  readonly actorsStarted?: number;
  /** Worker threads only: `postMessage` batches sent to the thread, and the operations in them. */
  readonly batchesSent?: number;
  readonly opsSent?: number;
  /** Worker threads only: batches received from the thread, and the operations in them. */
  readonly batchesReceived?: number;
  readonly opsReceived?: number;
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
