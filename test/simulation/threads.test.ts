import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actorModule, AskError, SendError, type StableAddr } from '../../src/index.js';
import { forEachSeed, Simulation, SimulationError } from '../../src/testing/index.js';
import type { Counter } from './thread-actors.js';

const CounterModule = actorModule<typeof Counter>(new URL('./thread-actors.js', import.meta.url), 'Counter');
const workerPaths = ['/user/w-0', '/user/w-1', '/user/w-2', '/user/w-3'];

/** Returns the thread index the snapshot reports for `path`. */
function threadOf(sim: Simulation, path: string): 'main' | number | undefined {
  return sim.engine.snapshot().actors.find((actor) => actor.path === path)?.thread;
}

function lookup(sim: Simulation, path: string): StableAddr<typeof Counter> {
  const addr = sim.engine.lookup(path);
  assert.ok(addr !== undefined, `${path} is not registered`);
  return addr;
}

test('thread kill mid-ask restarts on replacement', async () => {
  let killedMidAsk = 0;
  let noResponses = 0;
  await forEachSeed(
    1000,
    async (sim) => {
      const pool = sim.engine.spawnWorkerPool(CounterModule, { size: 4, placement: 'spread', namePrefix: 'w' });
      const single = sim.engine.spawn(CounterModule, { name: 'single', placement: 'auto' });
      const victim = sim.random.nextInt(2);
      const fault = sim.killThreadAt(1 + sim.random.nextInt(30), victim);

      const asks: Promise<number>[] = [];
      for (let i = 0; i < 8; i++) asks.push(pool.ask({ type: i % 2 === 0 ? 'work' : 'slowWork' }));
      asks.push(single.ask({ type: 'work' }));
      const outcomes = await sim.run(Promise.allSettled(asks));
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') continue;
        const error: unknown = outcome.reason;
        assert.ok(error instanceof AskError);
        assert.equal(error.kind, 'NoResponse');
        noResponses++;
      }
      if (fault.armed) {
        // Every ask settled before the kill's step came: kill the thread now instead.
        fault.cancel();
        assert.equal(sim.killThread(victim), true);
      } else {
        killedMidAsk++;
        assert.equal(fault.firings.length, 1);
        assert.equal(fault.firings[0]?.threadGeneration, 1);
      }

      const paths = [...workerPaths, single.path];
      const actors = paths.map((path) => lookup(sim, path));
      await sim.run(Promise.all(actors.map((actor) => actor.whenLive())));
      for (const [i, actor] of actors.entries()) {
        const thread = threadOf(sim, paths[i] as string);
        assert.equal(actor.current()?.generation, thread === victim ? 2 : 1, `${paths[i]} on thread ${String(thread)}`);
      }

      // The pool and the single actor serve again, on the replacement thread too.
      const replies = await sim.run(Promise.all([...workerPaths.map(() => pool.ask({ type: 'work' })), single.ask({ type: 'work' })]));
      for (const reply of replies) assert.ok(reply >= 1);
      const entry = sim.engine.snapshot().threads.find((item) => item.thread === victim);
      assert.equal(entry?.replacements, 1);
    },
    { threads: 2 },
  );
  // The kill step is drawn from the first 30 steps, so both cases occur; the counts keep the test honest.
  assert.ok(killedMidAsk > 0, 'no seed killed the thread while asks were pending');
  assert.ok(noResponses > 0, 'no ask was answered with NoResponse');
});

test('FIFO per pair, pairs interleave', async () => {
  let interleaved = 0;
  await forEachSeed(
    200,
    async (sim) => {
      const left = sim.engine.spawn(CounterModule, { name: 'left', placement: { thread: 0 } });
      const right = sim.engine.spawn(CounterModule, { name: 'right', placement: { thread: 1 } });
      for (let seq = 0; seq < 6; seq++) {
        left.send({ type: 'record', from: 'main', seq });
        right.send({ type: 'record', from: 'main', seq });
        // Each turn's operations leave in one batch, so every sequence number travels in a batch of its own.
        await Promise.resolve();
      }
      const [leftSeen, rightSeen] = await sim.run(Promise.all([left.ask({ type: 'received' }), right.ask({ type: 'received' })]));
      const expected = [0, 1, 2, 3, 4, 5].map((seq) => `main:${seq}`);
      assert.deepEqual(leftSeen, expected);
      assert.deepEqual(rightSeen, expected);

      // Deliveries to thread 0 with one to thread 1 between them: the pairs interleaved.
      const deliveries = sim.trace.filter((line) => / deliver main>t[01] /.test(line)).map((line) => (line.includes('main>t0') ? 0 : 1));
      assert.ok(deliveries.filter((to) => to === 0).length >= 2, 'batches to thread 0 were merged');
      const firstToZero = deliveries.indexOf(0);
      const lastToZero = deliveries.lastIndexOf(0);
      if (deliveries.slice(firstToZero, lastToZero).includes(1)) interleaved++;
    },
    { threads: 2 },
  );
  assert.ok(interleaved > 0, 'no seed interleaved the batches of the two pairs');
});

test('dropped batch times out ask', async () => {
  const sim = await Simulation.start({ seed: 7, threads: 1 });
  const counter = sim.engine.spawn(CounterModule, { name: 'counter', placement: { thread: 0 } });
  // Started first, so the lost batch carries the message and not the spawn.
  await sim.run(counter.whenLive());
  const drop = sim.dropBetweenThreads('main', 0, { match: 'work' });

  const error = await sim.run(counter.ask({ type: 'work' }, { timeoutMs: 1000 })).catch((caught: unknown) => caught);
  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'Timeout');
  assert.equal(sim.now(), 1000);
  assert.equal(drop.firings.length, 1);
  assert.equal(drop.armed, false);
  assert.ok(sim.trace.some((line) => line.endsWith(' dropped')));

  // Later messages still arrive: the handler has run once, for this ask only.
  assert.equal(await sim.run(counter.ask({ type: 'work' })), 1);
  await sim.shutdown();
});

test('dropped reply times out ask', async () => {
  const sim = await Simulation.start({ seed: 11, threads: 2 });
  const counter = sim.engine.spawn(CounterModule, { name: 'counter', placement: { thread: 1 } });
  await sim.run(counter.whenLive());
  const drop = sim.dropBetweenThreads(1, 'main');

  const error = await sim.run(counter.ask({ type: 'work' }, { timeoutMs: 500 })).catch((caught: unknown) => caught);
  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'Timeout');
  assert.equal(sim.now(), 500);
  assert.equal(drop.firings.length, 1);
  await sim.shutdown();
});

test('unclonable values fail as on real threads', async () => {
  const sim = await Simulation.start({ seed: 3, threads: 1 });
  const counter = sim.engine.spawn(CounterModule, { name: 'counter', placement: { thread: 0 } });

  const sent = counter.send({ type: 'echo', value: () => 1 });
  assert.ok(sent instanceof SendError);
  assert.equal(sent.kind, 'SerializationFailed');

  const reply = await sim.run(counter.ask({ type: 'unclonableReply' })).catch((caught: unknown) => caught);
  assert.ok(reply instanceof AskError);
  assert.equal(reply.kind, 'HandlerFailed');
  assert.ok(reply.cause instanceof SendError);
  assert.equal(reply.cause.kind, 'SerializationFailed');

  assert.equal(await sim.run(counter.ask({ type: 'echo', value: 'next' })), 'next');
  await sim.shutdown();
});

/** A scenario with threads, asks and a thread kill, for the determinism tests. */
async function scenario(sim: Simulation): Promise<void> {
  const pool = sim.engine.spawnWorkerPool(CounterModule, { size: 3, placement: 'spread', namePrefix: 'w' });
  sim.killThreadAt(12, 1);
  const asks = Array.from({ length: 6 }, (_, i) => pool.ask({ type: i % 2 === 0 ? 'work' : 'slowWork' }));
  await sim.run(Promise.allSettled(asks));
  await sim.run(Promise.all(workerPaths.slice(0, 3).map((path) => lookup(sim, path).whenLive())));
  await sim.run(pool.ask({ type: 'work' }));
  await sim.shutdown();
}

test('same seed, same trace with threads', async () => {
  const first = await Simulation.start({ seed: 99, threads: 2 });
  await scenario(first);
  const second = await Simulation.start({ seed: 99, threads: 2 });
  await scenario(second);
  assert.ok(first.trace.some((line) => line.includes(' kill-thread t1.1 ')));
  assert.ok(first.trace.some((line) => line.includes(' run t1:')));
  assert.equal(second.traceText(), first.traceText());
});

test('replay with threads', async () => {
  const recorded = await Simulation.start({ seed: 5, threads: 2 });
  await scenario(recorded);

  const replayed = await Simulation.start({ seed: 5, threads: 2, replay: recorded.traceText() });
  await scenario(replayed);
  assert.equal(replayed.traceText(), recorded.traceText());
});

test('replay diverges on unready delivery', async () => {
  const recorded = await Simulation.start({ seed: 5, threads: 2 });
  await scenario(recorded);
  const edited = recorded.trace.map((line) => line.replace(' deliver main>t0 ', ' deliver main>t1 '));

  const replayed = await Simulation.start({ seed: 5, threads: 2, replay: edited });
  const error = await scenario(replayed).catch((caught: unknown) => caught);
  assert.ok(error instanceof SimulationError);
  assert.equal(error.kind, 'Divergence');
});

test('thread faults reject bad arguments', async () => {
  const sim = await Simulation.start({ seed: 1, threads: 2 });
  assert.throws(() => sim.killThread(2), RangeError);
  assert.throws(() => sim.killThreadAt(0, 0), RangeError);
  assert.throws(() => sim.dropBetweenThreads(0, 1), TypeError);
  assert.throws(() => sim.dropBetweenThreads('main', 'main'), TypeError);
  assert.throws(() => sim.dropBetweenThreads(0, 'main', { match: 'work' }), TypeError);
  assert.throws(() => sim.dropBetweenThreads('main', 5), RangeError);
  await sim.shutdown();
  const plain = await Simulation.start({ seed: 1 });
  assert.throws(() => plain.killThread(0), RangeError);
  await assert.rejects(Simulation.start({ seed: 1, threads: 0 }), RangeError);
  await plain.shutdown();
});
