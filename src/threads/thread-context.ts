/**
 * The ActorContext of an incarnation that runs on a worker thread.
 */

import type { ActorCell } from '../actor/cell.js';
import type { ActorContext, EngineRef } from '../actor/context.js';
import type { Headers } from '../actor/envelope.js';
import type { AddrHash } from '../address/hash.js';
import { ActorPath } from '../address/path.js';
import type { StableAddr } from '../address/stable-addr.js';

export class ThreadContext implements ActorContext {
  readonly #cell: ActorCell;
  #path: ActorPath | undefined;

  constructor(cell: ActorCell) {
    this.#cell = cell;
  }

  get path(): ActorPath {
    this.#path ??= ActorPath.parse(this.#cell.addr.path);
    return this.#path;
  }

  get addr(): AddrHash {
    return this.#cell.addr;
  }

  get signal(): AbortSignal {
    return this.#cell.signal;
  }

  get headers(): Headers | undefined {
    return this.#cell.currentHeaders;
  }

  stop(): void {
    this.#cell.requestStop();
  }

  // These need routes from the thread back to the main thread's supervision
  // tree, which this version does not have.
  get self(): StableAddr {
    return unsupported('self');
  }

  get engine(): EngineRef {
    return unsupported('engine');
  }

  spawn(): never {
    return unsupported('spawn');
  }

  sendAfter(): never {
    return unsupported('sendAfter');
  }
}

/** A context member that actors on worker threads cannot use in this version. */
export type ThreadUnsupportedFeature = 'self' | 'engine' | 'spawn' | 'sendAfter';

/**
 * Thrown by `ctx.self`, `ctx.engine`, `ctx.spawn()` and `ctx.sendAfter()` in
 * a handler that runs on a worker thread. `feature` names the member.
 */
export class ThreadUnsupportedError extends Error {
  override readonly name = 'ThreadUnsupportedError';
  readonly feature: ThreadUnsupportedFeature;

  constructor(feature: ThreadUnsupportedFeature) {
    const call = feature === 'spawn' || feature === 'sendAfter' ? `ctx.${feature}()` : `ctx.${feature}`;
    super(`${call} is not supported for actors on worker threads; spawn this actor with placement 'local' to use it`);
    this.feature = feature;
  }
}

function unsupported(feature: ThreadUnsupportedFeature): never {
  throw new ThreadUnsupportedError(feature);
}
