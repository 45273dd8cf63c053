/**
 * The ActorContext of an incarnation that runs on a worker thread.
 */

import type { ActorCell } from '../actor/cell.js';
import type { ActorContext, EngineRef } from '../actor/context.js';
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

  stop(): void {
    this.#cell.requestStop();
  }

  // TODO: self, engine, spawn and sendAfter need routes from the thread back
  // to the main thread's supervision tree; until then they throw.
  get self(): StableAddr {
    return unsupported('ctx.self');
  }

  get engine(): EngineRef {
    return unsupported('ctx.engine');
  }

  spawn(): never {
    return unsupported('ctx.spawn()');
  }

  sendAfter(): never {
    return unsupported('ctx.sendAfter()');
  }
}

function unsupported(feature: string): never {
  throw new Error(`${feature} is not available to actors on worker threads yet; place this actor with placement 'local' to use it`);
}
