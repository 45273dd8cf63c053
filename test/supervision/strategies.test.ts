/**
 * Runs the supervision table (strategy-table.ts) on the real event-loop
 * scheduler: each row is one test.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, SendError, type StableAddr } from '../../src/index.js';
import { supervisorOf, type Worker } from './support/actors.js';
import { EventRecorder, settle, waitFor } from './support/events.js';
import { childNames, strategyTable, type ChildName, type StrategyCase } from './strategy-table.js';

const childPath = (name: ChildName): string => `/user/sup/${name}`;

function nameOf(path: unknown): ChildName {
  const name = String(path).slice('/user/sup/'.length);
  assert.ok((childNames as readonly string[]).includes(name), `unexpected event path ${String(path)}`);
  return name as ChildName;
}

async function runCase(row: StrategyCase): Promise<void> {
  await using engine = await Engine.start();
  const Supervisor = supervisorOf(childNames.map((name) => ({ name, options: { restart: row.restart[name] } })));
  engine.spawn(Supervisor, { name: 'sup', supervision: { strategy: row.strategy } });

  await waitFor(() => childNames.every((name) => engine.lookup(childPath(name))?.current() !== undefined), 'children to start');
  const children = new Map<ChildName, StableAddr<typeof Worker>>();
  for (const name of childNames) {
    const addr = engine.lookup(childPath(name)) as StableAddr<typeof Worker>;
    await addr.whenLive();
    children.set(name, addr);
  }

  const recorder = new EventRecorder(['actorStop', 'actorRestart']);
  try {
    const target = children.get(row.trigger) as StableAddr<typeof Worker>;
    if (row.ending === 'failed') assert.equal(target.send({ type: 'crash' }), undefined);
    else if (row.ending === 'stopped') assert.equal(target.send({ type: 'stopSelf' }), undefined);
    else await engine.stop(target);

    await settle();
    const stopped = new Set(row.stoppedForGood);
    await waitFor(
      () => childNames.every((name) => (stopped.has(name) ? engine.lookup(childPath(name)) === undefined : children.get(name)?.current() !== undefined)),
      'children to be live or stopped for good',
    );
    await settle();

    const stops = recorder.of('actorStop', '/user/sup/').map((event) => [nameOf(event.path), event.reason]);
    assert.deepEqual(stops, row.stops, 'stop events in order');
    const restarts = recorder.of('actorRestart', '/user/sup/').map((event) => [nameOf(event.path), event.cause]);
    assert.deepEqual(restarts, row.restarts, 'restart events in order');

    for (const name of childNames) {
      const addr = children.get(name) as StableAddr<typeof Worker>;
      if (stopped.has(name)) {
        const error = addr.send({ type: 'ping' });
        assert.ok(error instanceof SendError, `${name} refuses messages`);
        assert.equal(error.kind, 'ActorStopped', `${name} is stopped for good`);
        continue;
      }
      const expectedGeneration = 1 + row.restarts.filter(([restarted]) => restarted === name).length;
      const reply = await addr.ask({ type: 'ping' });
      assert.equal(reply.generation, expectedGeneration, `${name} generation`);
    }

    const supervisor = engine.lookup('/user/sup');
    assert.equal(supervisor?.current()?.generation, 1, 'the supervisor itself never restarts');
  } finally {
    recorder.close();
  }
}

for (const row of strategyTable) {
  test(row.name, () => runCase(row));
}
