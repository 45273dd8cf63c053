/**
 * The Simulation itself: determinism, replay, driving calls, faults and
 * reporting of a failed seed.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AskError, defineActor, type StableAddr } from '../../src/index.js';
import {
  forEachSeed,
  seedCountVariable,
  seedsToRun,
  seedVariable,
  SimulatedCrash,
  Simulation,
  SimulationError,
  SimulationFailure,
} from '../../src/testing/index.js';
import { Supervisor, Worker } from './helpers.js';

type WorkerAddr = StableAddr<typeof Worker>;

/** Bounces a message between two actors forever. */
const Bouncer = defineActor({
  name: 'bouncer',
  state: () => ({}),
  handlers: {
    ball(_state, message: { to: string }, ctx): void {
      ctx.engine.lookup(message.to)?.send({ type: 'ball', to: ctx.path.toString() } as never);
    },
  },
});

/** Sends itself a message after a delay, so runs contain timer decisions. */
const Delayer = defineActor({
  name: 'delayer',
  state: () => ({ fired: 0 }),
  handlers: {
    later(_state, message: { delayMs: number }, ctx): void {
      ctx.sendAfter(message.delayMs, ctx.self, { type: 'fire' });
    },
    fire(state): void {
      state.fired++;
    },
  },
});

/** Runs a scenario with async handlers, timers, restarts and crashes: every source of ordering the simulation controls. */
async function busyScenario(sim: Simulation): Promise<void> {
  sim.engine.spawn(Supervisor, { name: 'sup', supervision: { strategy: 'one-for-all' } });
  const delayer = sim.engine.spawn(Delayer, { name: 'delayer' });
  await sim.runUntilIdle();
  const children = ['a', 'b', 'c'].map((name) => sim.engine.lookup(`/user/sup/${name}`) as WorkerAddr);

  sim.crashOnMessage(children[1] as WorkerAddr, 'slowWork');
  sim.crashAt(sim.step + 5, children[2] as WorkerAddr);
  const replies: Promise<unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    const child = sim.random.pick(children);
    child.send({ type: i % 3 === 0 ? 'slowWork' : 'work' });
    replies.push(child.ask({ type: 'count' }, { timeoutMs: 50 + i }).catch((error: unknown) => error));
    await sim.runSteps(1 + sim.random.nextInt(2));
  }
  delayer.send({ type: 'later', delayMs: 40 });
  delayer.send({ type: 'later', delayMs: 40 });
  await sim.run(Promise.all(replies));
  await sim.advance(100);
}

async function traceOf(seed: number, replay?: string): Promise<string> {
  const sim = await Simulation.start(replay === undefined ? { seed } : { seed, replay });
  await busyScenario(sim);
  await sim.shutdown();
  return sim.traceText();
}

test('same seed gives the same trace', async () => {
  for (const seed of [1, 2, 99]) {
    const first = await traceOf(seed);
    const second = await traceOf(seed);
    assert.equal(second, first, `seed ${seed}`);
    assert.match(first, / timer timer#/);
    assert.match(first, / crash \/user\/sup\/c#\d+ at-step/);
  }
});

test('different seeds give different traces', async () => {
  const traces = new Set<string>();
  for (let seed = 1; seed <= 20; seed++) traces.add(await traceOf(seed));
  assert.ok(traces.size > 15, `${traces.size} distinct traces from 20 seeds`);
});

test('replay repeats a recorded trace', async () => {
  const recorded = await traceOf(5);
  const replayed = await traceOf(5, recorded);
  assert.equal(replayed, recorded);
});

test('replay of an edited trace reports divergence', async () => {
  const recorded = (await traceOf(5)).split('\n');
  // Make the first decision pick an actor that does not exist.
  const edited = [(recorded[0] as string).replace(/ run \S+/, ' run /user/nobody#1'), ...recorded.slice(1)];

  const error = await traceOf(5, edited.join('\n')).then(
    () => assert.fail('expected a divergence'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof SimulationError);
  assert.equal(error.kind, 'Divergence');
  assert.equal(error.step, 0);
});

test('runUntilIdle leaves virtual time alone', async () => {
  const sim = await Simulation.start({ seed: 1 });
  const worker = sim.engine.spawn(Worker, { name: 'w' });
  worker.send({ type: 'work' });

  await sim.runUntilIdle();
  assert.equal(sim.now(), 0);
  assert.ok(sim.step > 0);
  await sim.advance(250);
  assert.equal(sim.now(), 250);
  assert.equal(await sim.run(worker.ask({ type: 'count' })), 1);
  await sim.shutdown();
});

test('runSteps makes at most the given decisions', async () => {
  const sim = await Simulation.start({ seed: 1, maxBatchPerStep: 1 });
  const worker = sim.engine.spawn(Worker, { name: 'w' });
  for (let i = 0; i < 5; i++) worker.send({ type: 'work' });

  assert.equal(await sim.runSteps(2), 2);
  assert.equal(sim.step, 2);
  // The start signal shares its step with the first message, so five messages take five steps.
  assert.equal(await sim.runSteps(100), 3);
  assert.equal(await sim.run(worker.ask({ type: 'count' })), 5);
  await sim.shutdown();
});

test('run reports a promise that can never settle', async () => {
  const sim = await Simulation.start({ seed: 1 });
  const error = await sim.run(new Promise(() => undefined)).catch((caught: unknown) => caught);
  assert.ok(error instanceof SimulationError);
  assert.equal(error.kind, 'Stalled');
  assert.equal(error.seed, 1n);
  await sim.shutdown();
});

test('run stops at its virtual timeout', async () => {
  const sim = await Simulation.start({ seed: 1 });
  const worker = sim.engine.spawn(Worker, { name: 'w' });
  const delayer = sim.engine.spawn(Delayer, { name: 'delayer' });
  // A timer far in the future, so the simulation has somewhere to jump.
  delayer.send({ type: 'later', delayMs: 60_000 });
  await sim.runUntilIdle();

  const error = await sim.run(new Promise(() => undefined), { timeoutMs: 700 }).catch((caught: unknown) => caught);
  assert.ok(error instanceof SimulationError);
  assert.equal(error.kind, 'TimedOut');
  assert.equal(sim.now(), 700);
  assert.equal(await sim.run(worker.ask({ type: 'count' })), 0);
  await sim.shutdown();
});

test('step limit stops actors that never go idle', async () => {
  const sim = await Simulation.start({ seed: 1, maxSteps: 200 });
  sim.engine.spawn(Bouncer, { name: 'left' });
  const right = sim.engine.spawn(Bouncer, { name: 'right' });
  right.send({ type: 'ball', to: '/user/left' });

  const error = await sim.runUntilIdle().catch((caught: unknown) => caught);
  assert.ok(error instanceof SimulationError);
  assert.equal(error.kind, 'StepLimit');
  assert.equal(error.step, 200);
});

test('overlapping drive calls are rejected', async () => {
  const sim = await Simulation.start({ seed: 1 });
  sim.engine.spawn(Worker, { name: 'w' });
  const first = sim.runUntilIdle();
  await assert.rejects(sim.advance(10), /already running/);
  await first;
  await sim.shutdown();
});

test('crashOnMessage fails that message with SimulatedCrash', async () => {
  await forEachSeed(20, async (sim) => {
    const worker = sim.engine.spawn(Worker, { name: 'w' });
    const fault = sim.crashOnMessage(worker, (message) => message.type === 'work', { times: 2 });

    for (let round = 1; round <= 2; round++) {
      const error = await sim.run(worker.ask({ type: 'work' })).catch((caught: unknown) => caught);
      assert.ok(error instanceof AskError);
      assert.equal(error.kind, 'HandlerFailed');
      assert.ok(error.cause instanceof SimulatedCrash);
      assert.equal(error.cause.generation, round);
      await sim.run(worker.whenLive());
    }
    assert.equal(fault.armed, false);
    assert.deepEqual(fault.firings.map((firing) => firing.generation), [1, 2]);
    assert.equal(await sim.run(worker.ask({ type: 'work' })), 1);
  });
});

test('crashAt crashes at the chosen step', async () => {
  await forEachSeed(20, async (sim) => {
    const worker = sim.engine.spawn(Worker, { name: 'w' });
    for (let i = 0; i < 10; i++) worker.send({ type: 'work' });
    const step = 1 + sim.random.nextInt(4);
    const fault = sim.crashAt(step, worker);

    await sim.runUntilIdle();
    assert.deepEqual(fault.firings, [{ step, generation: 1 }]);
    assert.ok(sim.trace.includes(`${step} t=0 crash /user/w#1 at-step`));
    assert.equal(worker.current()?.generation, 2);
  });
});

test('crashAt skips an actor that is not running', async () => {
  const sim = await Simulation.start({ seed: 1 });
  const worker = sim.engine.spawn(Worker, { name: 'w' });
  await sim.runUntilIdle();
  await sim.run(sim.engine.stop(worker));
  const fault = sim.crashAt(sim.step, worker);

  await sim.runUntilIdle();
  assert.deepEqual(fault.firings, []);
  assert.equal(fault.armed, false);
  assert.match(sim.traceText(), / crash-skipped \/user\/w at-step$/);
  await sim.shutdown();
});

test('crashAt rejects a step that has passed', async () => {
  const sim = await Simulation.start({ seed: 1, maxBatchPerStep: 1 });
  const worker = sim.engine.spawn(Worker, { name: 'w' });
  worker.send({ type: 'work' });
  worker.send({ type: 'work' });
  await sim.runUntilIdle();
  assert.equal(sim.step, 2);
  assert.throws(() => sim.crashAt(1, worker), RangeError);
  await sim.shutdown();
});

/** Runs `body` with the seed variables unset, so a rerun of other tests does not change it. */
async function withoutSeedVariables<T>(body: () => Promise<T>): Promise<T> {
  const saved = [process.env[seedVariable], process.env[seedCountVariable]];
  delete process.env.RHODIUM_SEED;
  delete process.env.RHODIUM_SEED_COUNT;
  try {
    return await body();
  } finally {
    if (saved[0] !== undefined) process.env[seedVariable] = saved[0];
    if (saved[1] !== undefined) process.env[seedCountVariable] = saved[1];
  }
}

test('failed seed names itself and how to rerun it', async () => {
  const seen: bigint[] = [];
  const error = await withoutSeedVariables(() =>
    forEachSeed(5, async (sim) => {
      seen.push(sim.seed);
      sim.engine.spawn(Worker, { name: 'w' });
      await sim.runUntilIdle();
      assert.notEqual(sim.seed, 3n);
    }),
  ).catch((caught: unknown) => caught);

  assert.deepEqual(seen, [1n, 2n, 3n]);
  assert.ok(error instanceof SimulationFailure);
  assert.equal(error.seed, 3n);
  assert.ok(error.message.includes('RHODIUM_SEED=3'));
  assert.ok(error.trace.length > 0);
  assert.ok(error.cause instanceof assert.AssertionError);
});

test('RHODIUM_SEED reruns one seed', async () => {
  await withoutSeedVariables(() => {
    process.env.RHODIUM_SEED = '417';
    assert.deepEqual(seedsToRun(1000), [417n]);
    process.env.RHODIUM_SEED = 'soon';
    assert.throws(() => seedsToRun(1000), RangeError);
    return Promise.resolve();
  });
});

test('RHODIUM_SEED_COUNT replaces the count', async () => {
  await withoutSeedVariables(() => {
    process.env.RHODIUM_SEED_COUNT = '3';
    assert.deepEqual(seedsToRun(1000, 10), [10n, 11n, 12n]);
    return Promise.resolve();
  });
});

test('invalid options are rejected', async () => {
  await assert.rejects(Simulation.start({ seed: -1 }), RangeError);
  await assert.rejects(Simulation.start({ seed: 1.5 }), RangeError);
  await assert.rejects(Simulation.start({ seed: 1n << 64n }), RangeError);
  await assert.rejects(Simulation.start({ seed: 1, maxBatchPerStep: 0 }), RangeError);
  await assert.rejects(Simulation.start({ seed: 1, engine: { clock: {} } as never }), TypeError);
  await assert.rejects(Simulation.start({ seed: 1, replay: 'not a trace' }), TypeError);
});

test('worker threads are rejected in a simulation', async () => {
  // Real threads would run outside the simulated clock, and their asks would only time out.
  await assert.rejects(Simulation.start({ seed: 1, engine: { threads: 2 } as never }), TypeError);
  await assert.rejects(Simulation.start({ seed: 1, engine: { threadExecArgv: [] } as never }), TypeError);
});
