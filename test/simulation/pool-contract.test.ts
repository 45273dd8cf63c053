/**
 * The WorkerPool contract under simulation, each scenario across 1,000
 * seeds. The pool runs on a simulated engine (placement 'local'), so its
 * `sendWhenReady` timers, ask timeouts and restart backoff all run on
 * virtual time. Every seed draws its own pool size, workload, crash point
 * and schedule; the checks are the contract that must hold for all of them.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AskError, SendError, type WorkerPool } from '../../src/index.js';
import { forEachSeed, type CrashFault, type Simulation } from '../../src/testing/index.js';
import { Gate, lenientSupervision, recordingWorker, type Delivery } from '../pool/support.js';
import { actorEntry } from './helpers.js';

const seedCount = 1000;

type RecordingWorker = ReturnType<typeof recordingWorker>;
type Pool = WorkerPool<RecordingWorker>;

/** Restarts wait this long in virtual time, so a test can act inside the restart window. */
const restartDelayMs = 50;
const delayedRestarts = { supervision: { ...lenientSupervision, backoff: { minMs: restartDelayMs, maxMs: restartDelayMs, jitter: 0 } } };
const immediateRestarts = { supervision: lenientSupervision };

function workerPath(slot: number): string {
  return `/user/worker-${slot}`;
}

function spawnPool(sim: Simulation, log: Delivery[], size: number, mailboxCapacity?: number): Pool {
  const config = mailboxCapacity === undefined ? { size, placement: 'local' as const } : { size, mailboxCapacity, placement: 'local' as const };
  return sim.engine.spawnWorkerPool(recordingWorker(log), config);
}

/** Lets the simulation make 0 to `max` decisions, so the next call lands in a drawn interleaving. */
async function someSteps(sim: Simulation, max = 3): Promise<void> {
  const steps = sim.random.nextInt(max + 1);
  if (steps > 0) await sim.runSteps(steps);
}

/**
 * Returns the AskError kind `promise` rejects with, or 'fulfilled'. It
 * attaches the handler at once, so a rejection while the test drives the
 * simulation is never unhandled.
 */
function outcomeKind(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'fulfilled',
    (error: unknown) => {
      assert.ok(error instanceof AskError, `expected an AskError, got ${String(error)}`);
      return error.kind;
    },
  );
}

/** Tracks whether a promise has settled yet. */
function track<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  return { settled: () => settled, promise: tracked };
}

type Operation = 'send' | 'ask' | 'sendWhenReady';
const operations: readonly Operation[] = ['send', 'ask', 'sendWhenReady'];

test('rotation is exact across handles', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const log: Delivery[] = [];
    const size = 1 + sim.random.nextInt(5);
    const pool = spawnPool(sim, log, size);
    const handles: Pool[] = [pool];
    const handleCount = 1 + sim.random.nextInt(4);
    while (handles.length < handleCount) handles.push(sim.random.chance(0.5) ? pool.handle() : sim.random.pick(handles).handle());

    const sends = 1 + sim.random.nextInt(16);
    const pending: Promise<unknown>[] = [];
    for (let seq = 0; seq < sends; seq++) {
      const handle = sim.random.pick(handles);
      const message = { type: 'record', seq } as const;
      const operation = sim.random.pick(operations);
      if (operation === 'send') assert.equal(handle.send(message), undefined, `send ${seq}`);
      else if (operation === 'ask') pending.push(handle.ask(message));
      else pending.push(handle.sendWhenReady(message));
      await someSteps(sim);
    }
    const outcomes = await sim.run(Promise.all(pending));
    for (const outcome of outcomes) assert.notEqual(typeof outcome, 'object');
    await sim.runUntilIdle();

    // Message k went to slot k mod size: the rotation with no repeat and no skip.
    const handled = log.map((delivery) => delivery.seq).sort((a, b) => a - b);
    assert.deepEqual(handled, Array.from({ length: sends }, (_, k) => k));
    for (const delivery of log) assert.equal(delivery.worker, `worker-${delivery.seq % size}`, `slot of message ${delivery.seq}`);
  }, { engine: immediateRestarts });
});

test('full worker returns MailboxFull while siblings idle', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const log: Delivery[] = [];
    const size = 2 + sim.random.nextInt(3);
    const capacity = 1 + sim.random.nextInt(3);
    const pool = spawnPool(sim, log, size, capacity);
    const gate = new Gate();

    // Slot 0 keeps its handler running, so its mailbox never drains.
    const holding = pool.ask({ type: 'hold', gate, seq: 0 });
    await sim.runUntilIdle();
    let seq = 1;
    const pending: Promise<unknown>[] = [];
    const sendNext = (): SendError | undefined => {
      const message = { type: 'record', seq: seq++ } as const;
      if (sim.random.chance(0.5)) return pool.send(message);
      pending.push(pool.ask(message));
      return undefined;
    };
    // The rest of the first round, then `capacity` rounds that each queue one message in slot 0.
    // The siblings drain at the end of each round, so only slot 0 fills up.
    for (let i = 1; i < size * (capacity + 1); i++) {
      assert.equal(sendNext(), undefined, `send ${seq - 1}`);
      await someSteps(sim);
      if ((i + 1) % size === 0) await sim.runUntilIdle();
    }

    const rejectedSeq = seq;
    const full = pool.send({ type: 'record', seq: seq++ });
    assert.ok(full instanceof SendError);
    assert.equal(full.kind, 'MailboxFull');
    assert.equal(full.path, workerPath(0));
    const snapshot = sim.engine.snapshot();
    assert.equal(actorEntry(snapshot, workerPath(0)).mailboxDepth, capacity);
    for (let slot = 1; slot < size; slot++) assert.equal(actorEntry(snapshot, workerPath(slot)).mailboxDepth, 0, `depth of slot ${slot}`);

    // The refused message went nowhere else: the next send is slot 1's own.
    const nextSeq = seq;
    assert.equal(pool.send({ type: 'record', seq: seq++ }), undefined);
    await sim.runUntilIdle();
    assert.deepEqual(log.at(-1), { worker: 'worker-1', generation: 1, seq: nextSeq });
    assert.equal(log.some((delivery) => delivery.seq === rejectedSeq), false);

    gate.open();
    assert.equal(await sim.run(holding), 0);
    await sim.run(Promise.all(pending));
  }, { engine: immediateRestarts });
});

/**
 * Sends rounds of `record` over the pool with drawn steps between sends and
 * crashes slot `victim` once along the way: between two sends, at a drawn
 * step or on its next `record`. Runs until idle afterwards.
 */
async function workloadWithOneCrash(sim: Simulation, pool: Pool, victim: number): Promise<void> {
  const path = workerPath(victim);
  const mode = sim.random.nextInt(3);
  let fault: CrashFault | undefined;
  // A drawn step within the first few decisions, since a small workload makes only a handful.
  if (mode === 0) fault = sim.crashAt(sim.step + 1 + sim.random.nextInt(3), path);
  if (mode === 1) fault = sim.crashOnMessage(path, 'record');
  let crashed = false;

  const sends = pool.size * (1 + sim.random.nextInt(2));
  const crashBeforeSend = sim.random.nextInt(sends);
  for (let i = 0; i < sends; i++) {
    if (mode === 2 && i === crashBeforeSend) crashed = sim.crash(path);
    const slot = i % pool.size;
    const error = pool.send({ type: 'record', seq: i });
    // Only the victim may reject, and only once it has crashed.
    if (slot !== victim || !(crashed || (fault?.firings.length ?? 0) > 0)) assert.equal(error, undefined, `send ${i} to slot ${slot}`);
    else if (error !== undefined) assert.equal(error.kind, 'Unroutable');
    await someSteps(sim);
  }
  await sim.runUntilIdle();

  if (fault !== undefined) {
    crashed = fault.firings.length === 1;
    fault.cancel();
  }
  if (!crashed) {
    assert.ok(sim.crash(path), 'the victim takes messages, so it can crash');
    await sim.runUntilIdle();
  }
}

test('crashed slot is Unroutable until its restart', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const log: Delivery[] = [];
    const size = 2 + sim.random.nextInt(3);
    const pool = spawnPool(sim, log, size);
    await sim.run(pool.ready());
    const before = Array.from({ length: size }, (_, slot) => pool.workerAddr(slot));
    const victim = sim.random.nextInt(size);

    await workloadWithOneCrash(sim, pool, victim);
    const crashedAt = sim.now();
    assert.equal(pool.workerAddr(victim), undefined);

    // Inside the restart window: one full rotation, then an ask to the victim.
    await sim.advance(sim.random.nextInt(restartDelayMs));
    assert.equal(pool.workerAddr(victim), undefined);
    for (let slot = 0; slot < size; slot++) {
      const error = pool.send({ type: 'record', seq: 100 + slot });
      if (slot === victim) {
        assert.equal(error?.kind, 'Unroutable', 'send to the crashed slot');
        assert.equal(error.path, workerPath(victim));
      } else {
        assert.equal(error, undefined, `send to slot ${slot}`);
      }
    }
    for (let slot = 0; slot < victim; slot++) pool.send({ type: 'record', seq: 200 + slot });
    const rejected = await sim.run(pool.ask({ type: 'whoami' }).then(() => undefined, (error: unknown) => error));
    assert.ok(rejected instanceof AskError);
    assert.equal(rejected.kind, 'Send');
    assert.ok(rejected.cause instanceof SendError);
    assert.equal(rejected.cause.kind, 'Unroutable');
    assert.equal(pool.workersReadyCount(), size);

    await sim.run(pool.ready());
    assert.ok(sim.now() >= crashedAt + restartDelayMs, 'the restart waits for its backoff');
    const after = pool.workerAddr(victim);
    assert.ok(after !== undefined);
    assert.equal(after.path, workerPath(victim));
    assert.equal(after.pathHash, before[victim]?.pathHash);
    assert.equal(after.generation, 2);
    for (let slot = 0; slot < size; slot++) {
      if (slot !== victim) assert.ok(pool.workerAddr(slot)?.equals(before[slot]), `slot ${slot} untouched`);
    }

    // The next full rotation reaches every slot, the victim in its new generation.
    const first = log.length;
    for (let i = 0; i < size; i++) assert.equal(pool.send({ type: 'record', seq: 300 + i }), undefined);
    await sim.runUntilIdle();
    const round = log.slice(first).map((delivery) => `${delivery.worker}#${delivery.generation}`).sort();
    const expected = Array.from({ length: size }, (_, slot) => `worker-${slot}#${slot === victim ? 2 : 1}`).sort();
    assert.deepEqual(round, expected);
  }, { engine: delayedRestarts });
});

test('eight asks to a crashing worker all reject', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const log: Delivery[] = [];
    const pool = spawnPool(sim, log, 2);
    const gate = new Gate();

    // Even-numbered asks go to slot 0: the first keeps its handler running and seven queue behind it.
    const toCrashing: Promise<string>[] = [];
    const toSibling: Promise<unknown>[] = [];
    for (let seq = 0; seq < 16; seq++) {
      const message = seq === 0 ? ({ type: 'hold', gate, seq } as const) : ({ type: 'record', seq } as const);
      if (seq % 2 === 0) toCrashing.push(outcomeKind(pool.ask(message)));
      else toSibling.push(pool.ask(message));
      // At most one step per send, so the sibling often has work left when the crash comes.
      await someSteps(sim, 1);
    }
    // A depth of 7 means slot 0 has taken `hold` and queued the other seven; 8 means it has not run yet.
    while (actorEntry(sim.engine.snapshot(), workerPath(0)).mailboxDepth !== 7) await sim.runSteps(1);

    // Crash now, at a drawn later step while the sibling still works, or by the held handler throwing.
    // The sibling handles at most 3 messages per step, so it runs for at least ceil(depth / 3) more steps.
    const siblingDepth = actorEntry(sim.engine.snapshot(), workerPath(1)).mailboxDepth;
    const mode = sim.random.nextInt(3);
    if (mode === 0 || (mode === 1 && siblingDepth === 0)) assert.ok(sim.crash(workerPath(0)));
    if (mode === 1 && siblingDepth > 0) {
      const fault = sim.crashAt(sim.step + 1 + sim.random.nextInt(Math.ceil(siblingDepth / 3)), workerPath(0));
      await sim.runUntilIdle();
      assert.equal(fault.firings.length, 1, 'the crash fires while the sibling works');
    }
    if (mode === 2) gate.fail(new Error('injected fault'));

    const kinds = await sim.run(Promise.all(toCrashing));
    assert.deepEqual(kinds, ['HandlerFailed', ...Array<string>(7).fill('NoResponse')]);
    assert.deepEqual(await sim.run(Promise.all(toSibling)), [1, 3, 5, 7, 9, 11, 13, 15]);
    await sim.runUntilIdle();
    const snapshot = sim.engine.snapshot();
    assert.equal(snapshot.pendingAsks, 0);
    assert.equal(actorEntry(snapshot, workerPath(0)).deadLetters, 7);
  }, { engine: immediateRestarts });
});

test('every worker handles one after repeated crashes', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const log: Delivery[] = [];
    const size = 2 + sim.random.nextInt(3);
    const rounds = 2 + sim.random.nextInt(2);
    const pool = spawnPool(sim, log, size);
    await sim.run(pool.ready());

    for (let round = 0; round < rounds; round++) {
      // Each slot crashes once per round: now, or on the round's message to it.
      const faults: (CrashFault | undefined)[] = [];
      for (let slot = 0; slot < size; slot++) {
        if (sim.random.chance(0.5)) {
          assert.ok(sim.crash(workerPath(slot)), `crash slot ${slot} in round ${round}`);
          faults.push(undefined);
        } else {
          faults.push(sim.crashOnMessage(workerPath(slot), 'record'));
        }
        await someSteps(sim);
      }
      for (let slot = 0; slot < size; slot++) {
        const error = pool.send({ type: 'record', seq: slot });
        if (faults[slot] !== undefined) assert.equal(error, undefined, `send to slot ${slot} in round ${round}`);
        await someSteps(sim);
      }
      await sim.runUntilIdle();
      for (const [slot, fault] of faults.entries()) assert.equal(fault?.firings.length ?? 1, 1, `crash of slot ${slot}`);
      await sim.run(pool.ready());
    }
    const generations = Array.from({ length: size }, (_, slot) => pool.workerAddr(slot)?.generation);
    assert.deepEqual(generations, new Array<number>(size).fill(rounds + 1));

    const first = log.length;
    for (let seq = 0; seq < pool.size; seq++) assert.equal(pool.send({ type: 'record', seq }), undefined);
    await sim.runUntilIdle();
    const workers = log.slice(first).map((delivery) => delivery.worker).sort();
    assert.deepEqual(workers, Array.from({ length: size }, (_, slot) => `worker-${slot}`).sort());
  }, { engine: immediateRestarts });
});

test('pool of one serves the ask after a restart', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const pool = spawnPool(sim, [], 1);
    const gate = new Gate();

    // Crash as the handler starts, or while it waits on its gate.
    const onMessage = sim.random.chance(0.5);
    if (onMessage) sim.crashOnMessage(workerPath(0), 'hold');
    const crashing = outcomeKind(pool.ask({ type: 'hold', gate, seq: 0 }));
    await sim.runUntilIdle();
    if (!onMessage) assert.ok(sim.crash(workerPath(0)));
    assert.equal(await sim.run(crashing), 'HandlerFailed');

    await sim.run(pool.ready());
    assert.deepEqual(await sim.run(pool.ask({ type: 'whoami' })), { worker: 'worker-0', generation: 2 });
  }, { engine: immediateRestarts });
});

test('timed-out asks keep the pool at full size', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const pool = spawnPool(sim, [], 2);
    const gates = Array.from({ length: 5 }, () => new Gate());
    const timeoutMs = 1 + sim.random.nextInt(50);

    const started = sim.now();
    const timeouts: Promise<string>[] = [];
    for (const [seq, gate] of gates.entries()) {
      timeouts.push(outcomeKind(pool.ask({ type: 'hold', gate, seq }, { timeoutMs })));
      await someSteps(sim);
    }
    assert.deepEqual(await sim.run(Promise.all(timeouts)), new Array<string>(5).fill('Timeout'));
    assert.equal(sim.now() - started, timeoutMs, 'the asks time out on virtual time');
    assert.equal(pool.workersReadyCount(), 2);
    assert.equal(pool.workerAddr(0)?.generation, 1);
    assert.equal(pool.workerAddr(1)?.generation, 1);

    for (const gate of gates) gate.open();
    const first = await sim.run(pool.ask({ type: 'whoami' }));
    const second = await sim.run(pool.ask({ type: 'whoami' }));
    assert.deepEqual([first.worker, second.worker].sort(), ['worker-0', 'worker-1']);
    assert.equal(pool.workersReadyCount(), 2);
  }, { engine: immediateRestarts });
});

test('timed-out ask leaves the next message alone', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const log: Delivery[] = [];
    const pool = spawnPool(sim, log, 2);
    const gate = new Gate();
    const timeoutMs = 1 + sim.random.nextInt(50);

    const timedOut = outcomeKind(pool.ask({ type: 'hold', gate, seq: 1 }, { timeoutMs }));
    await someSteps(sim);
    assert.equal(await sim.run(timedOut), 'Timeout');
    assert.equal(sim.now(), timeoutMs, 'the ask times out on virtual time');
    assert.equal(pool.send({ type: 'record', seq: 2 }), undefined);
    // Slot 0 again, queued behind the handler whose ask timed out.
    const next = pool.ask({ type: 'record', seq: 3 });
    await someSteps(sim);
    gate.open();

    assert.equal(await sim.run(next), 3);
    await sim.runUntilIdle();
    const onSlot0 = log.filter((delivery) => delivery.worker === 'worker-0').map((delivery) => delivery.seq);
    assert.deepEqual(onSlot0, [1, 3]);
    assert.equal(log.length, 3);
    assert.equal(pool.workerAddr(0)?.generation, 1);
  }, { engine: immediateRestarts });
});

test('waiting send delivers after a restart window', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const log: Delivery[] = [];
    const pool = spawnPool(sim, log, 2);
    await sim.run(pool.ready());

    // Crash slot 0 directly or on its next message; the rotation is back at slot 0 afterwards.
    if (sim.random.chance(0.5)) {
      sim.crashOnMessage(workerPath(0), 'record');
      assert.equal(pool.send({ type: 'record', seq: 0 }), undefined);
      assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);
      await sim.runUntilIdle();
    } else {
      await someSteps(sim);
      assert.ok(sim.crash(workerPath(0)));
    }
    const crashedAt = sim.now();
    assert.equal(pool.workerAddr(0), undefined);

    const waiting = track(pool.sendWhenReady({ type: 'record', seq: 2 }));
    await sim.advance(sim.random.nextInt(restartDelayMs));
    assert.equal(waiting.settled(), false);

    assert.equal(await sim.run(waiting.promise), undefined);
    assert.ok(sim.now() >= crashedAt + restartDelayMs, 'the send waits for the restart');
    await sim.runUntilIdle();
    assert.deepEqual(log.at(-1), { worker: 'worker-0', generation: 2, seq: 2 });
    // The restart timer has fired, and the waiting send released its own timer.
    assert.equal(sim.pendingTimers, 0);
  }, { engine: delayedRestarts });
});

test('waiting send times out during a long restart', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const pool = spawnPool(sim, [], 1 + sim.random.nextInt(2));
    await sim.run(pool.ready());
    await someSteps(sim);
    assert.ok(sim.crash(workerPath(0)));
    await someSteps(sim);

    const timeoutMs = sim.random.nextInt(100);
    const started = sim.now();
    const error = await sim.run(pool.sendWhenReady({ type: 'record', seq: 1 }, { timeoutMs }));
    assert.ok(error instanceof SendError);
    assert.equal(error.kind, 'Unroutable');
    assert.equal(sim.now() - started, timeoutMs, 'the send times out on virtual time');
    // Only the restart backoff timer is left: the waiting send released its own.
    assert.equal(sim.pendingTimers, 1);
  }, { engine: { supervision: { ...lenientSupervision, backoff: { minMs: 60_000, maxMs: 60_000, jitter: 0 } } } });
});
