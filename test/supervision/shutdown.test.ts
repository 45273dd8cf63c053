/**
 * Stopping on purpose: engine.shutdown, engine.stop of one actor or a
 * subtree, shutdown policies, and what happens to queued work and timers.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AskError, defineActor, Engine, SendError, SpawnError, type StableAddr } from '../../src/index.js';
import { Worker, supervisorOf } from './support/actors.js';
import { EventRecorder, gate, settle, waitFor } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';

/** An actor whose `hold` handler stays in flight until `release` is called. */
function holdingActor(onStop?: () => Promise<void>) {
  const held = gate();
  const calls = { counted: 0, holding: false, stopped: 0 };
  const definition = defineActor({
    name: 'holder',
    state: () => ({}),
    handlers: {
      async hold(): Promise<string> {
        calls.holding = true;
        await held.promise;
        return 'released';
      },
      count(): number {
        calls.counted++;
        return calls.counted;
      },
    },
    async onStop() {
      calls.stopped++;
      await onStop?.();
    },
  });
  return { definition, calls, release: held.open };
}

async function outcomeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => error,
  );
}

test('shutdown with live children performs zero restarts', async () => {
  const engine = await Engine.start();
  const recorder = new EventRecorder(['actorRestart', 'actorStop']);
  try {
    const names = ['a', 'b', 'c'];
    engine.spawn(supervisorOf(names.map((name) => ({ name }))), { name: 'sup', supervision: { strategy: 'one-for-all' } });
    const solo = engine.spawn(Worker, { name: 'solo' });
    await waitFor(() => names.every((name) => engine.lookup(`/user/sup/${name}`)?.current() !== undefined), 'children to start');
    await solo.whenLive();
    const child = engine.lookup('/user/sup/b') as StableAddr<typeof Worker>;
    // Started last, so stopped first. Its onStop delays the shutdown while an older actor crashes.
    const onStopGate = gate();
    const slow = holdingActor(() => onStopGate.promise);
    const last = engine.spawn(slow.definition, { name: 'last' });
    await last.whenLive();

    const shutdown = engine.shutdown();
    await waitFor(() => slow.calls.stopped === 1, 'the onStop of the last actor');
    assert.equal(child.send({ type: 'crash' }), undefined, 'actors not yet stopped still take messages');
    assert.throws(
      () => engine.spawn(Worker, { name: 'late' }),
      (error: unknown) => error instanceof SpawnError && error.kind === 'EngineStopped',
    );
    await settle();
    onStopGate.open();
    const report = await shutdown;
    await settle();

    assert.equal(recorder.of('actorRestart').length, 0);
    assert.equal(report.completed, true);
    assert.deepEqual(report.abandoned, []);
    // /user stops its children in reverse start order; each supervisor stops its children first.
    assert.deepEqual(
      recorder.of('actorStop').map((event) => [event.path, event.reason, event.by]),
      [
        ['/user/sup/b', 'failed', undefined],
        ['/user/last', 'killed', 'shutdown'],
        ['/user/solo', 'killed', 'shutdown'],
        ['/user/sup/c', 'killed', 'shutdown'],
        ['/user/sup/a', 'killed', 'shutdown'],
        ['/user/sup', 'killed', 'shutdown'],
      ],
    );
    assert.equal((child.send({ type: 'ping' }) as SendError).kind, 'ActorStopped');
    assert.equal((solo.send({ type: 'ping' }) as SendError).kind, 'ActorStopped');
    assert.equal(engine.snapshot().actors.length, 0);
  } finally {
    recorder.close();
  }
});

test('shutdown rejects queued asks with NoResponse', async () => {
  const engine = await Engine.start();
  const { definition, calls, release } = holdingActor();
  const holder = engine.spawn(definition, { name: 'holder' });
  const inFlight = outcomeOf(holder.ask({ type: 'hold' }));
  const queued = [1, 2, 3].map(() => outcomeOf(holder.ask({ type: 'count' })));
  await waitFor(() => calls.holding, 'the hold handler to run');

  const shutdown = engine.shutdown();
  for (const outcome of await Promise.all(queued)) {
    assert.ok(outcome instanceof AskError);
    assert.equal(outcome.kind, 'NoResponse');
    assert.equal(outcome.code, 'RHODIUM_ERR_NO_RESPONSE');
  }
  assert.ok(holder.send({ type: 'count' }) instanceof SendError, 'intake is closed');

  release();
  const report = await shutdown;
  assert.deepEqual(await inFlight, { value: 'released' }, 'the in-flight handler finished within its policy');
  assert.equal(calls.counted, 0);
  assert.equal(report.completed, true);
  assert.equal(report.deadLetters, 3);
});

test('force-stop with 100 queued messages runs none of them', async () => {
  await using engine = await Engine.start();
  const recorder = new EventRecorder(['deadLetter']);
  try {
    const { definition, calls, release } = holdingActor();
    const holder = engine.spawn(definition, { name: 'holder', mailboxCapacity: 128 });
    const inFlight = outcomeOf(holder.ask({ type: 'hold' }));
    await waitFor(() => calls.holding, 'the hold handler to run');

    const asks: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      assert.equal(holder.send({ type: 'count' }), undefined);
      asks.push(outcomeOf(holder.ask({ type: 'count' })));
    }
    assert.equal(engine.snapshot().actors.find((actor) => actor.path === '/user/holder')?.mailboxDepth, 100);

    const stopped = engine.stop(holder);
    const outcomes = await Promise.all(asks);
    assert.equal(outcomes.length, 50);
    for (const outcome of outcomes) {
      assert.ok(outcome instanceof AskError);
      assert.equal(outcome.kind, 'NoResponse');
    }

    release();
    await stopped;
    await settle();
    assert.deepEqual(await inFlight, { value: 'released' });
    assert.equal(calls.counted, 0, 'no queued message ran');
    assert.equal(recorder.of('deadLetter', '/user/holder').length, 100);
    assert.ok(recorder.of('deadLetter').every((event) => event.reason === 'killed'));
    assert.equal(engine.snapshot().deadLetters, 100);
    assert.equal((holder.send({ type: 'count' }) as SendError).kind, 'ActorStopped');
  } finally {
    recorder.close();
  }
});

test('stuck onStop is abandoned at the shutdown deadline', async () => {
  const engine = await Engine.start();
  const recorder = new EventRecorder(['stopTimeout']);
  try {
    const never = new Promise<void>(() => undefined);
    const { definition, calls } = holdingActor(() => never);
    const stuck = engine.spawn(definition, { name: 'stuck' });
    const fine = engine.spawn(Worker, { name: 'fine' });
    await stuck.whenLive();
    await fine.whenLive();
    const pendingAsk = outcomeOf(stuck.ask({ type: 'hold' }, { timeoutMs: 60_000 }));
    await waitFor(() => calls.holding, 'the hold handler to run');

    // The actor's own policy (5000 ms) is longer than the shutdown deadline, so the deadline abandons it.
    const report = await engine.shutdown({ timeoutMs: 50 });

    assert.equal(report.completed, false);
    assert.deepEqual(report.abandoned, ['/user/stuck']);
    const timeouts = recorder.of('stopTimeout');
    assert.equal(timeouts.length, 1);
    assert.equal(timeouts[0]?.path, '/user/stuck');
    assert.equal(timeouts[0]?.phase, 'shutdown');
    const outcome = await pendingAsk;
    assert.ok(outcome instanceof AskError);
    assert.equal(outcome.kind, 'NoResponse');
    assert.equal((fine.send({ type: 'ping' }) as SendError).kind, 'ActorStopped');
  } finally {
    recorder.close();
  }
});

test('stuck onStop is abandoned at its own deadline', async () => {
  const engine = await Engine.start();
  const recorder = new EventRecorder(['stopTimeout']);
  try {
    const never = new Promise<void>(() => undefined);
    const { definition, calls } = holdingActor(() => never);
    const stuck = engine.spawn(definition, { name: 'stuck', shutdown: { timeoutMs: 20 } });
    await stuck.whenLive();

    const report = await engine.shutdown({ timeoutMs: 10_000 });
    assert.equal(calls.stopped, 1, 'onStop was called');
    assert.equal(report.completed, false);
    assert.deepEqual(report.abandoned, ['/user/stuck']);
    assert.deepEqual(recorder.of('stopTimeout').map((event) => [event.path, event.phase, event.timeoutMs]), [['/user/stuck', 'onStop', 20]]);
  } finally {
    recorder.close();
  }
});

test('brutal stop skips onStop and rejects the in-flight ask', async () => {
  await using engine = await Engine.start();
  const { definition, calls } = holdingActor();
  const holder = engine.spawn(definition, { name: 'holder', shutdown: 'brutal' });
  const inFlight = outcomeOf(holder.ask({ type: 'hold' }));
  await waitFor(() => calls.holding, 'the hold handler to run');

  // The handler is never released: a brutal stop does not wait for it.
  await engine.stop(holder);
  const outcome = await inFlight;
  assert.ok(outcome instanceof AskError);
  assert.equal(outcome.kind, 'NoResponse');
  assert.equal(calls.stopped, 0, 'onStop did not run');
  assert.equal((holder.send({ type: 'count' }) as SendError).kind, 'ActorStopped');
});

test('engine.stop of a subtree stops children first', async () => {
  await using engine = await Engine.start();
  const recorder = new EventRecorder(['actorRestart', 'actorStop']);
  try {
    const names = ['a', 'b', 'c'];
    const supervisor = engine.spawn(supervisorOf(names.map((name) => ({ name }))), { name: 'sup' });
    const sibling = engine.spawn(Worker, { name: 'sibling' });
    await waitFor(() => names.every((name) => engine.lookup(`/user/sup/${name}`)?.current() !== undefined), 'children to start');
    const children = names.map((name) => engine.lookup(`/user/sup/${name}`) as StableAddr<typeof Worker>);

    await engine.stop('/user/sup');
    await settle();

    assert.deepEqual(
      recorder.of('actorStop').map((event) => [event.path, event.reason, event.by]),
      [
        ['/user/sup/c', 'killed', 'parent'],
        ['/user/sup/b', 'killed', 'parent'],
        ['/user/sup/a', 'killed', 'parent'],
        ['/user/sup', 'killed', 'engine'],
      ],
    );
    assert.equal(recorder.of('actorRestart').length, 0);
    assert.equal((supervisor.send({ type: 'crash' }) as SendError).kind, 'ActorStopped');
    for (const child of children) assert.equal((child.send({ type: 'ping' }) as SendError).kind, 'ActorStopped');
    assert.equal(engine.lookup('/user/sup/a'), undefined);
    assert.equal((await sibling.ask({ type: 'ping' })).generation, 1, 'actors outside the subtree keep running');
  } finally {
    recorder.close();
  }
});

test('sendAfter is cancelled when the incarnation ends', async () => {
  const clock = new ManualClock();
  await using engine = await Engine.start({ clock });
  const ticks: number[] = [];
  const Ticker = defineActor({
    name: 'ticker',
    state: () => ({}),
    handlers: {
      arm(_state, _message: object, ctx): void {
        ctx.sendAfter(100, ctx.self, { type: 'tick' });
      },
      tick(_state, _message: object, ctx): void {
        ticks.push(ctx.addr.generation);
      },
      crash(): never {
        throw new Error('injected fault');
      },
    },
  });
  const ticker = engine.spawn(Ticker, { name: 'ticker' });
  await ticker.whenLive();

  ticker.send({ type: 'arm' });
  ticker.send({ type: 'crash' });
  await waitFor(() => ticker.current()?.generation === 2, 'the restart');
  clock.advance(200);
  await settle();
  assert.deepEqual(ticks, [], 'the timer of generation 1 never fired');
  assert.equal(clock.pendingTimers, 0);

  ticker.send({ type: 'arm' });
  await settle();
  clock.advance(100);
  await waitFor(() => ticks.length === 1, 'the tick of generation 2');
  assert.deepEqual(ticks, [2]);
});

test('shutdown during a backoff wait restarts nothing', async () => {
  const clock = new ManualClock();
  const engine = await Engine.start({ clock, supervision: { backoff: { minMs: 1000, maxMs: 1000, jitter: 0 } } });
  const recorder = new EventRecorder(['actorRestart']);
  try {
    const worker = engine.spawn(Worker, { name: 'w' });
    await worker.whenLive();
    worker.send({ type: 'crash' });
    await waitFor(() => worker.current() === undefined, 'the crash');
    await settle();

    const report = await engine.shutdown();
    clock.advance(2000);
    await settle();
    assert.equal(report.completed, true);
    assert.equal(recorder.of('actorRestart').length, 0);
    assert.equal((worker.send({ type: 'ping' }) as SendError).kind, 'ActorStopped');
    assert.equal(clock.pendingTimers, 0, 'the backoff timer was cancelled');
  } finally {
    recorder.close();
  }
});

test('stopping incarnation cannot arm sendAfter', async () => {
  const clock = new ManualClock();
  await using engine = await Engine.start({ clock });
  const held = gate();
  const ticks: number[] = [];
  let holding = false;
  const Late = defineActor({
    name: 'late',
    state: () => ({}),
    handlers: {
      async armAfterRelease(_state, _message: object, ctx): Promise<void> {
        holding = true;
        await held.promise;
        ctx.sendAfter(100, ctx.self, { type: 'tick' });
      },
      tick(_state, _message: object, ctx): void {
        ticks.push(ctx.addr.generation);
      },
    },
  });
  engine.spawn(
    supervisorOf([
      { name: 'late', definition: Late },
      { name: 'peer', definition: Worker },
    ]),
    { name: 'sup', supervision: { strategy: 'one-for-all' } },
  );
  await waitFor(() => engine.lookup('/user/sup/peer')?.current() !== undefined, 'children to start');
  const late = engine.lookup('/user/sup/late') as StableAddr<typeof Late>;
  late.send({ type: 'armAfterRelease' });
  await waitFor(() => holding, 'the handler to wait');

  // The peer's crash makes the supervisor stop `late` while its handler is in flight.
  (engine.lookup('/user/sup/peer') as StableAddr<typeof Worker>).send({ type: 'crash' });
  await waitFor(() => late.current() === undefined, 'late to start stopping');
  held.open();
  await waitFor(() => late.current()?.generation === 2, 'late to restart');
  clock.advance(200);
  await settle();
  assert.deepEqual(ticks, [], 'no timer from generation 1 reached generation 2');
});

test('engine.stop during a crash teardown runs onStop once', async () => {
  await using engine = await Engine.start();
  const recorder = new EventRecorder(['actorRestart', 'actorStop']);
  try {
    const onStopGate = gate();
    let onStopCalls = 0;
    const Fragile = defineActor({
      name: 'fragile',
      state: () => ({}),
      handlers: {
        crash(): never {
          throw new Error('injected fault');
        },
      },
      async onStop() {
        onStopCalls++;
        await onStopGate.promise;
      },
    });
    const fragile = engine.spawn(Fragile, { name: 'fragile' });
    await fragile.whenLive();

    fragile.send({ type: 'crash' });
    await waitFor(() => onStopCalls === 1, 'the teardown to reach onStop');
    const stopped = engine.stop(fragile);
    onStopGate.open();
    await stopped;
    await settle();

    assert.equal(onStopCalls, 1);
    assert.equal(recorder.of('actorRestart').length, 0, 'the stop for good wins over the restart');
    assert.deepEqual(recorder.of('actorStop').map((event) => event.reason), ['failed']);
    assert.equal((fragile.send({ type: 'crash' }) as SendError).kind, 'ActorStopped');
  } finally {
    recorder.close();
  }
});
