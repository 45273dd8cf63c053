/**
 * Idle actors: the heap each one costs once started, and the time to spawn
 * 100,000 of them. Heap figures are `process.memoryUsage().heapUsed` after
 * a forced full collection (the scenario process runs with `--expose-gc`),
 * before and after spawning, divided by the number of actors. The caller
 * keeps a reference to each actor in an array, as a user holding addresses
 * would, and that array is counted too.
 */

import { Effect, Fiber, Queue } from 'effect';
import { spawn, start, stop } from 'nact';
import { assign, createActor, setup } from 'xstate';
import { defineActor, Engine } from '../../src/index.js';
import { collectGarbage } from '../harness/runner.js';
import { boundTarget } from '../harness/targets.js';
import type { Contender, Mode, Scenario } from '../harness/types.js';
import { BareActor, BareScheduler } from '../systems/bare-actors.js';
import { systems } from '../systems/names.js';
import { since } from '../systems/probe.js';

interface AddMessage {
  readonly type: 'add';
  readonly by: number;
}

/**
 * One system's way to spawn `count` idle actors, waiting until every one
 * has started, and to release them. Only `spawnAll` is measured.
 */
interface Spawner {
  spawnAll(count: number): Promise<unknown[]>;
  release(): Promise<void>;
}

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Returns the heap bytes per actor of `count` idle actors. */
async function measureHeap(open: () => Promise<Spawner>, count: number): Promise<number> {
  const spawner = await open();
  const before = heapUsed();
  const actors = await spawner.spawnAll(count);
  const after = heapUsed();
  if (actors.length !== count) throw new Error(`spawned ${actors.length} actors, expected ${count}`);
  await spawner.release();
  return (after - before) / count;
}

/** Returns the milliseconds to spawn `count` actors and see all of them started. */
async function measureSpawn(open: () => Promise<Spawner>, count: number): Promise<number> {
  const spawner = await open();
  collectGarbage();
  const startedAt = performance.now();
  await spawner.spawnAll(count);
  const elapsed = since(startedAt);
  await spawner.release();
  return elapsed;
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

async function openRhodium(): Promise<Spawner> {
  const engine = await Engine.start();
  return {
    async spawnAll(count) {
      const actors = Array.from({ length: count }, () => engine.spawn(Counter));
      // Starts run in spawn order, so the last one live means every one is.
      await actors.at(-1)?.whenLive();
      return actors;
    },
    async release() {
      await engine.shutdown();
    },
  };
}

function openBare(): Promise<Spawner> {
  const scheduler = new BareScheduler();
  return Promise.resolve({
    spawnAll(count) {
      const actors = Array.from(
        { length: count },
        () =>
          new BareActor<{ total: number }, AddMessage>(scheduler, { total: 0 }, {
            add(state, message) {
              state.total += message.by;
            },
          }),
      );
      return Promise.resolve(actors);
    },
    release: () => Promise.resolve(),
  });
}

const xstateCounter = setup({ types: { context: {} as { total: number }, events: {} as AddMessage } }).createMachine({
  context: { total: 0 },
  on: { add: { actions: assign({ total: ({ context, event }) => context.total + event.by }) } },
});

function openXstate(): Promise<Spawner> {
  let actors: ReturnType<typeof createActor<typeof xstateCounter>>[] = [];
  return Promise.resolve({
    spawnAll(count) {
      actors = Array.from({ length: count }, () => createActor(xstateCounter).start());
      return Promise.resolve(actors);
    },
    release() {
      for (const actor of actors) actor.stop();
      actors = [];
      return Promise.resolve();
    },
  });
}

function openNact(): Promise<Spawner> {
  const system = start();
  return Promise.resolve({
    spawnAll(count) {
      const actors = Array.from({ length: count }, (_, i) =>
        spawn(
          system,
          (state: { total: number }, message: AddMessage) => {
            state.total += message.by;
            return state;
          },
          `counter-${i}`,
          { initialState: { total: 0 } },
        ),
      );
      return Promise.resolve(actors);
    },
    release() {
      stop(system);
      return Promise.resolve();
    },
  });
}

function openEffect(): Promise<Spawner> {
  let fibers: Fiber.RuntimeFiber<never>[] = [];
  return Promise.resolve({
    async spawnAll(count) {
      const actors = Array.from({ length: count }, () => {
        const queue = Effect.runSync(Queue.bounded<AddMessage>(1024));
        const state = { total: 0 };
        const fiber = Effect.runFork(
          Effect.forever(
            Effect.map(Queue.take(queue), (message) => {
              state.total += message.by;
            }),
          ),
        );
        return { queue, fiber };
      });
      fibers = actors.map((actor) => actor.fiber);
      // Forked fibers start on the next scheduler tick; after it each one waits in Queue.take.
      await new Promise((resolve) => setImmediate(resolve));
      return actors;
    },
    async release() {
      await Effect.runPromise(Fiber.interruptAll(fibers));
      fibers = [];
    },
  });
}

const spawners: { name: string; kind: 'rhodium' | 'baseline' | 'peer'; open: () => Promise<Spawner> }[] = [
  { name: systems.rhodium, kind: 'rhodium', open: openRhodium },
  { name: systems.bare, kind: 'baseline', open: openBare },
  { name: systems.xstate, kind: 'peer', open: openXstate },
  { name: systems.nact, kind: 'peer', open: openNact },
  { name: systems.effect, kind: 'peer', open: openEffect },
];

function contenders(measure: (open: () => Promise<Spawner>, count: number) => Promise<number>, count: number): Contender[] {
  return spawners.map(({ name, kind, open }) => ({
    name,
    kind,
    start: () => Promise.resolve({ trial: () => measure(open, count), close: () => Promise.resolve() }),
  }));
}

const spawnCount = (mode: Mode): number => (mode === 'quick' ? 2_000 : 100_000);

const scenario: Scenario = {
  id: 'idle-actors',
  title: 'Idle actors: heap and spawn time',
  description:
    'Heap per started idle actor (a counter with one handler), measured after forced full collections, ' +
    'and the time to spawn 100,000 actors until the last one has started.',
  cases(mode) {
    const heapCount = mode === 'quick' ? 2_000 : 100_000;
    const rounds = mode === 'quick' ? { rounds: 1, warmupRounds: 0 } : { rounds: 3, warmupRounds: 1 };
    return [
      {
        id: 'heap-per-actor',
        label: `heap per idle actor, ${heapCount.toLocaleString('en-US')} actors`,
        metric: { unit: 'B/actor', better: 'lower' },
        contenders: contenders(measureHeap, heapCount),
        ...rounds,
      },
      {
        // Quick mode spawns fewer actors under another id, so the 100,000-actor target reports no data instead of a wrong verdict.
        id: mode === 'quick' ? 'spawn-time-quick' : 'spawn-time',
        label: `time to spawn ${spawnCount(mode).toLocaleString('en-US')} actors until all have started`,
        metric: { unit: 'ms', better: 'lower' },
        contenders: contenders(measureSpawn, spawnCount(mode)),
        ...rounds,
      },
    ];
  },
  targets: [
    boundTarget('rhodium heap per idle actor < 1 KiB', { caseId: 'heap-per-actor', system: systems.rhodium }, '<', 1024),
    boundTarget('rhodium spawns 100,000 actors in < 1 s', { caseId: 'spawn-time', system: systems.rhodium }, '<', 1000),
  ],
};

export default scenario;
