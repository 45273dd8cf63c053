/**
 * Restart intensity (a sliding window per child), escalation and backoff.
 * Tests that depend on time run on a manual clock.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, EscalationError, SendError, type EngineHandle, type StableAddr, type SupervisionStrategy } from '../../src/index.js';
import { Worker, supervisorOf } from './support/actors.js';
import { EventRecorder, settle, waitFor } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';

const children = ['a', 'b', 'c'] as const;

function generationOf(engine: EngineHandle, path: string): number | undefined {
  return engine.lookup(path)?.current()?.generation;
}

/** Crashes the worker at `path` and waits until it runs again with the next generation. */
async function crashAndAwaitRestart(engine: EngineHandle, path: string): Promise<void> {
  const before = generationOf(engine, path) ?? 0;
  const worker = engine.lookup(path) as StableAddr<typeof Worker>;
  assert.equal(worker.send({ type: 'crash' }), undefined);
  await waitFor(() => (generationOf(engine, path) ?? 0) > before, `${path} to restart`);
  await settle();
}

async function startSupervisor(engine: EngineHandle, strategy: SupervisionStrategy): Promise<void> {
  engine.spawn(supervisorOf(children.map((name) => ({ name }))), { name: 'sup', supervision: { strategy } });
  await waitFor(() => children.every((name) => generationOf(engine, `/user/sup/${name}`) !== undefined), 'children to start');
}

test('fourth failure escalates; one-for-one spares siblings', async () => {
  await using engine = await Engine.start();
  const recorder = new EventRecorder(['escalation', 'actorFailure', 'actorStop', 'actorRestart']);
  try {
    await startSupervisor(engine, 'one-for-one');
    for (let i = 0; i < 3; i++) await crashAndAwaitRestart(engine, '/user/sup/b');
    assert.equal(generationOf(engine, '/user/sup/b'), 4);
    assert.equal(generationOf(engine, '/user/sup/a'), 1, 'a untouched');
    assert.equal(generationOf(engine, '/user/sup/c'), 1, 'c untouched');
    assert.equal(recorder.of('escalation').length, 0);

    const before = recorder.events.length;
    (engine.lookup('/user/sup/b') as StableAddr<typeof Worker>).send({ type: 'crash' });
    await waitFor(() => generationOf(engine, '/user/sup') === 2, 'the supervisor to restart');
    await waitFor(() => children.every((name) => generationOf(engine, `/user/sup/${name}`) !== undefined), 'children to respawn');

    const escalations = recorder.of('escalation');
    assert.equal(escalations.length, 1);
    assert.equal(escalations[0]?.path, '/user/sup/b');
    assert.equal(escalations[0]?.supervisor, '/user/sup');
    assert.equal(escalations[0]?.reason, 'failed');

    const supervisorFailure = recorder.of('actorFailure').find((event) => event.path === '/user/sup');
    assert.ok(supervisorFailure?.error instanceof EscalationError);
    assert.equal(supervisorFailure.error.code, 'RHODIUM_ERR_ESCALATED');

    // The failing supervisor stops its remaining children in reverse start order.
    const stopsAfter = recorder.events
      .slice(before)
      .filter((event) => event.channel === 'actorStop')
      .map((event) => [event.payload.path, event.payload.reason]);
    assert.deepEqual(stopsAfter, [
      ['/user/sup/b', 'failed'],
      ['/user/sup/c', 'killed'],
      ['/user/sup/a', 'killed'],
      ['/user/sup', 'failed'],
    ]);
    // The new supervisor incarnation spawns its children afresh: generation + 1 of each path.
    assert.equal(generationOf(engine, '/user/sup/a'), 2);
    assert.equal(generationOf(engine, '/user/sup/b'), 5);
    assert.equal(generationOf(engine, '/user/sup/c'), 2);
  } finally {
    recorder.close();
  }
});

test('one-for-all restarts every child in start order each time', async () => {
  await using engine = await Engine.start();
  const recorder = new EventRecorder(['escalation', 'actorRestart']);
  try {
    await startSupervisor(engine, 'one-for-all');
    for (let i = 0; i < 3; i++) {
      await crashAndAwaitRestart(engine, '/user/sup/b');
      await waitFor(() => children.every((name) => generationOf(engine, `/user/sup/${name}`) === i + 2), 'the group restart');
    }
    const order = recorder.of('actorRestart', '/user/sup/').map((event) => event.path);
    assert.deepEqual(order, Array.from({ length: 3 }, () => children.map((name) => `/user/sup/${name}`)).flat());

    (engine.lookup('/user/sup/b') as StableAddr<typeof Worker>).send({ type: 'crash' });
    await waitFor(() => recorder.of('escalation').length === 1, 'the escalation');
    assert.equal(recorder.of('escalation')[0]?.path, '/user/sup/b', 'a and c restarted as siblings, which does not count');
  } finally {
    recorder.close();
  }
});

test('intensity window slides', async () => {
  const clock = new ManualClock();
  await using engine = await Engine.start({ clock, supervision: { intensity: { maxRestarts: 3, windowMs: 1000 } } });
  const recorder = new EventRecorder(['escalation']);
  try {
    const worker = engine.spawn(Worker, { name: 'w' });
    await worker.whenLive();

    await crashAndAwaitRestart(engine, '/user/w'); // t = 0
    await crashAndAwaitRestart(engine, '/user/w'); // t = 0
    clock.advance(600);
    await crashAndAwaitRestart(engine, '/user/w'); // t = 600: three restarts in the window
    clock.advance(400);
    // t = 1000: the two restarts at t = 0 left the window, the one at 600 is still in it.
    await crashAndAwaitRestart(engine, '/user/w');
    await crashAndAwaitRestart(engine, '/user/w');
    assert.equal(worker.current()?.generation, 6);
    assert.equal(recorder.of('escalation').length, 0);

    worker.send({ type: 'crash' });
    await waitFor(() => recorder.of('escalation').length === 1, 'the escalation at four restarts in the window');
    const error = worker.send({ type: 'ping' });
    assert.ok(error instanceof SendError);
    assert.equal(error.kind, 'ActorStopped');
  } finally {
    recorder.close();
  }
});

test('escalation passes through a nested supervisor', async () => {
  await using engine = await Engine.start();
  const recorder = new EventRecorder(['escalation', 'actorRestart', 'actorFailure']);
  try {
    const Middle = supervisorOf([{ name: 'leaf' }], 'middle');
    engine.spawn(supervisorOf([{ name: 'mid', definition: Middle }], 'top'), { name: 'top' });
    await waitFor(() => generationOf(engine, '/user/top/mid/leaf') !== undefined, 'the tree to start');

    for (let i = 0; i < 3; i++) await crashAndAwaitRestart(engine, '/user/top/mid/leaf');
    (engine.lookup('/user/top/mid/leaf') as StableAddr<typeof Worker>).send({ type: 'crash' });
    await waitFor(() => generationOf(engine, '/user/top/mid') === 2, 'mid to be restarted by top');
    await waitFor(() => generationOf(engine, '/user/top/mid/leaf') === 5, 'leaf to be spawned by the new mid');

    assert.deepEqual(
      recorder.of('escalation').map((event) => [event.path, event.supervisor]),
      [['/user/top/mid/leaf', '/user/top/mid']],
    );
    const midRestart = recorder.of('actorRestart').find((event) => event.path === '/user/top/mid');
    assert.equal(midRestart?.cause, 'failed');
    assert.ok(recorder.of('actorFailure').some((event) => event.path === '/user/top/mid' && event.error instanceof EscalationError));
    assert.equal(generationOf(engine, '/user/top'), 1, 'top absorbed the failure');
  } finally {
    recorder.close();
  }
});

test('root escalation stops the child; engine keeps running', async () => {
  await using engine = await Engine.start();
  const recorder = new EventRecorder(['escalation']);
  try {
    const worker = engine.spawn(Worker, { name: 'w' });
    const other = engine.spawn(Worker, { name: 'other' });
    await worker.whenLive();
    for (let i = 0; i < 3; i++) await crashAndAwaitRestart(engine, '/user/w');
    worker.send({ type: 'crash' });
    await waitFor(() => recorder.of('escalation').length === 1, 'the escalation');

    assert.equal(recorder.of('escalation')[0]?.supervisor, '/user');
    const error = worker.send({ type: 'ping' });
    assert.ok(error instanceof SendError);
    assert.equal(error.kind, 'ActorStopped');
    assert.equal(worker.current(), undefined);
    assert.equal(engine.lookup('/user/w'), undefined);
    await assert.rejects(worker.whenLive(), (rejection: unknown) => rejection instanceof SendError && rejection.kind === 'ActorStopped');

    assert.equal((await other.ask({ type: 'ping' })).generation, 1, 'a sibling keeps working');
    const fresh = engine.spawn(Worker, { name: 'w' });
    assert.equal((await fresh.ask({ type: 'ping' })).generation, 5, 'the path can be spawned again, with generation + 1');
  } finally {
    recorder.close();
  }
});

test('backoff delays each restart exponentially', async () => {
  const clock = new ManualClock();
  await using engine = await Engine.start({
    clock,
    supervision: { intensity: { maxRestarts: 5 }, backoff: { minMs: 100, maxMs: 300, jitter: 0 } },
  });
  const worker = engine.spawn(Worker, { name: 'w' });
  await worker.whenLive();

  for (const [attempt, delayMs] of [[1, 100], [2, 200], [3, 300], [4, 300]] as const) {
    worker.send({ type: 'crash' });
    await waitFor(() => worker.current() === undefined, 'the crash');
    await settle();
    clock.advance(delayMs - 1);
    await settle();
    assert.equal(worker.current(), undefined, `restart ${attempt} still waits at ${delayMs - 1} ms`);
    clock.advance(1);
    await waitFor(() => worker.current()?.generation === attempt + 1, `restart ${attempt} after ${delayMs} ms`);
  }
});

test('backoff jitter shortens the delay but not below minMs', async () => {
  const clock = new ManualClock();
  await using engine = await Engine.start({
    clock,
    random: () => 0.5,
    supervision: { backoff: { minMs: 100, maxMs: 1000, jitter: 0.5 } },
  });
  const worker = engine.spawn(Worker, { name: 'w' });
  await worker.whenLive();

  // Restart 1: 100 * (1 - 0.5 * 0.5) = 75, raised to minMs = 100. Restart 2: 200 * 0.75 = 150.
  for (const [attempt, delayMs] of [[1, 100], [2, 150]] as const) {
    worker.send({ type: 'crash' });
    await waitFor(() => worker.current() === undefined, 'the crash');
    await settle();
    clock.advance(delayMs - 1);
    await settle();
    assert.equal(worker.current(), undefined, `restart ${attempt} still waits`);
    clock.advance(1);
    await waitFor(() => worker.current()?.generation === attempt + 1, `restart ${attempt}`);
  }
});

test('engine.stop during backoff cancels the restart', async () => {
  const clock = new ManualClock();
  await using engine = await Engine.start({ clock, supervision: { backoff: { minMs: 1000, maxMs: 1000, jitter: 0 } } });
  const recorder = new EventRecorder(['actorRestart']);
  try {
    const worker = engine.spawn(Worker, { name: 'w' });
    await worker.whenLive();
    worker.send({ type: 'crash' });
    await waitFor(() => worker.current() === undefined, 'the crash');
    await settle();

    await engine.stop(worker);
    clock.advance(2000);
    await settle();
    assert.equal(recorder.of('actorRestart').length, 0);
    assert.equal((worker.send({ type: 'ping' }) as SendError).kind, 'ActorStopped');
    assert.equal(clock.pendingTimers, 0, 'no backoff timer left behind');
  } finally {
    recorder.close();
  }
});

test('backoff of one child does not delay a sibling', async () => {
  const clock = new ManualClock();
  await using engine = await Engine.start({ clock, supervision: { backoff: { minMs: 1000, maxMs: 1000, jitter: 0 } } });
  const first = engine.spawn(Worker, { name: 'first' });
  const second = engine.spawn(Worker, { name: 'second' });
  await first.whenLive();
  await second.whenLive();

  first.send({ type: 'crash' });
  await waitFor(() => first.current() === undefined, 'the first crash');
  await settle();
  clock.advance(500);
  second.send({ type: 'crash' });
  await waitFor(() => second.current() === undefined, 'the second crash');
  await settle();

  clock.advance(500);
  await waitFor(() => first.current()?.generation === 2, 'first to restart at 1000 ms');
  assert.equal(second.current(), undefined, 'second still waits');
  clock.advance(500);
  await waitFor(() => second.current()?.generation === 2, 'second to restart at 1500 ms, its own delay');
});

test('rest-for-one merges a waiting restart into an earlier one', async () => {
  const clock = new ManualClock();
  await using engine = await Engine.start({ clock });
  const recorder = new EventRecorder(['actorRestart']);
  try {
    engine.spawn(supervisorOf(children.map((name) => ({ name }))), {
      name: 'sup',
      supervision: { strategy: 'rest-for-one', backoff: { minMs: 100, maxMs: 100, jitter: 0 } },
    });
    await waitFor(() => children.every((name) => generationOf(engine, `/user/sup/${name}`) !== undefined), 'children to start');

    (engine.lookup('/user/sup/b') as StableAddr<typeof Worker>).send({ type: 'crash' });
    await waitFor(() => generationOf(engine, '/user/sup/c') === undefined, 'b and c to stop');
    await settle();
    clock.advance(50);
    (engine.lookup('/user/sup/a') as StableAddr<typeof Worker>).send({ type: 'crash' });
    await waitFor(() => generationOf(engine, '/user/sup/a') === undefined, 'a to stop');
    await settle();

    clock.advance(50);
    await settle();
    assert.equal(generationOf(engine, '/user/sup/b'), undefined, 'b waits for a, which started before it');
    clock.advance(50);
    await waitFor(() => children.every((name) => generationOf(engine, `/user/sup/${name}`) === 2), 'the merged restart');
    await settle();
    assert.deepEqual(
      recorder.of('actorRestart', '/user/sup/').map((event) => [event.path, event.cause]),
      [
        ['/user/sup/a', 'failed'],
        ['/user/sup/b', 'failed'],
        ['/user/sup/c', 'sibling'],
      ],
    );
  } finally {
    recorder.close();
  }
});
