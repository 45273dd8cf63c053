/**
 * Ask round trip: a caller sends a request, the actor adds to a counter and
 * replies with the total, and the caller awaits the reply before asking
 * again. Each round trip is timed on its own; a trial's value is the median
 * (p50) of its round trips, in microseconds.
 */

import { Deferred, Effect, Fiber, Queue } from 'effect';
import { dispatch, query, spawn, start, stop } from 'nact';
import type { NactRef } from '../systems/nact-ref.js';
import { defineActor, Engine, type EngineConfig } from '../../src/index.js';
import { percentile } from '../harness/stats.js';
import { caseRatioTarget } from '../harness/targets.js';
import type { Contender, Runner, Scenario } from '../harness/types.js';
import { BareActor, BareScheduler } from '../systems/bare-actors.js';
import { systems } from '../systems/names.js';

/** Runs `count` asks one after another and returns the p50 round trip in microseconds. */
async function measureRoundTrips(count: number, ask: () => Promise<unknown>): Promise<number> {
  const latencies = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const startedAt = performance.now();
    await ask();
    latencies[i] = (performance.now() - startedAt) * 1000;
  }
  return percentile(Array.from(latencies), 50);
}

const Counter = defineActor({
  name: 'counter',
  state: () => ({ total: 0 }),
  handlers: {
    add(state, message: { by: number }): number {
      state.total += message.by;
      return state.total;
    },
  },
});

function rhodium(name: string, config: EngineConfig, count: number): Contender {
  return {
    name,
    kind: 'rhodium',
    async start(): Promise<Runner> {
      const engine = await Engine.start(config);
      const counter = engine.spawn(Counter, { name: 'counter' });
      await counter.whenLive();
      return {
        trial: () => measureRoundTrips(count, () => counter.ask({ type: 'add', by: 1 })),
        close: async () => {
          await engine.shutdown();
        },
      };
    },
  };
}

interface BareAsk {
  readonly type: 'add';
  readonly by: number;
  readonly resolve: (total: number) => void;
}

function bare(count: number): Contender {
  return {
    name: systems.bare,
    kind: 'baseline',
    start() {
      const actor = new BareActor<{ total: number }, BareAsk>(new BareScheduler(), { total: 0 }, {
        add(state, message) {
          state.total += message.by;
          message.resolve(state.total);
        },
      });
      return Promise.resolve({
        trial: () =>
          measureRoundTrips(count, () => new Promise<number>((resolve) => {
            actor.send({ type: 'add', by: 1, resolve });
          })),
        close: () => Promise.resolve(),
      });
    },
  };
}

interface NactAsk {
  readonly by: number;
  readonly sender: NactRef<number>;
}

function nact(count: number): Contender {
  return {
    name: systems.nact,
    kind: 'peer',
    start() {
      const system = start();
      const counter = spawn(
        system,
        (state: { total: number }, message: NactAsk) => {
          state.total += message.by;
          // The reference is one nact created; see NactRef for why lint cannot tell.
          // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
          dispatch(message.sender, state.total);
          return state;
        },
        'counter',
        { initialState: { total: 0 } },
      );
      return Promise.resolve({
        trial: () =>
          measureRoundTrips(count, () => query(counter, (sender: NactRef<number>): NactAsk => ({ by: 1, sender }), 30_000)),
        close: () => {
          stop(system);
          return Promise.resolve();
        },
      });
    },
  };
}

interface EffectAsk {
  readonly by: number;
  readonly reply: Deferred.Deferred<number>;
}

function effect(count: number): Contender {
  return {
    name: systems.effect,
    kind: 'peer',
    start() {
      const queue = Effect.runSync(Queue.bounded<EffectAsk>(1024));
      const state = { total: 0 };
      const consumer = Effect.runFork(
        Effect.forever(
          Effect.flatMap(Queue.take(queue), (message) => {
            state.total += message.by;
            return Deferred.succeed(message.reply, state.total);
          }),
        ),
      );
      const ask = Effect.gen(function* () {
        const reply = yield* Deferred.make<number>();
        yield* Queue.offer(queue, { by: 1, reply });
        return yield* Deferred.await(reply);
      });
      return Promise.resolve({
        trial: () => measureRoundTrips(count, () => Effect.runPromise(ask)),
        close: () => Effect.runPromise(Fiber.interrupt(consumer)).then(() => undefined),
      });
    },
  };
}

const scenario: Scenario = {
  id: 'ask-round-trip',
  title: 'Ask round trip',
  description:
    'A caller asks one counter actor to add 1 and awaits the total before asking again; ' +
    'the value is the median round trip in microseconds. The default config captures no ask stacks; ' +
    '"captureAskStacks: true" records the caller\'s stack at every ask, for debugging.',
  cases(mode) {
    const count = mode === 'quick' ? 2_000 : 50_000;
    return [
      {
        id: 'sequential',
        label: `1 actor, ${count.toLocaleString('en-US')} sequential asks`,
        metric: { unit: 'µs p50', better: 'lower' },
        contenders: [
          rhodium(systems.rhodium, {}, count),
          rhodium(systems.rhodiumAskStacks, { captureAskStacks: true }, count),
          rhodium(systems.rhodiumNoAsyncContext, { propagateAsyncContext: false }, count),
          bare(count),
          { name: systems.xstate, kind: 'peer', unavailable: 'xstate events carry no reply, so there is no request/response call to time' },
          nact(count),
          effect(count),
        ],
      },
    ];
  },
  targets: [
    caseRatioTarget('rhodium ask p50 <= 3x a bare promise round trip', 'sequential', systems.rhodium, '<=', 3, systems.bare),
    caseRatioTarget(
      'rhodium (propagateAsyncContext: false) ask p50 <= 3x a bare promise round trip',
      'sequential',
      systems.rhodiumNoAsyncContext,
      '<=',
      3,
      systems.bare,
    ),
  ],
};

export default scenario;
