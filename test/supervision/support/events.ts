/**
 * Test helpers: record diagnostics events in order, and wait for the event
 * loop to reach a state without sleeping on wall-clock time.
 */

import diagnosticsChannel from 'node:diagnostics_channel';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { channelNames } from '../../../src/index.js';

export type ChannelKey = keyof typeof channelNames;

export interface RecordedEvent {
  readonly channel: ChannelKey;
  readonly payload: Record<string, unknown>;
}

/** Subscribes to `keys` and stores every event in arrival order until `close()`. */
export class EventRecorder {
  readonly events: RecordedEvent[] = [];
  readonly #subscriptions: { name: string; listener: (message: unknown) => void }[] = [];

  constructor(keys: readonly ChannelKey[]) {
    for (const channel of keys) {
      const listener = (message: unknown): void => {
        this.events.push({ channel, payload: message as Record<string, unknown> });
      };
      diagnosticsChannel.subscribe(channelNames[channel], listener);
      this.#subscriptions.push({ name: channelNames[channel], listener });
    }
  }

  /** Payloads of one channel, optionally only those about paths under `prefix`. */
  of(channel: ChannelKey, prefix = '/'): Record<string, unknown>[] {
    return this.events
      .filter((event) => event.channel === channel && String(event.payload.path).startsWith(prefix))
      .map((event) => event.payload);
  }

  close(): void {
    for (const { name, listener } of this.#subscriptions.splice(0)) diagnosticsChannel.unsubscribe(name, listener);
  }
}

/** Lets the event loop run `turns` times, so queued actor work and supervisor decisions finish. */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await nextTurn();
}

/** Lets the event loop run until `condition` holds; fails the test naming `what` after `maxTurns` turns. */
export async function waitFor(condition: () => boolean, what: string, maxTurns = 500): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (condition()) return;
    await nextTurn();
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A promise with its resolve function, for holding a handler or onStop open. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
