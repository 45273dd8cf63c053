/**
 * Actor definitions shared by the supervision and introspection tests.
 */

import { defineActor, type AnyActorDefinition, type SpawnOptions } from '../../../src/index.js';

/** A child that replies with its generation, fails, or stops itself on request. */
export const Worker = defineActor({
  name: 'worker',
  state: () => ({ seen: 0 }),
  handlers: {
    ping(state, _message: object, ctx): { generation: number; seen: number } {
      state.seen++;
      return { generation: ctx.addr.generation, seen: state.seen };
    },
    crash(): never {
      throw new Error('injected fault');
    },
    stopSelf(_state, _message: object, ctx): void {
      ctx.stop();
    },
  },
});

export interface ChildPlan {
  readonly name: string;
  readonly options?: SpawnOptions;
  /** @default Worker */
  readonly definition?: AnyActorDefinition;
}

/** Defines a supervisor whose every incarnation spawns `children` in order in `onStart`. */
export function supervisorOf(children: readonly ChildPlan[], name = 'supervisor') {
  return defineActor({
    name,
    state: () => ({}),
    onStart(_state, ctx) {
      for (const child of children) ctx.spawn(child.definition ?? Worker, { ...child.options, name: child.name });
    },
    handlers: {
      crash(): never {
        throw new Error('injected supervisor fault');
      },
    },
  });
}
