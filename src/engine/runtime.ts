/**
 * The engine's internals that supervision nodes use: the registry of live
 * paths, generation counters, the ask registry and the shared counters.
 */

import type { EngineRef } from '../actor/context.js';
import type { Envelope } from '../actor/envelope.js';
import { SendError } from '../errors.js';
import type { Clock, RandomSource } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { ActorNode } from '../supervision/node.js';
import type { AskHandle, SupervisionServices } from '../supervision/services.js';
import { ThreadGroup } from '../threads/thread-group.js';
import { AskRegistry } from './ask.js';
import type { ResolvedEngineConfig } from './config.js';

export class EngineRuntime implements SupervisionServices {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly random: RandomSource;
  readonly engineRef: EngineRef;
  readonly propagateAsyncContext: boolean;
  readonly captureAskStacks: boolean;
  readonly askTimeoutMs: number;
  readonly asks: AskRegistry;
  shuttingDown = false;
  /** The worker threads; `undefined` when the engine runs none. */
  readonly threads: ThreadGroup | undefined;
  deadLetters = 0;
  /** Paths whose stop passed its deadline, in the order reported. */
  readonly abandoned: string[] = [];

  /** Live nodes by canonical path. */
  readonly nodes = new Map<string, ActorNode>();
  private readonly generations = new Map<string, number>();
  private anonymousCounter = 0;

  constructor(config: ResolvedEngineConfig, scheduler: Scheduler, engineRef: EngineRef) {
    this.clock = config.clock;
    this.scheduler = scheduler;
    this.random = config.random;
    this.engineRef = engineRef;
    this.propagateAsyncContext = config.propagateAsyncContext;
    this.captureAskStacks = config.captureAskStacks;
    this.askTimeoutMs = config.askTimeoutMs;
    this.asks = new AskRegistry(config.clock, config.maxPendingAsks);
    this.threads =
      config.threads === 0
        ? undefined
        : ThreadGroup.start({
            threads: config.threads,
            clock: config.clock,
            maxBatchPerTurn: config.maxBatchPerTurn,
            maxBatchPerActor: config.maxBatchPerActor,
            ...(config.threadResourceLimits === undefined ? {} : { resourceLimits: config.threadResourceLimits }),
            ...(config.threadExecArgv === undefined ? {} : { execArgv: config.threadExecArgv }),
            ...(config.threadConnector === undefined ? {} : { connect: config.threadConnector }),
          });
  }

  createAsk(
    path: string,
    generation: number | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    callSite: { stack?: string },
  ): AskHandle {
    return this.asks.create({ path, generation }, timeoutMs, signal, callSite);
  }

  nextGeneration(path: string): number {
    const generation = (this.generations.get(path) ?? 0) + 1;
    this.generations.set(path, generation);
    return generation;
  }

  nextAnonymousId(): number {
    return ++this.anonymousCounter;
  }

  hasNode(path: string): boolean {
    return this.nodes.has(path);
  }

  register(node: ActorNode): void {
    this.nodes.set(node.pathText, node);
  }

  unregister(node: ActorNode): void {
    if (this.nodes.get(node.pathText) === node) this.nodes.delete(node.pathText);
  }

  countDeadLetters(count: number): void {
    this.deadLetters += count;
  }

  reportAbandoned(path: string): void {
    this.abandoned.push(path);
  }

  deliverTo(path: string, generation: number, envelope: Envelope): SendError | undefined {
    const node = this.nodes.get(path);
    if (node?.cell?.addr.generation !== generation) {
      // That exact incarnation is gone and will never come back.
      return new SendError('ActorStopped', { path, generation });
    }
    return node.deliver(envelope);
  }
}
