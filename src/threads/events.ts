/**
 * Diagnostics channels of the worker-thread layer, named like the others
 * `rhodium:<area>:<event>`, and their payloads.
 */

import diagnosticsChannel from 'node:diagnostics_channel';
import type { ThreadDeathKind } from './errors.js';

export const threadChannels = {
  start: diagnosticsChannel.channel('rhodium:thread:start'),
  death: diagnosticsChannel.channel('rhodium:thread:death'),
  stuck: diagnosticsChannel.channel('rhodium:thread:stuck'),
} as const;

/** A thread started; `replacements` counts the threads that held its index before. */
export interface ThreadStartEvent {
  readonly thread: number;
  readonly threadId: number;
  readonly replacements: number;
}

/** A thread ended on its own while the group was running. */
export interface ThreadDeathEvent {
  readonly thread: number;
  readonly threadId: number;
  readonly kind: ThreadDeathKind;
  readonly exitCode: number | undefined;
  readonly error: unknown;
  /** Actors that failed with it. */
  readonly actors: number;
}

/** A thread did not exit by the shutdown deadline and was terminated. */
export interface ThreadStuckEvent {
  readonly thread: number;
  readonly threadId: number;
  readonly timeoutMs: number;
}
