import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { SendError } from '../../src/index.js';
import { CountingClock, Gate, lenientSupervision, recordingWorker, sleep, startEngine, waitFor, type Delivery } from './support.js';

/** Tracks whether a promise has settled yet. */
function track<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  return { settled: () => settled, promise: tracked };
}

test('waiting send delivers after a restart window', async () => {
  const log: Delivery[] = [];
  await using engine = await startEngine({
    supervision: { ...lenientSupervision, backoff: { minMs: 50, maxMs: 50, jitter: 0 } },
  });
  const pool = engine.spawnWorkerPool(recordingWorker(log), { size: 2 });

  await pool.ask({ type: 'crash' }).catch(() => undefined);
  assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);
  assert.equal(pool.workerAddr(0), undefined);
  const waiting = track(pool.sendWhenReady({ type: 'record', seq: 2 }));
  await sleep(10);
  assert.equal(waiting.settled(), false);

  assert.equal(await waiting.promise, undefined);
  await waitFor(() => log.length === 2);
  assert.deepEqual(log.at(-1), { worker: 'worker-0', generation: 2, seq: 2 });
});

test('waiting send waits for mailbox space', async () => {
  const log: Delivery[] = [];
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker(log), { size: 1, mailboxCapacity: 1 });
  const gate = new Gate();

  assert.equal(pool.send({ type: 'hold', gate, seq: 0 }), undefined);
  await waitFor(() => engine.snapshot().actors[0]?.mailboxDepth === 0);
  assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);
  assert.equal(pool.send({ type: 'record', seq: 2 })?.kind, 'MailboxFull');
  const waiting = track(pool.sendWhenReady({ type: 'record', seq: 3 }));
  await sleep(20);
  assert.equal(waiting.settled(), false);

  gate.open();
  assert.equal(await waiting.promise, undefined);
  await waitFor(() => log.length === 3);
  assert.deepEqual(log.map((delivery) => delivery.seq), [0, 1, 3]);
});

test('waiting sends to one slot keep call order', async () => {
  const log: Delivery[] = [];
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker(log), { size: 1, mailboxCapacity: 1 });
  const gate = new Gate();

  assert.equal(pool.send({ type: 'hold', gate, seq: 0 }), undefined);
  await waitFor(() => engine.snapshot().actors[0]?.mailboxDepth === 0);
  assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);
  const waiting = [2, 3, 4, 5].map((seq) => pool.sendWhenReady({ type: 'record', seq }));
  await sleep(5);
  gate.open();

  assert.deepEqual(await Promise.all(waiting), [undefined, undefined, undefined, undefined]);
  await waitFor(() => log.length === 6);
  assert.deepEqual(log.map((delivery) => delivery.seq), [0, 1, 2, 3, 4, 5]);
});

test('waiting send times out on a full mailbox', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 1, mailboxCapacity: 1, shutdown: 'brutal' });
  const gate = new Gate();

  assert.equal(pool.send({ type: 'hold', gate, seq: 0 }), undefined);
  await waitFor(() => engine.snapshot().actors[0]?.mailboxDepth === 0);
  assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);

  const error = await pool.sendWhenReady({ type: 'record', seq: 2 }, { timeoutMs: 20 });
  assert.ok(error instanceof SendError);
  assert.equal(error.kind, 'MailboxFull');
  assert.equal(await pool.sendWhenReady({ type: 'record', seq: 3 }, { timeoutMs: 0 }).then((e) => e?.kind), 'MailboxFull');
  gate.open();
});

test('waiting send times out during a long restart', async () => {
  await using engine = await startEngine({
    supervision: { ...lenientSupervision, backoff: { minMs: 60_000, maxMs: 60_000, jitter: 0 } },
  });
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 1 });

  await pool.ask({ type: 'crash' }).catch(() => undefined);
  const error = await pool.sendWhenReady({ type: 'record', seq: 1 }, { timeoutMs: 20 });
  assert.ok(error instanceof SendError);
  assert.equal(error.kind, 'Unroutable');
});

test('waiting send rejects with the abort reason', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 1, mailboxCapacity: 1, shutdown: 'brutal' });
  const gate = new Gate();
  assert.equal(pool.send({ type: 'hold', gate, seq: 0 }), undefined);
  await waitFor(() => engine.snapshot().actors[0]?.mailboxDepth === 0);
  assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);

  const controller = new AbortController();
  const waiting = pool.sendWhenReady({ type: 'record', seq: 2 }, { signal: controller.signal });
  const reason = new Error('caller gave up');
  controller.abort(reason);

  await assert.rejects(waiting, (caught) => caught === reason);
  gate.open();
});

test('aborted signal rejects without taking a slot', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 2 });
  const reason = new Error('already aborted');

  await assert.rejects(
    pool.sendWhenReady({ type: 'record', seq: 0 }, { signal: AbortSignal.abort(reason) }),
    (caught) => caught === reason,
  );
  assert.equal((await pool.ask({ type: 'whoami' })).worker, 'worker-0');
});

test('waiting send returns ActorStopped at once', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 1, restart: 'temporary' });

  await pool.ask({ type: 'crash' }).catch(() => undefined);
  await waitFor(() => pool.send({ type: 'record', seq: 0 })?.kind === 'ActorStopped');
  const error = await pool.sendWhenReady({ type: 'record', seq: 1 }, { timeoutMs: 60_000 });
  assert.equal(error?.kind, 'ActorStopped');
});

test('shutdown ends a waiting send with ActorStopped', async () => {
  const engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 1, mailboxCapacity: 1, shutdown: 'brutal' });
  assert.equal(pool.send({ type: 'hold', gate: new Gate(), seq: 0 }), undefined);
  await waitFor(() => engine.snapshot().actors[0]?.mailboxDepth === 0);
  assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);

  const waiting = pool.sendWhenReady({ type: 'record', seq: 2 }, { timeoutMs: 60_000 });
  await engine.shutdown();

  assert.equal((await waiting)?.kind, 'ActorStopped');
});

test('waiting send defaults to the pool askTimeoutMs', async () => {
  const clock = new CountingClock();
  await using engine = await startEngine({ clock });
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 1, mailboxCapacity: 1, askTimeoutMs: 1234, shutdown: 'brutal' });
  const gate = new Gate();
  assert.equal(pool.send({ type: 'hold', gate, seq: 0 }), undefined);
  await waitFor(() => engine.snapshot().actors[0]?.mailboxDepth === 0);
  assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);

  const waiting = pool.sendWhenReady({ type: 'record', seq: 2 });
  assert.ok(clock.delays.includes(1234));
  gate.open();
  assert.equal(await waiting, undefined);
});

test('waiting send releases timers and listeners', async () => {
  const clock = new CountingClock();
  await using engine = await startEngine({
    clock,
    supervision: { ...lenientSupervision, backoff: { minMs: 30, maxMs: 30, jitter: 0 } },
  });
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 1, mailboxCapacity: 1, shutdown: 'brutal' });
  const controller = new AbortController();
  const signal = controller.signal;
  const released = (): void => {
    assert.equal(clock.pendingTimers, 0);
    assert.equal(getEventListeners(signal, 'abort').length, 0);
  };

  // Delivered at once.
  assert.equal(await pool.sendWhenReady({ type: 'record', seq: 0 }, { signal }), undefined);
  await waitFor(() => engine.snapshot().actors[0]?.messagesHandled === 1);
  released();

  // Delivered after waiting for space.
  const gate = new Gate();
  assert.equal(pool.send({ type: 'hold', gate, seq: 1 }), undefined);
  await waitFor(() => engine.snapshot().actors[0]?.mailboxDepth === 0);
  assert.equal(pool.send({ type: 'record', seq: 2 }), undefined);
  const waiting = pool.sendWhenReady({ type: 'record', seq: 3 }, { signal });
  assert.equal(getEventListeners(signal, 'abort').length, 1);
  gate.open();
  assert.equal(await waiting, undefined);
  await waitFor(() => engine.snapshot().actors[0]?.mailboxDepth === 0 && clock.pendingTimers === 0);
  released();

  // Timed out on a full mailbox.
  const stuck = new Gate();
  assert.equal(pool.send({ type: 'hold', gate: stuck, seq: 4 }), undefined);
  await waitFor(() => engine.snapshot().actors[0]?.mailboxDepth === 0);
  assert.equal(pool.send({ type: 'record', seq: 5 }), undefined);
  assert.equal((await pool.sendWhenReady({ type: 'record', seq: 6 }, { signal, timeoutMs: 15 }))?.kind, 'MailboxFull');
  released();

  // Aborted while waiting.
  const aborted = pool.sendWhenReady({ type: 'record', seq: 7 }, { signal });
  controller.abort();
  await assert.rejects(aborted);
  released();

  // Delivered after a restart window.
  stuck.fail(new Error('injected fault'));
  await waitFor(() => pool.workerAddr(0) === undefined);
  const fresh = new AbortController();
  const afterRestart = pool.sendWhenReady({ type: 'record', seq: 8 }, { signal: fresh.signal });
  assert.equal(await afterRestart, undefined);
  assert.equal(getEventListeners(fresh.signal, 'abort').length, 0);
  await waitFor(() => engine.snapshot().actors[0]?.mailboxDepth === 0);
  assert.equal(clock.pendingTimers, 0);
});
