/**
 * rhodium: a supervised actor runtime for TypeScript on Node.js.
 * This is the one public entry point.
 */

import './engine/dispose.js';

export { defineActor } from './actor/define.js';
export type {
  ActorDefinition,
  ActorSpec,
  AnyActorDefinition,
  HandlersOf,
  MessageFor,
  MessageOf,
  ReplyFor,
  ReplyOf,
} from './actor/define.js';
export type { ActorContext, EngineRef, SendTarget } from './actor/context.js';
export type { Headers, Message } from './actor/envelope.js';
export type { StopReason } from './actor/stop-reason.js';

export { ActorPath } from './address/path.js';
export { AddrHash, hashPath } from './address/hash.js';
export { StableAddr } from './address/stable-addr.js';
export type { AskOptions, SendOptions } from './address/stable-addr.js';

export { actorModule } from './threads/module-ref.js';
export type { ActorModuleRef } from './threads/module-ref.js';
export { ModuleLoadError, ThreadDiedError } from './threads/errors.js';
export type { ThreadDeathKind } from './threads/errors.js';
export { ThreadUnsupportedError } from './threads/thread-context.js';
export type { ThreadUnsupportedFeature } from './threads/thread-context.js';

export { WorkerPool } from './pool/worker-pool.js';
export type { WaitingSendOptions, WorkerPoolOptions } from './pool/worker-pool.js';
export type { PoolConfig, PoolPlacement } from './pool/config.js';

export { Engine } from './engine/engine.js';
export type { EngineHandle, ShutdownOptions, ShutdownReport } from './engine/engine.js';
export type { EngineConfig } from './engine/config.js';

export type {
  Backoff,
  Intensity,
  Placement,
  RestartPolicy,
  ShutdownPolicy,
  SpawnOptions,
  SupervisionOptions,
  SupervisionStrategy,
} from './supervision/options.js';

export {
  AskError,
  EscalationError,
  ErrorCodes,
  RhodiumError,
  SendError,
  SpawnError,
  UnknownMessageError,
} from './errors.js';
export type { AskErrorKind, ErrorCode, SendErrorKind, SpawnErrorKind } from './errors.js';

export { channelNames } from './introspection/diagnostics.js';
export type {
  ActorEvent,
  ActorFailureEvent,
  ActorRestartEvent,
  ActorStopEvent,
  AskTimeoutEvent,
  DeadLetterEvent,
  DeadLetterReason,
  EscalationEvent,
  MailboxFullEvent,
  StopTimeoutEvent,
} from './introspection/diagnostics.js';
export type { ActorSnapshot, ActorState, EngineSnapshot, ThreadSnapshot } from './introspection/snapshot.js';

export type { Clock, RandomSource, TimerHandle } from './scheduler/clock.js';
export type { Runnable, Scheduler } from './scheduler/scheduler.js';
