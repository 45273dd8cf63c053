/**
 * Restarts through a StableAddr: generations, the restart window, normal
 * exits of permanent children, per-child intensity and stale notices.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AskError, defineActor, Engine, SendError, type StableAddr } from '../../src/index.js';
import { runtimeOf } from '../../src/engine/engine.js';
import { Worker, supervisorOf } from './support/actors.js';
import { EventRecorder, settle, waitFor } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';

test('next message after a crash reaches generation + 1', async () => {
  await using engine = await Engine.start();
  const worker = engine.spawn(Worker, { name: 'w' });
  await worker.whenLive();
  assert.equal(worker.current()?.generation, 1);

  const crashed = worker.ask({ type: 'crash' }).catch((error: unknown) => error);
  const queuedBehind = worker.ask({ type: 'ping' }).catch((error: unknown) => error);
  const failure = await crashed;
  assert.ok(failure instanceof AskError);
  assert.equal(failure.kind, 'HandlerFailed');
  const lost = await queuedBehind;
  assert.ok(lost instanceof AskError, 'an ask left in the crashed mailbox is rejected');
  assert.equal(lost.kind, 'NoResponse');
  assert.equal(lost.generation, 1);

  await waitFor(() => worker.current()?.generation === 2, 'the restart');
  const reply = await worker.ask({ type: 'ping' });
  assert.equal(reply.generation, 2);
  assert.equal(reply.seen, 1, 'the new incarnation starts from fresh state');
});

test('onStart failure restarts the actor', async () => {
  let starts = 0;
  const Flaky = defineActor({
    name: 'flaky',
    state: () => ({}),
    async onStart() {
      starts++;
      await Promise.resolve();
      if (starts === 1) throw new Error('injected start fault');
    },
    handlers: {
      ping(_state, _message: object, ctx): number {
        return ctx.addr.generation;
      },
    },
  });
  await using engine = await Engine.start();
  const recorder = new EventRecorder(['actorFailure', 'actorRestart']);
  try {
    const flaky = engine.spawn(Flaky, { name: 'flaky' });
    await flaky.whenLive();
    assert.equal(await flaky.ask({ type: 'ping' }), 2);
    assert.equal(starts, 2);
    assert.equal(recorder.of('actorFailure').length, 1);
    assert.equal(recorder.of('actorRestart')[0]?.cause, 'failed');
  } finally {
    recorder.close();
  }
});

test('send during the restart window returns Unroutable', async () => {
  const clock = new ManualClock();
  // The backoff holds the window open until the test moves the clock.
  await using engine = await Engine.start({ clock, supervision: { backoff: { minMs: 100, maxMs: 100, jitter: 0 } } });
  const worker = engine.spawn(Worker, { name: 'w' });
  await worker.whenLive();

  assert.equal(worker.send({ type: 'crash' }), undefined);
  await waitFor(() => worker.current() === undefined, 'the crash');
  await settle();

  const sendError = worker.send({ type: 'ping' });
  assert.ok(sendError instanceof SendError);
  assert.equal(sendError.kind, 'Unroutable');
  assert.equal(sendError.code, 'RHODIUM_ERR_UNROUTABLE');

  const askError = await worker.ask({ type: 'ping' }).catch((error: unknown) => error);
  assert.ok(askError instanceof AskError);
  assert.equal(askError.kind, 'Send');
  assert.ok(askError.cause instanceof SendError);
  assert.equal(askError.cause.kind, 'Unroutable');
  assert.equal(worker.current(), undefined);

  clock.advance(100);
  await waitFor(() => worker.current()?.generation === 2, 'the restart after the backoff');
  assert.equal(worker.send({ type: 'ping' }), undefined);
});

test('self-stopping permanent worker restarts and settles asks', { timeout: 10_000 }, async () => {
  // A manual clock never fires ask timeouts, so a hanging ask would hang the test.
  const clock = new ManualClock();
  await using engine = await Engine.start({ clock });
  const recorder = new EventRecorder(['actorFailure', 'actorRestart']);
  try {
    const worker = engine.spawn(Worker, { name: 'w' });
    await worker.whenLive();

    // Each ask is observed at once, so a rejection is never unhandled while the test waits.
    const asks: Promise<PromiseSettledResult<unknown>>[] = [];
    const askPing = (): void => {
      asks.push(Promise.allSettled([worker.ask({ type: 'ping' })]).then(([outcome]) => outcome as PromiseSettledResult<unknown>));
    };

    assert.equal(worker.send({ type: 'stopSelf' }), undefined);
    askPing();
    for (let turn = 0; turn < 30 && worker.current()?.generation !== 2; turn++) {
      askPing();
      await settle(1);
    }
    await waitFor(() => worker.current()?.generation === 2, 'the restart');
    askPing();

    const outcomes = await Promise.all(asks);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') {
        assert.equal((outcome.value as { generation: number }).generation, 2, 'served only by the new incarnation');
        continue;
      }
      const error: unknown = outcome.reason;
      assert.ok(error instanceof AskError);
      assert.ok(error.kind === 'NoResponse' || error.kind === 'Send', `rejected with ${error.kind}`);
      if (error.kind === 'Send') assert.equal((error.cause as SendError).kind, 'Unroutable');
    }
    const first = outcomes[0];
    assert.equal(first?.status, 'rejected', 'the ask queued behind stopSelf is rejected');
    assert.equal(((first).reason as AskError).kind, 'NoResponse');
    assert.equal(outcomes.at(-1)?.status, 'fulfilled');

    assert.equal(recorder.of('actorFailure').length, 0, 'a normal stop is not a failure');
    assert.deepEqual(
      recorder.of('actorRestart').map((event) => event.cause),
      ['stopped'],
    );
  } finally {
    recorder.close();
  }
});

test('five children failing once each all restart', async () => {
  const names = ['c1', 'c2', 'c3', 'c4', 'c5'];
  await using engine = await Engine.start();
  const recorder = new EventRecorder(['actorRestart', 'escalation']);
  try {
    engine.spawn(supervisorOf(names.map((name) => ({ name }))), {
      name: 'sup',
      supervision: { intensity: { maxRestarts: 3, windowMs: 5000 } },
    });
    await waitFor(() => names.every((name) => engine.lookup(`/user/sup/${name}`)?.current() !== undefined), 'children to start');

    for (const name of names) {
      const child = engine.lookup(`/user/sup/${name}`) as StableAddr<typeof Worker>;
      assert.equal(child.send({ type: 'crash' }), undefined);
    }
    await waitFor(
      () => names.every((name) => engine.lookup(`/user/sup/${name}`)?.current()?.generation === 2),
      'every child at generation 2',
    );
    await settle();

    const restarts = recorder.of('actorRestart', '/user/sup/');
    assert.equal(restarts.length, 5);
    for (const name of names) {
      assert.equal(restarts.filter((event) => event.path === `/user/sup/${name}`).length, 1, `${name} restarted once`);
    }
    assert.equal(recorder.of('escalation').length, 0);
    assert.equal(engine.lookup('/user/sup')?.current()?.generation, 1, 'the supervisor did not fail');
  } finally {
    recorder.close();
  }
});

test('stale stopped notice leaves the new incarnation live', async () => {
  // With one restart allowed, a stale notice counted as a restart would escalate at once.
  await using engine = await Engine.start({ supervision: { intensity: { maxRestarts: 1 } } });
  const recorder = new EventRecorder(['actorRestart', 'actorStop']);
  try {
    const worker = engine.spawn(Worker, { name: 'w' });
    await worker.whenLive();
    const oldAddr = worker.current();
    assert.ok(oldAddr !== undefined);

    worker.send({ type: 'crash' });
    await waitFor(() => worker.current()?.generation === 2, 'the restart');
    await worker.whenLive();
    const node = runtimeOf(engine).nodes.get('/user/w');
    assert.ok(node?.parent !== undefined);

    // Notices about generation 1, as a late teardown would send them.
    node.parent.childEnded(node, oldAddr, { kind: 'stopped' });
    node.parent.childEnded(node, oldAddr, { kind: 'failed', error: new Error('late') });
    await settle();

    assert.equal(worker.current()?.generation, 2);
    assert.equal(worker.send({ type: 'ping' }), undefined);
    assert.equal((await worker.ask({ type: 'ping' })).generation, 2);
    assert.equal(recorder.of('actorRestart').length, 1, 'only the real crash restarted it');
    assert.equal(recorder.of('actorStop').length, 1, 'generation 2 was never stopped');
    assert.equal(node.restarts, 1);
  } finally {
    recorder.close();
  }
});

test('repeated notice during backoff is ignored', async () => {
  const clock = new ManualClock();
  await using engine = await Engine.start({ clock, supervision: { backoff: { minMs: 100, maxMs: 1000, jitter: 0 } } });
  const recorder = new EventRecorder(['actorRestart']);
  try {
    const worker = engine.spawn(Worker, { name: 'w' });
    await worker.whenLive();
    const firstAddr = worker.current();
    assert.ok(firstAddr !== undefined);
    worker.send({ type: 'crash' });
    await waitFor(() => worker.current() === undefined, 'the crash');
    await settle();

    // A second notice about the same incarnation, while its restart waits for the backoff.
    const node = runtimeOf(engine).nodes.get('/user/w');
    assert.ok(node?.parent !== undefined);
    node.parent.childEnded(node, firstAddr, { kind: 'failed', error: new Error('repeated') });
    await settle();

    clock.advance(100);
    await waitFor(() => worker.current()?.generation === 2, 'the restart after the first delay, not a second one');
    await settle();
    assert.equal(recorder.of('actorRestart').length, 1);
    assert.equal(node.restarts, 1);
  } finally {
    recorder.close();
  }
});
