/**
 * Runs the supervision table (test/supervision/strategy-table.ts) under
 * simulation: each row is one test across 1,000 seeds, with the checks
 * the real-scheduler runner (test/supervision/strategies.test.ts) makes.
 * Each seed is one simulation with the supervisor and its three children
 * only, so every row stays cheap.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachSeed } from '../../src/testing/index.js';
import { EventRecorder } from '../supervision/support/events.js';
import {
  assertCaseOutcome,
  childPath,
  childrenSettled,
  endTrigger,
  supervisorFor,
  supervisorPath,
  type WorkerAddr,
} from '../supervision/support/strategy-checks.js';
import { childNames, strategyTable, type ChildName } from '../supervision/strategy-table.js';

const seedCount = 1000;

for (const row of strategyTable) {
  test(row.name, async () => {
    const supervisor = supervisorFor(row);
    await forEachSeed(seedCount, async (sim) => {
      sim.engine.spawn(supervisor, { name: 'sup', supervision: { strategy: row.strategy } });
      await sim.runUntilIdle();

      const children = new Map<ChildName, WorkerAddr>();
      for (const name of childNames) {
        const addr = sim.engine.lookup(childPath(name)) as WorkerAddr | undefined;
        assert.ok(addr?.current() !== undefined, `${name} is live once the simulation is idle`);
        children.set(name, addr);
      }

      const recorder = new EventRecorder(['actorStop', 'actorRestart']);
      try {
        await endTrigger(row, children.get(row.trigger) as WorkerAddr, (target) => sim.run(sim.engine.stop(target)));
        await sim.runUntilIdle();

        assert.ok(childrenSettled(row, (path) => sim.engine.lookup(path), children), 'every child is live or stopped for good once the simulation is idle');
        await assertCaseOutcome(row, {
          recorder,
          children,
          supervisorGeneration: sim.engine.lookup(supervisorPath)?.current()?.generation,
          ping: (child) => sim.run(child.ask({ type: 'ping' })),
        });
      } finally {
        recorder.close();
      }
    });
  });
}
