/**
 * Every time-based feature runs on the injected clock, so under simulation
 * a five-second window passes in one call and lands on the exact
 * millisecond.
 */

import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import { test } from 'node:test';
import { AskError, channelNames, defineActor, type StopTimeoutEvent } from '../../src/index.js';
import { forEachSeed, seedVariable, Simulation } from '../../src/testing/index.js';
import { EventLog, Worker } from './helpers.js';

const Sleeper = defineActor({
  name: 'sleeper',
  state: () => ({ ticks: 0 }),
  handlers: {
    /** Never replies. */
    hang(): Promise<never> {
      return new Promise<never>(() => undefined);
    },
    schedule(_state, message: { delayMs: number }, ctx): void {
      ctx.sendAfter(message.delayMs, ctx.self, { type: 'tick' });
    },
    tick(state): void {
      state.ticks++;
    },
    ticks(state): number {
      return state.ticks;
    },
  },
});

/** An actor whose `onStop` never finishes. */
const StuckOnStop = defineActor({
  name: 'stuck',
  state: () => ({}),
  handlers: {
    ping(): string {
      return 'pong';
    },
  },
  onStop(): Promise<void> {
    return new Promise<void>(() => undefined);
  },
});

const Parent = defineActor({
  name: 'parent',
  state: () => ({}),
  onStart(_state, ctx): void {
    ctx.spawn(Worker, { name: 'child' });
  },
  handlers: {},
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

test('ask times out on virtual time', async () => {
  await forEachSeed(50, async (sim) => {
    const sleeper = sim.engine.spawn(Sleeper, { name: 'sleeper' });

    const error = await rejection(sim.run(sleeper.ask({ type: 'hang' }, { timeoutMs: 1500 })));
    assert.ok(error instanceof AskError);
    assert.equal(error.kind, 'Timeout');
    assert.equal(sim.now(), 1500);
  });
});

test('default ask timeout is 30 s of virtual time', async () => {
  const sim = await Simulation.start({ seed: 1 });
  const sleeper = sim.engine.spawn(Sleeper, { name: 'sleeper' });

  const error = await rejection(sim.run(sleeper.ask({ type: 'hang' })));
  assert.ok(error instanceof AskError);
  assert.equal(error.code, 'RHODIUM_ERR_ASK_TIMEOUT');
  assert.equal(sim.now(), 30_000);
  await sim.shutdown();
});

test('sendAfter delivers at its due time', async () => {
  await forEachSeed(50, async (sim) => {
    const sleeper = sim.engine.spawn(Sleeper, { name: 'sleeper' });
    sleeper.send({ type: 'schedule', delayMs: 5000 });

    await sim.advance(4999);
    assert.equal(await sim.run(sleeper.ask({ type: 'ticks' })), 0);
    await sim.advance(1);
    assert.equal(await sim.run(sleeper.ask({ type: 'ticks' })), 1);
    assert.equal(sim.now(), 5000);
  });
});

test('sendAfter is cancelled when the incarnation ends', async () => {
  await forEachSeed(50, async (sim) => {
    const sleeper = sim.engine.spawn(Sleeper, { name: 'sleeper' });
    sleeper.send({ type: 'schedule', delayMs: 5000 });
    await sim.advance(1000);
    assert.equal(sim.pendingTimers, 1);

    assert.ok(sim.crash(sleeper));
    await sim.advance(10_000);
    assert.equal(sleeper.current()?.generation, 2);
    assert.equal(await sim.run(sleeper.ask({ type: 'ticks' })), 0);
    assert.equal(sim.pendingTimers, 0);
  });
});

test('restart backoff waits on virtual time', async () => {
  await forEachSeed(50, async (sim) => {
    const worker = sim.engine.spawn(Worker, { name: 'w' });
    await sim.runUntilIdle();
    const start = sim.now();

    assert.ok(sim.crash(worker));
    await sim.runUntilIdle();
    assert.equal(worker.current(), undefined);
    assert.equal(worker.send({ type: 'work' })?.kind, 'Unroutable');

    // The first restart waits minMs; the second, inside the same window, twice that.
    await sim.advance(99);
    assert.equal(worker.current(), undefined);
    await sim.advance(1);
    assert.equal(worker.current()?.generation, 2);
    assert.equal(sim.now() - start, 100);

    assert.ok(sim.crash(worker));
    await sim.advance(199);
    assert.equal(worker.current(), undefined);
    await sim.advance(1);
    assert.equal(worker.current()?.generation, 3);
  }, { engine: { supervision: { backoff: { minMs: 100, maxMs: 1000, jitter: 0 } } } });
});

test('backoff jitter repeats under the same seed', async () => {
  // The first restart waits exactly minMs whatever the jitter, because jitter
  // only shortens a delay and never below minMs. The second one waits
  // 2 * minMs shortened by up to half, so its delay depends on the seed.
  const firstDelays: number[] = [];
  const secondDelays: number[] = [];
  for (const seed of [7, 7, 8]) {
    const sim = await Simulation.start({ seed, engine: { supervision: { backoff: { minMs: 1000, maxMs: 8000, jitter: 0.5 } } } });
    const worker = sim.engine.spawn(Worker, { name: 'w' });
    await sim.run(worker.whenLive());

    for (const delays of [firstDelays, secondDelays]) {
      const crashedAt = sim.now();
      assert.ok(sim.crash(worker));
      await sim.run(worker.whenLive());
      delays.push(sim.now() - crashedAt);
    }
    await sim.shutdown();
  }

  assert.deepEqual(firstDelays, [1000, 1000, 1000]);
  const [second, again, other] = secondDelays as [number, number, number];
  assert.equal(again, second);
  assert.notEqual(other, second);
  for (const delay of secondDelays) assert.ok(delay >= 1000 && delay <= 2000, `second restart after ${delay} ms`);
});

test('intensity window edge is exclusive', async () => {
  for (const [lastGapMs, escalates] of [
    [4999, true],
    [5000, false],
  ] as const) {
    const sim = await Simulation.start({ seed: 3 });
    const worker = sim.engine.spawn(Worker, { name: 'w' });
    const log = new EventLog();
    try {
      // Three restarts at t=0 use up the default intensity of 3 in 5000 ms.
      for (let i = 0; i < 3; i++) {
        await sim.runUntilIdle();
        assert.ok(sim.crash(worker));
      }
      await sim.advance(lastGapMs);
      assert.ok(sim.crash(worker));
      await sim.runUntilIdle();
    } finally {
      log.close();
    }

    assert.equal(log.escalations.length, escalates ? 1 : 0, `fourth crash after ${lastGapMs} ms`);
    assert.equal(worker.current()?.generation, escalates ? undefined : 5);
    await sim.shutdown();
  }
});

test('stop waits for onStop until the shutdown policy deadline', async () => {
  await forEachSeed(50, async (sim) => {
    const stuck = sim.engine.spawn(StuckOnStop, { name: 'stuck', shutdown: { timeoutMs: 300 } });
    await sim.runUntilIdle();
    const timeouts: StopTimeoutEvent[] = [];
    const listener = (message: unknown): void => {
      timeouts.push(message as StopTimeoutEvent);
    };
    diagnosticsChannel.subscribe(channelNames.stopTimeout, listener);

    try {
      await sim.run(sim.engine.stop(stuck));
    } finally {
      diagnosticsChannel.unsubscribe(channelNames.stopTimeout, listener);
    }
    assert.equal(sim.now(), 300);
    assert.deepEqual(timeouts.map((event) => [event.path, event.phase]), [['/user/stuck', 'onStop']]);
    assert.equal(stuck.send({ type: 'ping' })?.kind, 'ActorStopped');
  });
});

test('engine shutdown ends at its deadline', async () => {
  await forEachSeed(50, async (sim) => {
    const stuck = sim.engine.spawn(StuckOnStop, { name: 'stuck', shutdown: { timeoutMs: 60_000 } });
    sim.engine.spawn(Parent, { name: 'parent' });
    assert.equal(await sim.run(stuck.ask({ type: 'ping' })), 'pong');

    const report = await sim.shutdown({ timeoutMs: 2000 });
    assert.equal(report.completed, false);
    assert.equal(report.durationMs, 2000);
    assert.deepEqual(report.abandoned, ['/user/stuck']);
    assert.equal(sim.now(), 2000);
  });
});

test('shutdown releases every timer', async () => {
  await forEachSeed(50, async (sim) => {
    const sleeper = sim.engine.spawn(Sleeper, { name: 'sleeper', shutdown: { timeoutMs: 500 } });
    sleeper.send({ type: 'schedule', delayMs: 60_000 });
    const pending = rejection(sleeper.ask({ type: 'hang' }, { timeoutMs: 90_000 }));
    await sim.runUntilIdle();
    assert.equal(sim.pendingTimers, 2);

    const report = await sim.shutdown({ timeoutMs: 1000 });
    const error = await pending;
    assert.ok(error instanceof AskError);
    assert.equal(error.kind, 'NoResponse');
    // The handler passed the actor's own 500 ms deadline, so the report
    // lists it as abandoned and the shutdown counts as incomplete.
    assert.equal(report.completed, false);
    assert.deepEqual(report.abandoned, ['/user/sleeper']);
    assert.equal(sim.now(), 500);
    assert.equal(sim.pendingTimers, 0);
  });
});

test('shutdown deadline releases every timer', async () => {
  // The engine deadline (1000 ms) passes while the actor's own stop deadline
  // (5000 ms) is pending. Abandoning the actor must clear that timer, or in
  // production it would keep the process alive until it fires.
  await forEachSeed(50, async (sim) => {
    const sleeper = sim.engine.spawn(Sleeper, { name: 'sleeper' });
    const pending = rejection(sleeper.ask({ type: 'hang' }, { timeoutMs: 90_000 }));
    await sim.runUntilIdle();

    const report = await sim.shutdown({ timeoutMs: 1000 });
    assert.ok((await pending) instanceof AskError);
    assert.equal(report.completed, false);
    assert.equal(sim.pendingTimers, 0);
  });
});

test('ask timeout races a stop deadline', async () => {
  const outcomes = new Set<string>();
  await forEachSeed(200, async (sim) => {
    const sleeper = sim.engine.spawn(Sleeper, { name: 'sleeper', shutdown: { timeoutMs: 5000 } });
    const pending = rejection(sleeper.ask({ type: 'hang' }, { timeoutMs: 5000 }));
    await sim.runUntilIdle();

    // Both timers fall due at 5000 ms, so the seed decides which one fires first.
    const stopped = sim.run(sim.engine.stop(sleeper));
    const error = await pending;
    await stopped;
    assert.ok(error instanceof AskError);
    assert.ok(error.kind === 'Timeout' || error.kind === 'NoResponse', `ask ended with ${error.kind}`);
    assert.equal(sim.now(), 5000);
    assert.equal(sim.pendingTimers, 0);
    outcomes.add(error.kind);
  });
  // A rerun of one seed meets only one of the orders.
  if (process.env[seedVariable] === undefined) assert.deepEqual([...outcomes].sort(), ['NoResponse', 'Timeout']);
});
