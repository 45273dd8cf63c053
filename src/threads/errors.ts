/**
 * Errors that only the worker-thread layer raises.
 */

import { ErrorCodes, RhodiumError, type ErrorTarget } from '../errors.js';

/** Why a worker thread ended while actors still ran on it. */
export type ThreadDeathKind = 'exited' | 'uncaught' | 'out-of-memory' | 'terminated';

/**
 * A worker thread ended while one of its actors was live: it exited
 * (`process.exit()` in a handler), threw at top level, ran out of its
 * `resourceLimits`, or was terminated. Every actor on it fails with this
 * error, whose `cause` is the error the thread reported, if any.
 */
export class ThreadDiedError extends RhodiumError {
  static override readonly brand: string = 'ThreadDiedError';

  readonly kind: ThreadDeathKind;
  /** Index of the thread in its group. */
  readonly thread: number;
  /** The thread's exit code, when it exited before this error was built. */
  readonly exitCode: number | undefined;

  constructor(kind: ThreadDeathKind, thread: number, exitCode: number | undefined, target: ErrorTarget = {}, cause?: unknown) {
    const how =
      kind === 'exited'
        ? `exited with code ${String(exitCode)}`
        : kind === 'uncaught'
          ? 'threw an uncaught exception'
          : kind === 'out-of-memory'
            ? 'ran out of memory under its resourceLimits'
            : 'was terminated';
    super(ErrorCodes.ThreadDied, `worker thread ${thread} ${how}; the actors on it failed`, { ...target, cause });
    this.kind = kind;
    this.thread = thread;
    this.exitCode = exitCode;
  }
}

/**
 * A worker thread could not import the module of an actor definition, or
 * the module has no actor definition under the export name. A start
 * failure: the actor's supervisor decides what happens next.
 */
export class ModuleLoadError extends RhodiumError {
  static override readonly brand: string = 'ModuleLoadError';

  /** The module URL the thread tried to import. */
  readonly url: string;
  /** The export that should hold the definition. */
  readonly exportName: string;

  constructor(url: string, exportName: string, reason: string, target: ErrorTarget = {}, cause?: unknown) {
    super(ErrorCodes.StartFailed, `cannot load actor definition '${exportName}' from ${url}: ${reason}`, {
      ...target,
      cause,
    });
    this.url = url;
    this.exportName = exportName;
  }
}
