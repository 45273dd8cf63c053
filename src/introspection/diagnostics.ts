/**
 * Diagnostics channels, named `rhodium:<area>:<event>`. Publishing costs
 * nothing without subscribers: every publisher checks `hasSubscribers`
 * before it builds a payload. `NODE_DEBUG=rhodium` subscribes a printer.
 */

import diagnosticsChannel from 'node:diagnostics_channel';
import { debuglog } from 'node:util';

/** The channels rhodium publishes on, by event. */
export const channels = {
  actorStart: diagnosticsChannel.channel('rhodium:actor:start'),
  actorStop: diagnosticsChannel.channel('rhodium:actor:stop'),
  actorFailure: diagnosticsChannel.channel('rhodium:actor:failure'),
  actorRestart: diagnosticsChannel.channel('rhodium:actor:restart'),
  stopTimeout: diagnosticsChannel.channel('rhodium:actor:stop-timeout'),
  escalation: diagnosticsChannel.channel('rhodium:supervisor:escalation'),
  mailboxFull: diagnosticsChannel.channel('rhodium:mailbox:full'),
  deadLetter: diagnosticsChannel.channel('rhodium:mailbox:dead-letter'),
  askTimeout: diagnosticsChannel.channel('rhodium:ask:timeout'),
  engineStart: diagnosticsChannel.channel('rhodium:engine:start'),
  engineShutdown: diagnosticsChannel.channel('rhodium:engine:shutdown'),
} as const;

/** Channel names, for subscribers: `diagnostics_channel.subscribe(channelNames.actorRestart, …)`. */
export const channelNames = Object.freeze(
  Object.fromEntries(Object.entries(channels).map(([key, channel]) => [key, String(channel.name)])) as Record<
    keyof typeof channels,
    string
  >,
);

/** Payload of actor lifecycle events. */
export interface ActorEvent {
  readonly path: string;
  readonly generation: number;
  readonly actor: string;
}

export interface ActorStopEvent extends ActorEvent {
  /** The way the incarnation ended: `ctx.stop()`, a stop on purpose, or a failure. */
  readonly reason: 'stopped' | 'killed' | 'failed';
  /** The party that stopped it on purpose, when `reason` is `killed`. */
  readonly by: 'engine' | 'shutdown' | 'supervisor' | 'parent' | undefined;
}

export interface ActorFailureEvent extends ActorEvent {
  readonly error: unknown;
}

export interface ActorRestartEvent extends ActorEvent {
  /** Generation of the incarnation that ended. */
  readonly previousGeneration: number;
  /** Restarts of this path in its whole life. */
  readonly restarts: number;
  /**
   * `failed` or `stopped` (a normal `ctx.stop()` of a permanent child) for
   * the child that ended; `sibling` for a restart it took along under
   * one-for-all or rest-for-one.
   */
  readonly cause: 'failed' | 'stopped' | 'sibling';
}

export interface EscalationEvent {
  /** The child that exceeded its restart intensity. */
  readonly path: string;
  readonly generation: number;
  /** The supervisor that gave up: a root stops the child for good, any other supervisor fails. */
  readonly supervisor: string;
  readonly maxRestarts: number;
  readonly windowMs: number;
  /** The way the child's last incarnation ended: a failure, or `ctx.stop()` under `permanent`. */
  readonly reason: 'failed' | 'stopped';
  /** The last failure, or `undefined` when the child stopped itself. */
  readonly error: unknown;
}

/**
 * Why an accepted message was never handled:
 * - `failed`, `stopped`, `killed`: its incarnation ended that way first;
 * - `abandoned`: a shutdown deadline gave up on the actor;
 * - `send-after`: a `sendAfter` timer fired and its send failed (see `sendError`).
 */
export type DeadLetterReason = 'failed' | 'stopped' | 'killed' | 'abandoned' | 'send-after';

export interface DeadLetterEvent {
  readonly path: string;
  /** The incarnation it was addressed to; 0 when a `sendAfter` to a StableAddr found no live incarnation. */
  readonly generation: number;
  readonly messageType: unknown;
  readonly reason: DeadLetterReason;
  /** The `SendError` kind, for `send-after` only. */
  readonly sendError?: string;
}

export interface MailboxFullEvent {
  readonly path: string;
  readonly generation: number;
  readonly capacity: number;
}

export interface StopTimeoutEvent {
  readonly path: string;
  readonly generation: number;
  readonly timeoutMs: number;
  /**
   * The step still running: `handler` or `onStop` at the actor's own
   * deadline, or `shutdown` when the engine's shutdown deadline abandoned it.
   */
  readonly phase: 'handler' | 'onStop' | 'shutdown';
}

export interface AskTimeoutEvent {
  readonly path: string;
  readonly generation: number | undefined;
  readonly timeoutMs: number;
}

export function publishAskTimeout(path: string, generation: number | undefined, timeoutMs: number): void {
  if (!channels.askTimeout.hasSubscribers) return;
  channels.askTimeout.publish({ path, generation, timeoutMs } satisfies AskTimeoutEvent);
}

/** Publishes `payload()` on `channel` only when someone listens. */
export function publish(channel: diagnosticsChannel.Channel, payload: () => object): void {
  if (channel.hasSubscribers) channel.publish(payload());
}

function installDebugPrinter(): void {
  const log = debuglog('rhodium');
  if (!log.enabled) return;
  for (const channel of Object.values(channels)) {
    diagnosticsChannel.subscribe(channel.name, (message) => {
      log('%s %O', String(channel.name), message);
    });
  }
}

installDebugPrinter();
