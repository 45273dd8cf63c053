/**
 * The engine: owns the root supervisors `/user` and `/system`, the
 * scheduler and the ask registry, and is the handle users hold.
 */

import type { EngineRef } from '../actor/context.js';
import type { AnyActorDefinition } from '../actor/define.js';
import { ActorPath } from '../address/path.js';
import { StableAddr } from '../address/stable-addr.js';
import { SpawnError } from '../errors.js';
import { channels, publish } from '../introspection/diagnostics.js';
import type { ActorSnapshot, ActorState, EngineSnapshot } from '../introspection/snapshot.js';
import { resolvePoolConfig, workerName, type PoolConfig } from '../pool/config.js';
import { WorkerPool } from '../pool/worker-pool.js';
import { EventLoopScheduler } from '../scheduler/event-loop.js';
import { ActorNode, type ChildDefinition } from '../supervision/node.js';
import { isActorModuleRef, type ActorModuleRef } from '../threads/module-ref.js';
import { placeActor } from '../threads/placement.js';
import { RemoteCell } from '../threads/remote-cell.js';
import { threadAnswerGraceMs } from '../threads/thread-group.js';
import { assertNonNegativeMs, defaultMailboxCapacity, describe, type Placement, type SpawnOptions } from '../supervision/options.js';
import { asyncDispose } from './dispose.js';
import { resolveEngineConfig, type EngineConfig } from './config.js';
import { EngineRuntime } from './runtime.js';

export interface ShutdownOptions {
  /** Deadline for the whole shutdown, in milliseconds. @default the engine's `shutdownTimeoutMs` (30000) */
  readonly timeoutMs?: number;
}

/** The outcome of `shutdown`. */
export interface ShutdownReport {
  /** True when every actor stopped before the deadline and none was abandoned at its own deadline. */
  readonly completed: boolean;
  readonly durationMs: number;
  /**
   * Paths of actors abandoned during this shutdown: their in-flight handler
   * or `onStop` passed their own shutdown policy, or was still running at
   * the shutdown deadline. Each is also published on `rhodium:actor:stop-timeout`.
   */
  readonly abandoned: readonly string[];
  /** Asks still pending at the end, rejected with `NoResponse`. */
  readonly rejectedAsks: number;
  /** Dead letters over the engine's whole life. */
  readonly deadLetters: number;
  /**
   * Indices of worker threads that had not exited when shutdown ended them,
   * such as one whose handler runs `while (true) {}`. Each is also published
   * on `rhodium:thread:stuck`.
   */
  readonly stuckThreads: readonly number[];
}


/** The public surface of a running engine. */
export interface EngineHandle extends EngineRef {
  readonly id: string;
  spawn<D extends AnyActorDefinition>(definition: D | ActorModuleRef<D>, options?: SpawnOptions): StableAddr<D>;
  /** Spawns `size` identical workers `/user/{namePrefix}-{i}` and returns a round-robin pool over them. */
  spawnWorkerPool<D extends AnyActorDefinition>(definition: D | ActorModuleRef<D>, config?: PoolConfig): WorkerPool<D>;
  lookup(path: string | ActorPath): StableAddr | undefined;
  stop(target: StableAddr | string | ActorPath): Promise<void>;
  snapshot(): EngineSnapshot;
  shutdown(options?: ShutdownOptions): Promise<ShutdownReport>;
  [Symbol.asyncDispose](): Promise<void>;
}

type EngineState = 'running' | 'shutting-down' | 'stopped';

/** Each engine's internals, reachable from inside the package only (`runtimeOf`). */
const runtimes = new WeakMap<Engine, EngineRuntime>();

/**
 * Returns the internals of `engine`: its registry of supervision nodes and
 * shared counters. Internal: not exported from the package entry point; for
 * tests and tools that drive supervision nodes directly.
 */
export function runtimeOf(engine: Engine): EngineRuntime {
  const runtime = runtimes.get(engine);
  if (runtime === undefined) throw new TypeError('runtimeOf expects an engine created by Engine.start()');
  return runtime;
}

export class Engine implements EngineHandle {
  readonly id: string;
  readonly #runtime: EngineRuntime;
  readonly #userRoot: ActorNode;
  readonly #systemRoot: ActorNode;
  readonly #startedAt: number;
  readonly #shutdownTimeoutMs: number;
  #state: EngineState = 'running';
  #shutdown: Promise<ShutdownReport> | undefined;

  private constructor(config: EngineConfig | undefined) {
    const resolved = resolveEngineConfig(config);
    const scheduler =
      resolved.scheduler ??
      new EventLoopScheduler({ maxBatchPerTurn: resolved.maxBatchPerTurn, maxBatchPerActor: resolved.maxBatchPerActor });

    this.#runtime = new EngineRuntime(resolved, scheduler, this);
    runtimes.set(this, this.#runtime);
    this.id = resolved.id ?? randomHex(resolved.random, 16);
    this.#startedAt = resolved.clock.now();
    this.#shutdownTimeoutMs = resolved.shutdownTimeoutMs;

    const rootSpec = {
      restart: 'permanent',
      shutdown: { timeoutMs: resolved.shutdownTimeoutMs },
      mailboxCapacity: defaultMailboxCapacity,
      placement: 'local',
      supervision: resolved.supervision,
    } as const;
    this.#userRoot = new ActorNode(this.#runtime, undefined, ActorPath.root('user'), undefined, rootSpec);
    this.#systemRoot = new ActorNode(this.#runtime, undefined, ActorPath.root('system'), undefined, rootSpec);
  }

  /**
   * Starts an engine.
   * @throws TypeError or RangeError naming the option when the config is invalid.
   */
  static start(config?: EngineConfig): Promise<Engine> {
    const engine = new Engine(config);
    publish(channels.engineStart, () => ({ engineId: engine.id }));
    return Promise.resolve(engine);
  }

  /**
   * Spawns a top-level actor under `/user` and returns its StableAddr.
   *
   * `definition` is a definition from `defineActor()`, or a reference from
   * `actorModule(url, exportName)`. A reference runs anywhere: on a worker
   * thread (placement `'auto'` or `{ thread: i }`), which imports the module,
   * or with placement `'local'` on this thread, which imports it first; until
   * the import is done, sends return `Unroutable` as in a restart window.
   * A plain definition runs only with placement `'local'`.
   *
   * @throws TypeError or RangeError naming the option when the options or the placement are invalid.
   */
  spawn<D extends AnyActorDefinition>(definition: D | ActorModuleRef<D>, options?: SpawnOptions): StableAddr<D> {
    return this.#userRoot.spawnChild(definition as ChildDefinition, options, undefined);
  }

  /**
   * Spawns `config.size` identical workers under `/user`, named
   * `{namePrefix}-0` to `{namePrefix}-{size - 1}`, each supervised by the
   * `/user` root like any top-level actor, and returns a `WorkerPool` over
   * their StableAddrs. Spawns nothing when any of those names is taken.
   * @throws TypeError or RangeError naming the option and the value when the config is invalid.
   * @throws SpawnError `NameTaken` when a worker name is in use, `EngineStopped` during shutdown.
   */
  spawnWorkerPool<D extends AnyActorDefinition>(definition: D | ActorModuleRef<D>, config?: PoolConfig): WorkerPool<D> {
    if (!isActorModuleRef(definition) && (typeof definition !== 'object' || definition === null || !('handlerTable' in definition))) {
      throw new TypeError('spawnWorkerPool expects an actor definition created by defineActor() or a reference created by actorModule()');
    }
    const pool = resolvePoolConfig(definition.name, config);

    const names = Array.from({ length: pool.size }, (_, index) => workerName(pool.namePrefix, index));
    const threads = this.#runtime.threads?.size ?? 0;
    // 'spread' puts slot i on thread i mod threads; the check runs before any worker is spawned.
    const placements = names.map((_, poolSlot): Placement =>
      pool.placement === 'spread' ? { thread: placeActor('spread', { pathHash: 0n, threads, poolSlot }) as number } : pool.placement,
    );
    for (const name of names) {
      const path = `/user/${name}`;
      if (this.#runtime.hasNode(path)) {
        const message = `cannot spawn worker pool: ${path} is in use; pick another namePrefix or stop that actor first`;
        throw new SpawnError('NameTaken', message, { path });
      }
    }

    const options = {
      restart: pool.restart,
      shutdown: pool.shutdown,
      mailboxCapacity: pool.mailboxCapacity,
      placement: pool.placement,
    };
    const workers = names.map((name, index) => this.spawn(definition, { ...options, name, placement: placements[index] ?? 'local' }));
    return new WorkerPool(workers, { askTimeoutMs: pool.askTimeoutMs, clock: this.#runtime.clock });
  }

  /** Returns the StableAddr of a live actor, or `undefined` when no actor has that path. */
  lookup(path: string | ActorPath): StableAddr | undefined {
    return this.#runtime.nodes.get(toPathText(path))?.stable;
  }

  /**
   * Stops an actor for good with its shutdown policy; no restart follows.
   * Resolves once it and its children have stopped; resolves at once if no
   * live actor has that path.
   */
  async stop(target: StableAddr | string | ActorPath): Promise<void> {
    const path = target instanceof StableAddr ? target.path : toPathText(target);
    if (path === '/user' || path === '/system') {
      throw new TypeError(`cannot stop the root supervisor ${path}; call engine.shutdown() instead`);
    }
    await this.#runtime.nodes.get(path)?.stopForGood('engine');
  }

  /** Returns a JSON-serialisable picture of the engine and every live actor. */
  snapshot(): EngineSnapshot {
    const actors: ActorSnapshot[] = [];
    for (const node of this.#runtime.nodes.values()) actors.push(snapshotNode(node));
    return {
      engineId: this.id,
      uptimeMs: this.#runtime.clock.now() - this.#startedAt,
      state: this.#state,
      threads: [
        {
          thread: 'main',
          state: this.#state === 'stopped' ? 'terminated' : 'running',
          actors: actors.filter((actor) => actor.thread === 'main').length,
        },
        ...(this.#runtime.threads?.snapshot() ?? []),
      ],
      actors,
      deadLetters: this.#runtime.deadLetters,
      pendingAsks: this.#runtime.asks.size,
    };
  }

  /**
   * Shuts the engine down: stops intake and restarts, stops `/user` then
   * `/system` top-down in reverse start order with each actor's shutdown
   * policy, and at the deadline abandons whatever still runs. Every ask
   * still pending is rejected with `NoResponse`. Calling it again returns
   * the same promise.
   */
  shutdown(options?: ShutdownOptions): Promise<ShutdownReport> {
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new TypeError(`shutdown options must be an object, got ${describe(options)}`);
    }
    const timeoutMs = options?.timeoutMs ?? this.#shutdownTimeoutMs;
    assertNonNegativeMs(timeoutMs, 'shutdown timeoutMs');
    this.#shutdown ??= this.#runShutdown(timeoutMs);
    return this.#shutdown;
  }

  async [asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  async #runShutdown(timeoutMs: number): Promise<ShutdownReport> {
    const runtime = this.#runtime;
    const clock = runtime.clock;
    const startedAt = clock.now();
    const abandonedBefore = runtime.abandoned.length;
    this.#state = 'shutting-down';
    runtime.shuttingDown = true;

    const stopAll = (async () => {
      await this.#userRoot.stopChildren('shutdown');
      await this.#systemRoot.stopChildren('shutdown');
    })();

    let timer: ReturnType<typeof clock.setTimer> | undefined;
    const inTime = await new Promise<boolean>((resolve) => {
      timer = clock.setTimer(() => {
        resolve(false);
      }, timeoutMs);
      void stopAll.then(() => {
        resolve(true);
      });
    });
    if (timer !== undefined) clock.clearTimer(timer);

    if (!inTime) {
      for (const node of [...runtime.nodes.values()]) node.abandon();
    }
    // Even past the deadline, a thread that is not stuck gets the grace to exit, so it is not reported as stuck.
    const remainingMs = Math.max(threadAnswerGraceMs, timeoutMs - (clock.now() - startedAt));
    const threads = await runtime.threads?.terminate({ timeoutMs: remainingMs });
    const rejectedAsks = runtime.asks.rejectAll('the engine shut down');
    this.#state = 'stopped';

    const abandoned = [...new Set(runtime.abandoned.slice(abandonedBefore))];
    const report: ShutdownReport = {
      completed: inTime && abandoned.length === 0 && (threads?.stuck.length ?? 0) === 0,
      durationMs: clock.now() - startedAt,
      abandoned,
      rejectedAsks,
      deadLetters: runtime.deadLetters,
      stuckThreads: threads?.stuck ?? [],
    };
    publish(channels.engineShutdown, () => ({ engineId: this.id, ...report }));
    return report;
  }
}

function toPathText(path: string | ActorPath): string {
  if (path instanceof ActorPath) return path.toString();
  return ActorPath.parse(path).toString();
}

function snapshotNode(node: ActorNode): ActorSnapshot {
  const cell = node.cell;
  let state: ActorState;
  if (node.phase === 'stopped') state = 'stopped';
  else if (cell === undefined) state = 'restarting';
  else if (cell.status === 'starting') state = 'starting';
  else if (cell.status === 'running') state = 'running';
  else state = 'stopping';

  return {
    path: node.path,
    address: cell?.accepting === true ? cell.addr.toString() : undefined,
    generation: cell?.addr.generation ?? node.lastAddr?.generation,
    actor: cell?.definition.name ?? node.definition?.name ?? '',
    state,
    thread: cell instanceof RemoteCell ? cell.thread : 'main',
    mailboxDepth: cell?.mailbox.size ?? 0,
    mailboxCapacity: node.spec.mailboxCapacity,
    restarts: node.restarts,
    messagesHandled: node.handledTotal,
    computeMs: node.computeMsTotal,
    deadLetters: node.deadLetters,
    children: node.children.map((child) => child.path),
  };
}

function randomHex(random: () => number, digits: number): string {
  let text = '';
  for (let i = 0; i < digits; i++) text += Math.floor(random() * 16).toString(16);
  return text;
}
