/**
 * Runs the supervision table (strategy-table.ts) on the real event-loop
 * scheduler: each row is one test. test/simulation/strategy-table.test.ts
 * runs the same rows with the same checks under simulation.
 */

import { test } from 'node:test';
import { Engine } from '../../src/index.js';
import { EventRecorder, settle, waitFor } from './support/events.js';
import {
  assertCaseOutcome,
  childPath,
  childrenSettled,
  endTrigger,
  supervisorFor,
  supervisorPath,
  type WorkerAddr,
} from './support/strategy-checks.js';
import { childNames, strategyTable, type ChildName, type StrategyCase } from './strategy-table.js';

async function runCase(row: StrategyCase): Promise<void> {
  await using engine = await Engine.start();
  engine.spawn(supervisorFor(row), { name: 'sup', supervision: { strategy: row.strategy } });

  await waitFor(() => childNames.every((name) => engine.lookup(childPath(name))?.current() !== undefined), 'children to start');
  const children = new Map<ChildName, WorkerAddr>();
  for (const name of childNames) {
    const addr = engine.lookup(childPath(name)) as WorkerAddr;
    await addr.whenLive();
    children.set(name, addr);
  }

  const recorder = new EventRecorder(['actorStop', 'actorRestart']);
  try {
    await endTrigger(row, children.get(row.trigger) as WorkerAddr, (target) => engine.stop(target));

    await settle();
    await waitFor(() => childrenSettled(row, (path) => engine.lookup(path), children), 'children to be live or stopped for good');
    await settle();

    await assertCaseOutcome(row, {
      recorder,
      children,
      supervisorGeneration: engine.lookup(supervisorPath)?.current()?.generation,
      ping: (child) => child.ask({ type: 'ping' }),
    });
  } finally {
    recorder.close();
  }
}

for (const row of strategyTable) {
  test(row.name, () => runCase(row));
}
