/**
 * engine.snapshot(): the engine fields and the per-actor fields.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineActor, Engine, type ActorSnapshot, type EngineSnapshot } from '../../src/index.js';
import { Worker } from '../supervision/support/actors.js';
import { gate, settle, waitFor } from '../supervision/support/events.js';
import { ManualClock } from '../supervision/support/manual-clock.js';

function actorAt(snapshot: EngineSnapshot, path: string): ActorSnapshot {
  const actor = snapshot.actors.find((entry) => entry.path === path);
  assert.ok(actor !== undefined, `snapshot lists ${path}`);
  return actor;
}

test('snapshot reports engine id, uptime and threads', async () => {
  const clock = new ManualClock();
  await using engine = await Engine.start({ clock, id: 'engine-under-test' });
  clock.advance(250);

  const snapshot = engine.snapshot();
  assert.equal(snapshot.engineId, 'engine-under-test');
  assert.equal(snapshot.uptimeMs, 250);
  assert.equal(snapshot.state, 'running');
  assert.deepEqual(snapshot.threads, [{ thread: 'main', state: 'running', actors: 0 }]);
  assert.deepEqual(snapshot.actors, []);
  assert.equal(snapshot.pendingAsks, 0);
});

test('snapshot counts handled messages, restarts and dead letters', async () => {
  await using engine = await Engine.start();
  const worker = engine.spawn(Worker, { name: 'w', mailboxCapacity: 16 });
  for (let i = 0; i < 3; i++) await worker.ask({ type: 'ping' });

  // The two pings queued behind the crash are dead letters of generation 1.
  worker.send({ type: 'crash' });
  worker.send({ type: 'ping' });
  worker.send({ type: 'ping' });
  await waitFor(() => worker.current()?.generation === 2, 'the restart');
  await worker.ask({ type: 'ping' });

  const snapshot = engine.snapshot();
  const actor = actorAt(snapshot, '/user/w');
  assert.equal(actor.actor, 'worker');
  assert.equal(actor.state, 'running');
  assert.equal(actor.address, worker.current()?.toString());
  assert.equal(actor.generation, 2);
  assert.equal(actor.thread, 'main');
  assert.equal(actor.mailboxDepth, 0);
  assert.equal(actor.mailboxCapacity, 16);
  assert.equal(actor.restarts, 1);
  assert.equal(actor.messagesHandled, 5, 'three pings, the crash, and one ping after the restart');
  assert.equal(actor.deadLetters, 2);
  assert.equal(typeof actor.computeMs, 'number');
  assert.ok(actor.computeMs >= 0);
  assert.deepEqual(actor.children, []);
  assert.equal(snapshot.deadLetters, 2);
  assert.deepEqual(snapshot.threads, [{ thread: 'main', state: 'running', actors: 1 }]);
  assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot, 'the snapshot is plain JSON data');
});

test('snapshot shows mailbox depth and children of a busy actor', async () => {
  await using engine = await Engine.start();
  const held = gate();
  let holding = false;
  const Parent = defineActor({
    name: 'parent',
    state: () => ({}),
    onStart(_state, ctx) {
      ctx.spawn(Worker, { name: 'kid' });
    },
    handlers: {
      async hold(): Promise<void> {
        holding = true;
        await held.promise;
      },
      noop(): void {},
    },
  });
  const parent = engine.spawn(Parent, { name: 'parent' });
  parent.send({ type: 'hold' });
  await waitFor(() => holding, 'the hold handler');
  for (let i = 0; i < 5; i++) parent.send({ type: 'noop' });

  const busy = actorAt(engine.snapshot(), '/user/parent');
  assert.equal(busy.mailboxDepth, 5);
  assert.equal(busy.mailboxCapacity, 1024);
  assert.deepEqual(busy.children, ['/user/parent/kid']);
  assert.equal(actorAt(engine.snapshot(), '/user/parent/kid').state, 'running');

  held.open();
  await settle();
  assert.equal(actorAt(engine.snapshot(), '/user/parent').mailboxDepth, 0);
});

test('snapshot shows restarting and stopping states', async () => {
  const clock = new ManualClock();
  await using engine = await Engine.start({ clock, supervision: { backoff: { minMs: 100, maxMs: 100, jitter: 0 } } });
  const stopGate = gate();
  const Slow = defineActor({
    name: 'slow',
    state: () => ({}),
    handlers: { noop(): void {} },
    async onStop() {
      await stopGate.promise;
    },
  });
  const worker = engine.spawn(Worker, { name: 'w' });
  const slow = engine.spawn(Slow, { name: 'slow' });
  await worker.whenLive();
  await slow.whenLive();

  worker.send({ type: 'crash' });
  await waitFor(() => worker.current() === undefined, 'the crash');
  await settle();
  const restarting = actorAt(engine.snapshot(), '/user/w');
  assert.equal(restarting.state, 'restarting');
  assert.equal(restarting.address, undefined);
  assert.equal(restarting.generation, 1, 'the generation of the last incarnation');

  const stopped = engine.stop(slow);
  await settle();
  assert.equal(actorAt(engine.snapshot(), '/user/slow').state, 'stopping');
  stopGate.open();
  await stopped;
  assert.equal(engine.snapshot().actors.some((actor) => actor.path === '/user/slow'), false, 'stopped actors leave the snapshot');
  clock.advance(100);
});
