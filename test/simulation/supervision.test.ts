/**
 * Supervision scenarios under simulation, each across 1,000 seeds. Every
 * seed draws its own workload, crash point and schedule; the checks are
 * the invariants that must hold for all of them.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, EscalationError, type StableAddr, type SupervisionStrategy } from '../../src/index.js';
import { forEachSeed, type CrashFault, type Simulation } from '../../src/testing/index.js';
import { actorEntry, childNames, EventLog, Supervisor, supervision, Worker } from './helpers.js';

const seedCount = 1000;

type WorkerAddr = StableAddr<typeof Worker>;

/** Messages each path accepted, by path. */
type Accepted = Map<string, number>;

/**
 * Sends a random workload to `targets` with a few scheduling steps between
 * sends, and crashes `victim` exactly once along the way: at a drawn step,
 * on its first `work` message, or between two sends.
 */
async function workloadWithOneCrash(sim: Simulation, targets: readonly WorkerAddr[], victim: WorkerAddr, accepted: Accepted): Promise<void> {
  const mode = sim.random.nextInt(3);
  let fault: CrashFault | undefined;
  if (mode === 0) fault = sim.crashAt(sim.step + 1 + sim.random.nextInt(12), victim);
  if (mode === 1) fault = sim.crashOnMessage(victim, 'work');
  let crashed = false;

  const sends = 4 + sim.random.nextInt(8);
  const crashBeforeSend = sim.random.nextInt(sends);
  for (let i = 0; i < sends; i++) {
    if (mode === 2 && i === crashBeforeSend) crashed = sim.crash(victim);
    sendWork(sim, sim.random.pick(targets), accepted);
    await sim.runSteps(1 + sim.random.nextInt(3));
  }
  await sim.runUntilIdle();

  if (fault !== undefined) {
    crashed = fault.firings.length === 1;
    fault.cancel();
  }
  if (!crashed) {
    assert.ok(sim.crash(victim), 'the victim takes messages, so it can crash');
    await sim.runUntilIdle();
  }
}

/** Sends `work` or `slowWork`; only a restart window may reject it. */
function sendWork(sim: Simulation, target: WorkerAddr, accepted: Accepted): void {
  const error = target.send({ type: sim.random.chance(0.5) ? 'work' : 'slowWork' });
  if (error === undefined) {
    accepted.set(target.path, (accepted.get(target.path) ?? 0) + 1);
    return;
  }
  assert.equal(error.kind, 'Unroutable');
}

/** Asserts that every accepted message was handled or counted as a dead letter, and none was counted twice. */
function assertNothingLost(sim: Simulation, accepted: Accepted): void {
  const snapshot = sim.engine.snapshot();
  for (const [path, count] of accepted) {
    const entry = actorEntry(snapshot, path);
    assert.equal(entry.messagesHandled + entry.deadLetters, count, `messages of ${path}`);
  }
}

/** Starts `/user/sup` with children a, b, c under `strategy` and runs until they are live. */
async function startSupervisor(sim: Simulation, strategy: SupervisionStrategy, intensity?: { maxRestarts: number; windowMs: number }): Promise<WorkerAddr[]> {
  const sup = sim.engine.spawn(Supervisor, { name: 'sup', supervision: supervision(strategy, intensity) });
  await sim.runUntilIdle();
  assert.equal(await sim.run(sup.ask({ type: 'ping' })), 'pong');
  return childNames.map((name) => sim.engine.lookup(`/user/sup/${name}`) as WorkerAddr);
}

function generations(children: readonly WorkerAddr[]): (number | undefined)[] {
  return children.map((child) => child.current()?.generation);
}

/** Runs one strategy scenario: crash `b` once and return the event log from the crash on. */
async function crashMiddleChild(sim: Simulation, strategy: SupervisionStrategy): Promise<{ children: WorkerAddr[]; log: EventLog }> {
  const children = await startSupervisor(sim, strategy);
  const accepted: Accepted = new Map();
  const log = new EventLog();
  try {
    await workloadWithOneCrash(sim, children, children[1] as WorkerAddr, accepted);
  } finally {
    log.close();
  }
  assertNothingLost(sim, accepted);
  for (const child of children) assert.equal(typeof (await sim.run(child.ask({ type: 'count' }))), 'number');
  return { children, log };
}

test('one-for-one restarts only the crashed child', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const { children, log } = await crashMiddleChild(sim, 'one-for-one');

    assert.deepEqual(generations(children), [1, 2, 1]);
    assert.deepEqual(log.matching('restart '), ['restart /user/sup/b#2 failed']);
    assert.deepEqual(log.matching('stop '), ['stop /user/sup/b#1 failed']);
  });
});

test('one-for-all restarts every child in order', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const { children, log } = await crashMiddleChild(sim, 'one-for-all');

    assert.deepEqual(generations(children), [2, 2, 2]);
    assert.deepEqual(log.matching('stop '), ['stop /user/sup/b#1 failed', 'stop /user/sup/c#1 killed', 'stop /user/sup/a#1 killed']);
    assert.deepEqual(log.matching('restart '), [
      'restart /user/sup/a#2 sibling',
      'restart /user/sup/b#2 failed',
      'restart /user/sup/c#2 sibling',
    ]);
  });
});

test('rest-for-one restarts the crashed child and later ones', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const { children, log } = await crashMiddleChild(sim, 'rest-for-one');

    assert.deepEqual(generations(children), [1, 2, 2]);
    assert.deepEqual(log.matching('stop '), ['stop /user/sup/b#1 failed', 'stop /user/sup/c#1 killed']);
    assert.deepEqual(log.matching('restart '), ['restart /user/sup/b#2 failed', 'restart /user/sup/c#2 sibling']);
  });
});

// Gaps chosen around the default window of 5000 ms, including both sides of its edge.
const crashGapsMs = [0, 1, 1000, 2499, 2500, 4999, 5000, 5001, 7000];

test('restart intensity follows the sliding window', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const worker = sim.engine.spawn(Worker, { name: 'w' });
    const log = new EventLog();
    const restartTimes: number[] = [];
    let escalated = false;
    let crashes = 0;

    try {
      for (let round = 0; round < 6; round++) {
        await sim.advance(sim.random.pick(crashGapsMs));
        worker.send({ type: 'work' });
        await sim.runSteps(1 + sim.random.nextInt(2));

        // The default intensity: more than 3 restarts within 5000 ms escalate.
        const now = sim.now();
        const expectEscalation: boolean = !escalated && restartTimes.filter((time) => time > now - 5000).length + 1 > 3;
        const crashed = sim.crash(worker);
        assert.equal(crashed, !escalated, `crash in round ${round}`);
        if (crashed) crashes++;
        if (crashed && !expectEscalation) restartTimes.push(now);
        escalated ||= expectEscalation;
        await sim.runUntilIdle();
      }
    } finally {
      log.close();
    }

    if (escalated) {
      assert.equal(worker.current(), undefined);
      assert.equal(worker.send({ type: 'work' })?.kind, 'ActorStopped');
      assert.deepEqual(log.escalations.map((event) => [event.path, event.supervisor]), [['/user/w', '/user']]);
      assert.equal(log.matching('restart ').length, crashes - 1);
    } else {
      assert.equal(worker.current()?.generation, crashes + 1);
      assert.equal(log.escalations.length, 0);
      assert.equal(await sim.run(worker.ask({ type: 'count' })), 0);
    }
  });
});

test('escalation restarts the failing supervisor', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const children = await startSupervisor(sim, 'one-for-one', { maxRestarts: 1, windowMs: 1000 });
    const accepted: Accepted = new Map();
    const log = new EventLog();
    const b = children[1] as WorkerAddr;

    try {
      await workloadWithOneCrash(sim, children, b, accepted);
      assert.equal(b.current()?.generation, 2);
      await sim.advance(sim.random.nextInt(1000));
      assert.ok(sim.crash(b));
      await sim.runUntilIdle();
    } finally {
      log.close();
    }

    assert.deepEqual(log.escalations.map((event) => [event.path, event.supervisor]), [['/user/sup/b', '/user/sup']]);
    const supFailure = log.failures.find((event) => event.path === '/user/sup');
    assert.ok(supFailure?.error instanceof EscalationError);
    assert.equal(supFailure.error.code, ErrorCodes.Escalated);
    // The supervisor stops its remaining children in reverse start order before it fails.
    assert.deepEqual(
      log.matching('stop /user/sup/').filter((line) => line.endsWith('killed')),
      ['stop /user/sup/c#1 killed', 'stop /user/sup/a#1 killed'],
    );
    assert.deepEqual(log.matching('restart /user/sup#'), ['restart /user/sup#2 failed']);

    // The new incarnation of the supervisor spawns new children; the old handles stay stopped.
    for (const child of children) assert.equal(child.send({ type: 'work' })?.kind, 'ActorStopped');
    const fresh = childNames.map((name) => sim.engine.lookup(`/user/sup/${name}`) as WorkerAddr);
    assert.deepEqual(generations(fresh), [2, 3, 2]);
    for (const child of fresh) assert.equal(await sim.run(child.ask({ type: 'count' })), 0);
  });
});

test('round robin over stable addresses survives crashes', async () => {
  await forEachSeed(seedCount, async (sim) => {
    const size = 2 + sim.random.nextInt(4);
    const workers = Array.from({ length: size }, (_, i) => sim.engine.spawn(Worker, { name: `pool-${i}` }));
    const attempts = new Array<number>(size).fill(0);
    const accepted: Accepted = new Map();
    const crashes = new Array<number>(size).fill(0);
    let rotation = 0;

    const sends = 10 + sim.random.nextInt(30);
    for (let i = 0; i < sends; i++) {
      const slot = rotation++ % size;
      attempts[slot] = (attempts[slot] ?? 0) + 1;
      sendWork(sim, workers[slot] as WorkerAddr, accepted);

      if (sim.random.chance(0.1)) {
        const victim = sim.random.nextInt(size);
        if (sim.crash(workers[victim] as WorkerAddr)) crashes[victim] = (crashes[victim] ?? 0) + 1;
      }
      await sim.runSteps(1 + sim.random.nextInt(4));
      if (sim.random.chance(0.2)) await sim.advance(2000);
    }
    await sim.runUntilIdle();

    // Each slot got every size-th send, whatever happened to it.
    for (let slot = 0; slot < size; slot++) {
      assert.equal(attempts[slot], Math.floor(sends / size) + (slot < sends % size ? 1 : 0));
    }
    assertNothingLost(sim, accepted);
    for (const [slot, worker] of workers.entries()) {
      assert.equal(worker.current()?.generation, 1 + (crashes[slot] ?? 0), `generation of slot ${slot}`);
      assert.equal(typeof (await sim.run(worker.ask({ type: 'count' }))), 'number');
    }
    // A root that tolerates every crash here, so restart intensity is not what this test checks.
  }, { engine: { supervision: { intensity: { maxRestarts: 1000, windowMs: 5000 } } } });
});
