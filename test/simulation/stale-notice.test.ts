/**
 * A notice about an old generation must never touch the new one. Under
 * one-for-all, child `a` crashes while its sibling `b` stops itself. When
 * `b`'s teardown finishes after the supervisor already restarted the group
 * for `a`, `b`'s "stopped" notice arrives about generation 1 while
 * generation 2 is registered. The seeds below reach that interleaving.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StableAddr } from '../../src/index.js';
import { forEachSeed, seedVariable, type Simulation } from '../../src/testing/index.js';
import { EventLog, Supervisor, Worker } from './helpers.js';

type WorkerAddr = StableAddr<typeof Worker>;

const staleOrder = ['restart /user/sup/b#2 sibling', 'stop /user/sup/b#1 stopped'];

/** Starts the group, then makes `a` crash and `b` stop itself at the same moment. */
async function crashAndQuitTogether(sim: Simulation): Promise<{ a: WorkerAddr; b: WorkerAddr; c: WorkerAddr; log: EventLog }> {
  sim.engine.spawn(Supervisor, { name: 'sup', supervision: { strategy: 'one-for-all' } });
  await sim.runUntilIdle();
  const [a, b, c] = ['a', 'b', 'c'].map((name) => sim.engine.lookup(`/user/sup/${name}`) as WorkerAddr) as [WorkerAddr, WorkerAddr, WorkerAddr];

  const log = new EventLog();
  sim.crashOnMessage(a, 'work');
  assert.equal(a.send({ type: 'work' }), undefined);
  assert.equal(b.send({ type: 'quit' }), undefined);
  return { a, b, c, log };
}

/** Returns whether `b`'s own "stopped" notice was produced after generation 2 of `b` was registered. */
function noticeArrivedLate(log: EventLog): boolean {
  const lines = log.lines.filter((line) => staleOrder.includes(line));
  return lines.length === 2 && lines[0] === staleOrder[0];
}

test('stale stopped notice leaves the new generation live', async () => {
  let reached = 0;
  await forEachSeed(1000, async (sim) => {
    const { a, b, c, log } = await crashAndQuitTogether(sim);
    try {
      await sim.runUntilIdle();
    } finally {
      log.close();
    }
    if (noticeArrivedLate(log)) reached++;

    // Each child restarted exactly once, whichever notice came first.
    assert.deepEqual([a, b, c].map((child) => child.current()?.generation), [2, 2, 2]);
    assert.equal(log.matching('restart /user/sup/b#').length, 1);
    assert.equal(await sim.run(b.ask({ type: 'work' })), 1);
    assert.equal(sim.engine.snapshot().actors.find((actor) => actor.path === '/user/sup/b')?.state, 'running');
  });
  // A rerun of one seed need not reach the interleaving.
  if (process.env[seedVariable] === undefined) assert.ok(reached > 0, 'no seed delivered the stale notice after the restart');
});

test('new generation that fails during the old teardown restarts', { todo: 'the restart group starts a sibling while its own teardown still runs, and a failure in that window is dropped' }, async () => {
  // NOTE: fails on this version. When a restart group meets a sibling whose
  // own teardown is still running, it starts the sibling's next generation
  // at once. If that generation fails before the old teardown ends, the
  // failure is ignored. The path then stays in `stopping` with no live
  // incarnation, so its StableAddr returns `Unroutable` forever.
  await forEachSeed(1000, async (sim) => {
    const { b, log } = await crashAndQuitTogether(sim);
    let crashedInWindow = false;
    try {
      while ((await sim.runSteps(1)) > 0) {
        if (log.lines.includes(staleOrder[0] as string) && !log.lines.includes(staleOrder[1] as string)) {
          crashedInWindow = sim.crash(b);
          break;
        }
      }
      await sim.runUntilIdle();
      await sim.advance(10_000);
    } finally {
      log.close();
    }
    if (!crashedInWindow) return;

    assert.equal(b.current()?.generation, 3);
    assert.equal(await sim.run(b.ask({ type: 'count' })), 0);
  });
});
