/**
 * Ping-pong between two actors: a pinger sends `ping` carrying its own
 * address, the ponger answers `pong` to that address, and the pinger sends
 * the next ping, until a set number of round trips. Only one message is in
 * flight at a time, so this measures the cost of one hop between actors.
 */

import { Effect, Fiber, Queue } from 'effect';
import { dispatch, spawn, spawnStateless, start, stop, type ActorContext, type ActorSystemRef } from 'nact';
import type { NactRef } from '../systems/nact-ref.js';
import { createActor, sendTo, setup, type AnyActorRef } from 'xstate';
import { defineActor, Engine, type EngineConfig, type StableAddr } from '../../src/index.js';
import type { Contender, Runner, Scenario } from '../harness/types.js';
import { BareActor, BareScheduler } from '../systems/bare-actors.js';
import { systems } from '../systems/names.js';
import { Probe, since } from '../systems/probe.js';

const probe = new Probe();

/** Runs one exchange of `roundTrips` through `serve` and returns round trips per second. */
async function measureExchange(roundTrips: number, serve: (goal: number) => void | Promise<void>): Promise<number> {
  const startedAt = performance.now();
  const finished = probe.expect(1);
  await serve(roundTrips);
  await finished;
  return roundTrips / (since(startedAt) / 1000);
}

// ---- rhodium -----------------------------------------------------------------

interface PongTarget {
  send(message: { readonly type: 'pong'; readonly n: number }): unknown;
}

const Ponger = defineActor({
  name: 'ponger',
  state: () => ({}),
  handlers: {
    ping(_state, message: { n: number; replyTo: PongTarget }): void {
      const error = message.replyTo.send({ type: 'pong', n: message.n });
      if (error !== undefined) probe.fail(error);
    },
  },
});

const Pinger = defineActor({
  name: 'pinger',
  state: () => ({ peer: undefined as StableAddr<typeof Ponger> | undefined, goal: 0 }),
  handlers: {
    serve(state, message: { peer: StableAddr<typeof Ponger>; goal: number }, ctx): void {
      state.peer = message.peer;
      state.goal = message.goal;
      const error = message.peer.send({ type: 'ping', n: 1, replyTo: ctx.self });
      if (error !== undefined) probe.fail(error);
    },
    pong(state, message: { n: number }, ctx): void {
      if (message.n === state.goal) {
        probe.arrive();
        return;
      }
      const error = state.peer?.send({ type: 'ping', n: message.n + 1, replyTo: ctx.self });
      if (error !== undefined) probe.fail(error);
    },
  },
});

function rhodium(name: string, config: EngineConfig, roundTrips: number): Contender {
  return {
    name,
    kind: 'rhodium',
    async start(): Promise<Runner> {
      const engine = await Engine.start(config);
      const ponger = engine.spawn(Ponger, { name: 'ponger' });
      const pinger = engine.spawn(Pinger, { name: 'pinger' });
      await Promise.all([ponger.whenLive(), pinger.whenLive()]);
      return {
        trial: () =>
          measureExchange(roundTrips, (goal) => {
            const error = pinger.send({ type: 'serve', peer: ponger, goal });
            if (error !== undefined) throw error;
          }),
        close: async () => {
          await engine.shutdown();
        },
      };
    },
  };
}

// ---- bare baseline -------------------------------------------------------------

type BarePingerMessage = { readonly type: 'serve'; readonly goal: number } | { readonly type: 'pong'; readonly n: number };
interface BarePing {
  readonly type: 'ping';
  readonly n: number;
  readonly replyTo: BareActor<{ goal: number }, BarePingerMessage>;
}

function bare(roundTrips: number): Contender {
  return {
    name: systems.bare,
    kind: 'baseline',
    start() {
      const scheduler = new BareScheduler();
      const ponger = new BareActor<undefined, BarePing>(scheduler, undefined, {
        ping(_state, message) {
          message.replyTo.send({ type: 'pong', n: message.n });
        },
      });
      const pinger: BareActor<{ goal: number }, BarePingerMessage> = new BareActor(scheduler, { goal: 0 }, {
        serve(state, message) {
          state.goal = message.goal;
          ponger.send({ type: 'ping', n: 1, replyTo: pinger });
        },
        pong(state, message) {
          if (message.n === state.goal) probe.arrive();
          else ponger.send({ type: 'ping', n: message.n + 1, replyTo: pinger });
        },
      });
      return Promise.resolve({
        trial: () =>
          measureExchange(roundTrips, (goal) => {
            pinger.send({ type: 'serve', goal });
          }),
        close: () => Promise.resolve(),
      });
    },
  };
}

// ---- xstate --------------------------------------------------------------------

const xstatePonger = setup({
  types: { events: {} as { type: 'ping'; n: number; replyTo: AnyActorRef } },
}).createMachine({
  on: { ping: { actions: sendTo(({ event }) => event.replyTo, ({ event }) => ({ type: 'pong', n: event.n })) } },
});

const xstatePinger = setup({
  types: {
    context: {} as { peer: AnyActorRef; goal: number },
    input: {} as { peer: AnyActorRef },
    events: {} as { type: 'serve'; goal: number } | { type: 'pong'; n: number },
  },
  actions: {
    arrive: () => {
      probe.arrive();
    },
  },
}).createMachine({
  context: ({ input }) => ({ peer: input.peer, goal: 0 }),
  on: {
    serve: {
      actions: [
        ({ context, event }) => {
          context.goal = event.goal;
        },
        sendTo(({ context }) => context.peer, ({ self }) => ({ type: 'ping', n: 1, replyTo: self })),
      ],
    },
    pong: [
      { guard: ({ context, event }) => event.n === context.goal, actions: 'arrive' },
      { actions: sendTo(({ context }) => context.peer, ({ event, self }) => ({ type: 'ping', n: event.n + 1, replyTo: self })) },
    ],
  },
});

function xstate(roundTrips: number): Contender {
  return {
    name: systems.xstate,
    kind: 'peer',
    start() {
      const ponger = createActor(xstatePonger).start();
      const pinger = createActor(xstatePinger, { input: { peer: ponger } }).start();
      return Promise.resolve({
        trial: () =>
          measureExchange(roundTrips, (goal) => {
            pinger.send({ type: 'serve', goal });
          }),
        close: () => {
          pinger.stop();
          ponger.stop();
          return Promise.resolve();
        },
      });
    },
  };
}

// ---- nact ----------------------------------------------------------------------

type NactPingerMessage = { readonly type: 'serve'; readonly goal: number } | { readonly type: 'pong'; readonly n: number };
interface NactPing {
  readonly n: number;
  readonly replyTo: NactRef<NactPingerMessage>;
}

function nact(roundTrips: number): Contender {
  return {
    name: systems.nact,
    kind: 'peer',
    start() {
      const system = start();
      const ponger = spawnStateless(system, (message: NactPing) => {
        // The reference is one nact created; see NactRef for why lint cannot tell.
        // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
        dispatch(message.replyTo, { type: 'pong', n: message.n });
      }, 'ponger');
      const pinger = spawn(
        system,
        (state: { goal: number }, message: NactPingerMessage, ctx: ActorContext<NactPingerMessage, ActorSystemRef>) => {
          if (message.type === 'serve') {
            state.goal = message.goal;
            dispatch(ponger, { n: 1, replyTo: ctx.self });
          } else if (message.n === state.goal) {
            probe.arrive();
          } else {
            dispatch(ponger, { n: message.n + 1, replyTo: ctx.self });
          }
          return state;
        },
        'pinger',
        { initialState: { goal: 0 } },
      );
      return Promise.resolve({
        trial: () =>
          measureExchange(roundTrips, (goal) => {
            dispatch(pinger, { type: 'serve', goal });
          }),
        close: () => {
          stop(system);
          return Promise.resolve();
        },
      });
    },
  };
}

// ---- effect --------------------------------------------------------------------

function effect(roundTrips: number): Contender {
  return {
    name: systems.effect,
    kind: 'peer',
    start() {
      const pings = Effect.runSync(Queue.bounded<number>(1024));
      const pongs = Effect.runSync(Queue.bounded<number>(1024));
      const state = { goal: 0 };
      const ponger = Effect.runFork(Effect.forever(Effect.flatMap(Queue.take(pings), (n) => Queue.offer(pongs, n))));
      const pinger = Effect.runFork(
        Effect.forever(
          Effect.flatMap(Queue.take(pongs), (n) => {
            if (n !== state.goal) return Queue.offer(pings, n + 1);
            probe.arrive();
            return Effect.void;
          }),
        ),
      );
      return Promise.resolve({
        trial: () =>
          measureExchange(roundTrips, async (goal) => {
            state.goal = goal;
            await Effect.runPromise(Queue.offer(pings, 1));
          }),
        close: () => Effect.runPromise(Fiber.interruptAll([pinger, ponger])),
      });
    },
  };
}

const scenario: Scenario = {
  id: 'ping-pong',
  title: 'Ping-pong between two actors',
  description:
    'A pinger and a ponger exchange one message at a time, each ping carrying the address to answer; ' +
    'the value is round trips (two messages) per second.',
  cases(mode) {
    const roundTrips = mode === 'quick' ? 20_000 : 200_000;
    return [
      {
        id: 'two-actors',
        label: `2 actors, ${roundTrips.toLocaleString('en-US')} round trips`,
        metric: { unit: 'round trips/s', better: 'higher' },
        contenders: [
          rhodium(systems.rhodium, {}, roundTrips),
          rhodium(systems.rhodiumNoAsyncContext, { propagateAsyncContext: false }, roundTrips),
          bare(roundTrips),
          xstate(roundTrips),
          nact(roundTrips),
          effect(roundTrips),
        ],
      },
    ];
  },
};

export default scenario;
