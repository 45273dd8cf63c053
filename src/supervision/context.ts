/**
 * The ActorContext of one incarnation.
 */

import type { ActorCell } from '../actor/cell.js';
import type { ActorContext, EngineRef, SendTarget } from '../actor/context.js';
import type { AnyActorDefinition } from '../actor/define.js';
import type { Headers, Message } from '../actor/envelope.js';
import { AddrHash } from '../address/hash.js';
import type { ActorPath } from '../address/path.js';
import type { StableAddr } from '../address/stable-addr.js';
import { channels, publish, type DeadLetterEvent } from '../introspection/diagnostics.js';
import type { ActorNode } from './node.js';
import { assertNonNegativeMs, type SpawnOptions } from './options.js';

export class IncarnationContext implements ActorContext {
  readonly #node: ActorNode;
  readonly #cell: ActorCell;

  constructor(node: ActorNode, cell: ActorCell) {
    this.#node = node;
    this.#cell = cell;
  }

  get path(): ActorPath {
    return this.#node.actorPath;
  }

  get addr(): AddrHash {
    return this.#cell.addr;
  }

  get self(): StableAddr {
    return this.#node.stable;
  }

  get engine(): EngineRef {
    return this.#node.services.engineRef;
  }

  get signal(): AbortSignal {
    return this.#cell.signal;
  }

  get headers(): Headers | undefined {
    return this.#cell.currentHeaders;
  }

  spawn<D extends AnyActorDefinition>(definition: D, options?: SpawnOptions): StableAddr<D> {
    return this.#node.spawnChild(definition, options, this.#cell);
  }

  stop(): void {
    this.#cell.requestStop();
  }

  sendAfter(delayMs: number, target: SendTarget, message: Message): () => void {
    assertNonNegativeMs(delayMs, 'sendAfter delayMs');
    if (!(target instanceof AddrHash) && typeof (target as { send?: unknown }).send !== 'function') {
      throw new TypeError('sendAfter target must be a StableAddr or an AddrHash');
    }

    const node = this.#node;
    const clock = node.services.clock;
    // A stopping incarnation's timers were already cancelled; a timer set now would outlive it.
    if (node.cell !== this.#cell || !this.#cell.accepting) return () => undefined;

    const handle = clock.setTimer(() => {
      node.timers.delete(handle);
      const error =
        target instanceof AddrHash
          ? node.services.deliverTo(target.path, target.generation, {
              message,
              reply: undefined,
              context: undefined,
              headers: undefined,
            })
          : (target as StableAddr<{ handlers: Record<string, never> }>).send(message as never);
      if (error === undefined) return;
      node.services.countDeadLetters(1);
      publish(channels.deadLetter, () => ({
        path: target.path,
        generation: target instanceof AddrHash ? target.generation : (target.current()?.generation ?? 0),
        messageType: message.type,
        reason: 'send-after',
        sendError: error.kind,
      }) satisfies DeadLetterEvent);
    }, delayMs);
    node.timers.add(handle);

    return () => {
      if (!node.timers.delete(handle)) return;
      clock.clearTimer(handle);
    };
  }
}
