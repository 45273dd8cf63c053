/**
 * Fan-out to 1,000 actors: a producer sends one message to each of 1,000
 * counter actors (a wave) and awaits until all 1,000 have handled theirs,
 * then sends the next wave. This measures the scheduler with many ready
 * actors holding one message each, the opposite of one busy actor.
 */

import { Effect, Fiber, Queue } from 'effect';
import { dispatch, spawn, start, stop } from 'nact';
import { assign, createActor, setup } from 'xstate';
import { defineActor, Engine, type EngineConfig } from '../../src/index.js';
import type { Contender, Runner, Scenario } from '../harness/types.js';
import { BareActor, BareScheduler } from '../systems/bare-actors.js';
import { systems } from '../systems/names.js';
import { Probe, since } from '../systems/probe.js';

interface AddMessage {
  readonly type: 'add';
  readonly by: number;
}

const actorCount = 1000;
const probe = new Probe();

/** Sends `waves` waves through `sendWave`, awaiting each, and returns messages handled per second. */
async function measureWaves(waves: number, sendWave: () => void | Promise<void>): Promise<number> {
  const startedAt = performance.now();
  for (let wave = 0; wave < waves; wave++) {
    const handled = probe.expect(actorCount);
    await sendWave();
    await handled;
  }
  return (waves * actorCount) / (since(startedAt) / 1000);
}

const Counter = defineActor({
  name: 'counter',
  state: () => ({ total: 0 }),
  handlers: {
    add(state, message: { by: number }): void {
      state.total += message.by;
      probe.arrive();
    },
  },
});

function rhodium(name: string, config: EngineConfig, waves: number): Contender {
  return {
    name,
    kind: 'rhodium',
    async start(): Promise<Runner> {
      const engine = await Engine.start(config);
      const counters = Array.from({ length: actorCount }, (_, i) => engine.spawn(Counter, { name: `counter-${i}` }));
      await Promise.all(counters.map((counter) => counter.whenLive()));
      return {
        trial: () =>
          measureWaves(waves, () => {
            for (const counter of counters) {
              const error = counter.send({ type: 'add', by: 1 });
              if (error !== undefined) throw error;
            }
          }),
        close: async () => {
          await engine.shutdown();
        },
      };
    },
  };
}

function bare(waves: number): Contender {
  return {
    name: systems.bare,
    kind: 'baseline',
    start() {
      const scheduler = new BareScheduler();
      const counters = Array.from(
        { length: actorCount },
        () =>
          new BareActor<{ total: number }, AddMessage>(scheduler, { total: 0 }, {
            add(state, message) {
              state.total += message.by;
              probe.arrive();
            },
          }),
      );
      return Promise.resolve({
        trial: () =>
          measureWaves(waves, () => {
            for (const counter of counters) counter.send({ type: 'add', by: 1 });
          }),
        close: () => Promise.resolve(),
      });
    },
  };
}

const xstateCounter = setup({
  types: { context: {} as { total: number }, events: {} as AddMessage },
  actions: {
    arrive: () => {
      probe.arrive();
    },
  },
}).createMachine({
  context: { total: 0 },
  on: { add: { actions: [assign({ total: ({ context, event }) => context.total + event.by }), 'arrive'] } },
});

function xstate(waves: number): Contender {
  return {
    name: systems.xstate,
    kind: 'peer',
    start() {
      const counters = Array.from({ length: actorCount }, () => createActor(xstateCounter).start());
      return Promise.resolve({
        trial: () =>
          measureWaves(waves, () => {
            for (const counter of counters) counter.send({ type: 'add', by: 1 });
          }),
        close: () => {
          for (const counter of counters) counter.stop();
          return Promise.resolve();
        },
      });
    },
  };
}

function nact(waves: number): Contender {
  return {
    name: systems.nact,
    kind: 'peer',
    start() {
      const system = start();
      const counters = Array.from({ length: actorCount }, (_, i) =>
        spawn(
          system,
          (state: { total: number }, message: AddMessage) => {
            state.total += message.by;
            probe.arrive();
            return state;
          },
          `counter-${i}`,
          { initialState: { total: 0 } },
        ),
      );
      return Promise.resolve({
        trial: () =>
          measureWaves(waves, () => {
            for (const counter of counters) dispatch(counter, { type: 'add', by: 1 });
          }),
        close: () => {
          stop(system);
          return Promise.resolve();
        },
      });
    },
  };
}

function effect(waves: number): Contender {
  return {
    name: systems.effect,
    kind: 'peer',
    start() {
      const queues = Array.from({ length: actorCount }, () => Effect.runSync(Queue.bounded<AddMessage>(1024)));
      const consumers = queues.map((queue) => {
        const state = { total: 0 };
        return Effect.runFork(
          Effect.forever(
            Effect.map(Queue.take(queue), (message) => {
              state.total += message.by;
              probe.arrive();
            }),
          ),
        );
      });
      const wave = Effect.gen(function* () {
        for (const queue of queues) yield* Queue.offer(queue, { type: 'add', by: 1 });
      });
      return Promise.resolve({
        trial: () => measureWaves(waves, () => Effect.runPromise(wave)),
        close: () => Effect.runPromise(Fiber.interruptAll(consumers)),
      });
    },
  };
}

const scenario: Scenario = {
  id: 'fan-out',
  title: 'Fan-out to 1,000 actors',
  description:
    'A producer sends one message to each of 1,000 counter actors and awaits all 1,000, wave after wave; ' +
    'the value is messages handled per second.',
  cases(mode) {
    const waves = mode === 'quick' ? 5 : 100;
    return [
      {
        id: 'one-thousand-actors',
        label: `1,000 actors, ${waves} waves of one message each`,
        metric: { unit: 'msg/s', better: 'higher' },
        contenders: [
          rhodium(systems.rhodium, {}, waves),
          rhodium(systems.rhodiumNoAsyncContext, { propagateAsyncContext: false }, waves),
          bare(waves),
          xstate(waves),
          nact(waves),
          effect(waves),
        ],
      },
    ];
  },
};

export default scenario;
