// Shared fixtures of the pool tests: a worker definition that records what it
// handles, gates that hold a handler open, and a clock that counts timers.

import { defineActor, Engine, type Clock, type EngineConfig, type TimerHandle } from '../../src/index.js';

/** One handled message: which worker slot took it and the sender's sequence number. */
export interface Delivery {
  readonly worker: string;
  readonly generation: number;
  readonly seq: number;
}

/** A promise with its resolve and reject functions, to hold a handler open. */
export class Gate {
  readonly promise: Promise<void>;
  open!: () => void;
  fail!: (error: Error) => void;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.open = resolve;
      this.fail = reject;
    });
  }
}

/**
 * Defines a worker whose handlers append to `log`. `name` is the
 * definition name and so the default pool name prefix.
 */
export function recordingWorker(log: Delivery[], name = 'worker') {
  return defineActor({
    name,
    state: () => ({ handled: 0 }),
    handlers: {
      record(state, message: { seq: number }, ctx): number {
        state.handled++;
        log.push({ worker: ctx.path.name, generation: ctx.addr.generation, seq: message.seq });
        return message.seq;
      },
      whoami(_state, _message: object, ctx): { worker: string; generation: number } {
        return { worker: ctx.path.name, generation: ctx.addr.generation };
      },
      async hold(_state, message: { gate: Gate; seq: number }, ctx): Promise<number> {
        await message.gate.promise;
        log.push({ worker: ctx.path.name, generation: ctx.addr.generation, seq: message.seq });
        return message.seq;
      },
      crash(): never {
        throw new Error('injected fault');
      },
      quit(_state, _message: object, ctx): void {
        ctx.stop();
      },
    },
  });
}

/** Restart intensity high enough that no crash test escalates by accident. */
export const lenientSupervision = { intensity: { maxRestarts: 1000, windowMs: 1000 } } as const;

/** Starts an engine whose `/user` supervisor tolerates many restarts, with extra config merged in. */
export function startEngine(config: EngineConfig = {}): Promise<Engine> {
  return Engine.start({ supervision: lenientSupervision, ...config });
}

/** Resolves after `ms` milliseconds of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits on real time until `condition()` holds, checking every millisecond, or fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(1);
  }
}

/** A Clock on real timers that remembers which timers are pending and every delay it was given. */
export class CountingClock implements Clock {
  readonly delays: number[] = [];
  readonly #pending = new Set<TimerHandle>();

  get pendingTimers(): number {
    return this.#pending.size;
  }

  now(): number {
    return performance.now();
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    this.delays.push(delayMs);
    const handle = setTimeout(() => {
      this.#pending.delete(handle);
      callback();
    }, delayMs) as unknown as TimerHandle;
    this.#pending.add(handle);
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    this.#pending.delete(handle);
    clearTimeout(handle as unknown as NodeJS.Timeout);
  }
}
