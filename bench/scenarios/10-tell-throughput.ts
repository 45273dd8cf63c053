/**
 * Tell throughput to one actor: a producer sends fire-and-forget messages
 * that add to a counter, in batches of 1,000 (below rhodium's default
 * mailbox capacity of 1,024), and awaits each batch before sending the
 * next. The value is messages handled per second over the whole trial.
 */

import { Effect, Fiber, Queue } from 'effect';
import { dispatch, spawn, start, stop } from 'nact';
import { assign, createActor, setup } from 'xstate';
import { defineActor, Engine, type EngineConfig } from '../../src/index.js';
import { caseRatioTarget } from '../harness/targets.js';
import type { Contender, Runner, Scenario } from '../harness/types.js';
import { BareActor, BareScheduler } from '../systems/bare-actors.js';
import { systems } from '../systems/names.js';
import { Probe, since } from '../systems/probe.js';

interface AddMessage {
  readonly type: 'add';
  readonly by: number;
}

const batchSize = 1000;
const probe = new Probe();

/** Sends `total` messages in batches through `sendBatch`, awaiting each, and returns messages per second. */
async function measureBatches(total: number, sendBatch: (count: number) => void | Promise<void>): Promise<number> {
  const startedAt = performance.now();
  for (let sent = 0; sent < total; sent += batchSize) {
    const handled = probe.expect(batchSize);
    await sendBatch(batchSize);
    await handled;
  }
  return total / (since(startedAt) / 1000);
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

function rhodium(name: string, config: EngineConfig, total: number): Contender {
  return {
    name,
    kind: 'rhodium',
    async start(): Promise<Runner> {
      const engine = await Engine.start(config);
      const counter = engine.spawn(Counter, { name: 'counter' });
      await counter.whenLive();
      return {
        trial: () =>
          measureBatches(total, (count) => {
            for (let i = 0; i < count; i++) {
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

function bare(total: number): Contender {
  return {
    name: systems.bare,
    kind: 'baseline',
    start() {
      const actor = new BareActor<{ total: number }, AddMessage>(new BareScheduler(), { total: 0 }, {
        add(state, message) {
          state.total += message.by;
          probe.arrive();
        },
      });
      return Promise.resolve({
        trial: () =>
          measureBatches(total, (count) => {
            for (let i = 0; i < count; i++) actor.send({ type: 'add', by: 1 });
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

function xstate(total: number): Contender {
  return {
    name: systems.xstate,
    kind: 'peer',
    start() {
      const actor = createActor(xstateCounter).start();
      return Promise.resolve({
        trial: () =>
          measureBatches(total, (count) => {
            for (let i = 0; i < count; i++) actor.send({ type: 'add', by: 1 });
          }),
        close: () => {
          actor.stop();
          return Promise.resolve();
        },
      });
    },
  };
}

function nact(total: number): Contender {
  return {
    name: systems.nact,
    kind: 'peer',
    start() {
      const system = start();
      const counter = spawn(
        system,
        (state: { total: number }, message: AddMessage) => {
          state.total += message.by;
          probe.arrive();
          return state;
        },
        'counter',
        { initialState: { total: 0 } },
      );
      return Promise.resolve({
        trial: () =>
          measureBatches(total, (count) => {
            for (let i = 0; i < count; i++) dispatch(counter, { type: 'add', by: 1 });
          }),
        close: () => {
          stop(system);
          return Promise.resolve();
        },
      });
    },
  };
}

function effect(total: number): Contender {
  return {
    name: systems.effect,
    kind: 'peer',
    start() {
      const queue = Effect.runSync(Queue.bounded<AddMessage>(1024));
      const state = { total: 0 };
      const consumer = Effect.runFork(
        Effect.forever(
          Effect.map(Queue.take(queue), (message) => {
            state.total += message.by;
            probe.arrive();
          }),
        ),
      );
      return Promise.resolve({
        trial: () =>
          measureBatches(total, (count) =>
            Effect.runPromise(
              Effect.gen(function* () {
                for (let i = 0; i < count; i++) yield* Queue.offer(queue, { type: 'add', by: 1 });
              }),
            ),
          ),
        close: () => Effect.runPromise(Fiber.interrupt(consumer)).then(() => undefined),
      });
    },
  };
}

const scenario: Scenario = {
  id: 'tell-throughput',
  title: 'Tell throughput to one actor',
  description:
    'One producer sends { type: "add", by: 1 } to one counter actor in batches of 1,000 and awaits each batch; ' +
    'the value is messages handled per second.',
  cases(mode) {
    const total = mode === 'quick' ? 50_000 : 1_000_000;
    return [
      {
        id: 'one-actor',
        label: `1 actor, ${total.toLocaleString('en-US')} messages in batches of ${batchSize.toLocaleString('en-US')}`,
        metric: { unit: 'msg/s', better: 'higher' },
        contenders: [
          rhodium(systems.rhodium, {}, total),
          rhodium(systems.rhodiumNoAsyncContext, { propagateAsyncContext: false }, total),
          bare(total),
          xstate(total),
          nact(total),
          effect(total),
        ],
      },
    ];
  },
  targets: [
    caseRatioTarget('rhodium tell throughput >= 50% of the bare loop', 'one-actor', systems.rhodium, '>=', 0.5, systems.bare),
    caseRatioTarget(
      'rhodium (propagateAsyncContext: false) tell throughput >= 50% of the bare loop',
      'one-actor',
      systems.rhodiumNoAsyncContext,
      '>=',
      0.5,
      systems.bare,
    ),
    caseRatioTarget('rhodium tell throughput >= 5x xstate', 'one-actor', systems.rhodium, '>=', 5, systems.xstate),
  ],
};

export default scenario;
