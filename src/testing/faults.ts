/**
 * Crash faults: what a test arms and what it reads back.
 */

import type { Message } from '../actor/envelope.js';
import { describe } from '../supervision/options.js';

/** The target of a crash fault: an actor path, or anything with a `path` such as a StableAddr. */
export type FaultTarget = string | { readonly path: string };

/** A crash that fired. */
export interface FaultFiring {
  readonly step: number;
  readonly generation: number;
}

/** An armed crash fault. */
export interface CrashFault {
  /** The actor path it aims at. */
  readonly path: string;
  /** Every crash it caused, in order. */
  readonly firings: readonly FaultFiring[];
  /** Whether it can still fire. */
  readonly armed: boolean;
  /** Disarms it; firings so far stay recorded. */
  cancel(): void;
}

/** Options of `crashOnMessage`. */
export interface CrashOnMessageOptions {
  /** Crashes to cause before disarming. @default 1 */
  readonly times?: number;
}

/** A message filter: a message `type`, or a predicate. */
export type MessageMatch = string | ((message: Message) => boolean);

/** The mutable side of a `CrashFault`, kept by the simulation. */
export class Fault implements CrashFault {
  readonly path: string;
  readonly firings: FaultFiring[] = [];
  armed = true;
  remaining: number;

  constructor(path: string, times: number) {
    this.path = path;
    this.remaining = times;
  }

  cancel(): void {
    this.armed = false;
  }

  record(step: number, generation: number): void {
    this.firings.push({ step, generation });
    this.remaining--;
    if (this.remaining === 0) this.armed = false;
  }
}

/** Returns the actor path a fault target names. */
export function targetPath(target: FaultTarget): string {
  if (typeof target === 'string') return target;
  if (typeof target === 'object' && target !== null && typeof target.path === 'string') return target.path;
  throw new TypeError(`a fault target must be an actor path or have a path, got ${describe(target)}`);
}
