import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AskError, SendError } from '../../src/index.js';
import { Gate, lenientSupervision, recordingWorker, startEngine, waitFor, type Delivery } from './support.js';

/** Restarts wait 50 ms, so a test can observe the restart window on real time. */
const slowRestarts = { supervision: { ...lenientSupervision, backoff: { minMs: 50, maxMs: 50, jitter: 0 } } };

async function askError(promise: Promise<unknown>): Promise<AskError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof AskError, `expected an AskError, got ${String(error)}`);
  return error;
}

test('full worker returns MailboxFull while siblings idle', async () => {
  const log: Delivery[] = [];
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker(log), { size: 3, mailboxCapacity: 2 });
  const gate = new Gate();

  // Slot 0 holds its handler open, so its mailbox never drains.
  const held = pool.ask({ type: 'hold', gate, seq: 0 });
  assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);
  assert.equal(pool.send({ type: 'record', seq: 2 }), undefined);
  // Two more rounds: slot 0 queues both messages, slots 1 and 2 handle theirs between rounds.
  for (const seq of [3, 6]) {
    await waitFor(() => log.length === (seq === 3 ? 2 : 4));
    assert.equal(pool.send({ type: 'record', seq }), undefined);
    assert.equal(pool.send({ type: 'record', seq: seq + 1 }), undefined);
    assert.equal(pool.send({ type: 'record', seq: seq + 2 }), undefined);
  }
  await waitFor(() => log.length === 6);

  const full = pool.send({ type: 'record', seq: 9 });
  assert.ok(full instanceof SendError);
  assert.equal(full.kind, 'MailboxFull');
  assert.equal(full.code, 'RHODIUM_ERR_MAILBOX_FULL');
  assert.equal(full.path, '/user/worker-0');
  const depths = engine.snapshot().actors.map((actor) => [actor.path, actor.mailboxDepth]);
  assert.deepEqual(Object.fromEntries(depths), { '/user/worker-0': 2, '/user/worker-1': 0, '/user/worker-2': 0 });

  // The refused message went nowhere else: the next send is slot 1's own.
  assert.equal(pool.send({ type: 'record', seq: 10 }), undefined);
  await waitFor(() => log.length === 7);
  assert.deepEqual(log.at(-1), { worker: 'worker-1', generation: 1, seq: 10 });
  assert.equal(log.some((delivery) => delivery.seq === 9), false);

  gate.open();
  assert.equal(await held, 0);
});

test('crashed slot is Unroutable until its restart', async () => {
  const log: Delivery[] = [];
  await using engine = await startEngine(slowRestarts);
  const pool = engine.spawnWorkerPool(recordingWorker(log), { size: 3 });
  await pool.ready();
  const before = [0, 1, 2].map((slot) => pool.workerAddr(slot));

  assert.equal((await askError(pool.ask({ type: 'crash' }))).kind, 'HandlerFailed');
  assert.equal(pool.workerAddr(0), undefined);
  assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);
  assert.equal(pool.send({ type: 'record', seq: 2 }), undefined);
  const unroutable = pool.send({ type: 'record', seq: 3 });
  assert.equal(unroutable?.kind, 'Unroutable');
  assert.equal(unroutable.code, 'RHODIUM_ERR_UNROUTABLE');
  assert.equal((await pool.ask({ type: 'whoami' })).worker, 'worker-1');
  assert.equal((await pool.ask({ type: 'whoami' })).worker, 'worker-2');
  const rejected = await askError(pool.ask({ type: 'whoami' }));
  assert.equal(rejected.kind, 'Send');
  assert.ok(rejected.cause instanceof SendError);
  assert.equal(rejected.cause.kind, 'Unroutable');
  assert.equal(pool.workersReadyCount(), 3);

  await pool.ready();
  const after = pool.workerAddr(0);
  assert.ok(after !== undefined);
  assert.equal(after.path, '/user/worker-0');
  assert.equal(after.pathHash, before[0]?.pathHash);
  assert.equal(after.generation, (before[0]?.generation ?? 0) + 1);
  assert.ok(pool.workerAddr(1)?.equals(before[1]));
  assert.ok(pool.workerAddr(2)?.equals(before[2]));

  // Slots 1 and 2 take the next two sends, then slot 0 takes one again.
  for (const seq of [4, 5, 6]) assert.equal(pool.send({ type: 'record', seq }), undefined);
  await waitFor(() => log.length === 5);
  assert.deepEqual(log.at(-1), { worker: 'worker-0', generation: after.generation, seq: 6 });
});

test('eight asks to a crashing worker all reject', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 2 });
  const gate = new Gate();

  // Even asks go to slot 0: the first holds its handler open, seven wait behind it.
  const toCrashing: Promise<unknown>[] = [];
  const toSibling: Promise<unknown>[] = [];
  for (let seq = 0; seq < 16; seq++) {
    const message = seq === 0 ? ({ type: 'hold', gate, seq } as const) : ({ type: 'record', seq } as const);
    (seq % 2 === 0 ? toCrashing : toSibling).push(pool.ask(message));
  }
  await waitFor(() => engine.snapshot().actors.find((actor) => actor.path === '/user/worker-0')?.mailboxDepth === 7);
  gate.fail(new Error('injected fault'));

  const outcomes = await Promise.allSettled(toCrashing);
  const kinds = outcomes.map((outcome) =>
    outcome.status === 'rejected' && outcome.reason instanceof AskError ? outcome.reason.kind : outcome.status,
  );
  assert.deepEqual(kinds, ['HandlerFailed', ...Array<string>(7).fill('NoResponse')]);
  const siblingReplies = await Promise.all(toSibling);
  assert.deepEqual(siblingReplies, [1, 3, 5, 7, 9, 11, 13, 15]);
  assert.equal(engine.snapshot().pendingAsks, 0);
  assert.equal(engine.snapshot().actors.find((actor) => actor.path === '/user/worker-0')?.deadLetters, 7);
});

test('every worker handles one after repeated crashes', async () => {
  const log: Delivery[] = [];
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker(log), { size: 4 });

  for (let round = 0; round < 3; round++) {
    const crashes = [0, 1, 2, 3].map(() => askError(pool.ask({ type: 'crash' })));
    for (const error of await Promise.all(crashes)) assert.equal(error.kind, 'HandlerFailed');
    await pool.ready();
  }
  assert.deepEqual([0, 1, 2, 3].map((slot) => pool.workerAddr(slot)?.generation), [4, 4, 4, 4]);

  for (let seq = 0; seq < pool.size; seq++) assert.equal(pool.send({ type: 'record', seq }), undefined);
  await waitFor(() => log.length === 4);

  const workers = log.map((delivery) => delivery.worker).sort();
  assert.deepEqual(workers, ['worker-0', 'worker-1', 'worker-2', 'worker-3']);
});

test('pool of one serves the ask after a restart', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 1 });
  const gate = new Gate();

  const crashing = pool.ask({ type: 'hold', gate, seq: 0 });
  await waitFor(() => engine.snapshot().actors[0]?.messagesHandled === 0 && engine.snapshot().actors[0]?.mailboxDepth === 0);
  gate.fail(new Error('injected fault'));
  assert.equal((await askError(crashing)).kind, 'HandlerFailed');

  await pool.ready();
  assert.deepEqual(await pool.ask({ type: 'whoami' }), { worker: 'worker-0', generation: 2 });
});

test('timed-out asks keep the pool at full size', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 2 });
  const gates = Array.from({ length: 5 }, () => new Gate());

  const timeouts = gates.map((gate, seq) => askError(pool.ask({ type: 'hold', gate, seq }, { timeoutMs: 10 })));
  for (const error of await Promise.all(timeouts)) assert.equal(error.kind, 'Timeout');
  assert.equal(pool.workersReadyCount(), 2);
  assert.equal(pool.workerAddr(0)?.generation, 1);
  assert.equal(pool.workerAddr(1)?.generation, 1);

  for (const gate of gates) gate.open();
  const workers = [(await pool.ask({ type: 'whoami' })).worker, (await pool.ask({ type: 'whoami' })).worker];
  assert.deepEqual(workers.sort(), ['worker-0', 'worker-1']);
  assert.equal(pool.workersReadyCount(), 2);
});

test('timed-out ask leaves the next message alone', async () => {
  const log: Delivery[] = [];
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker(log), { size: 2 });
  const gate = new Gate();

  assert.equal((await askError(pool.ask({ type: 'hold', gate, seq: 1 }, { timeoutMs: 10 }))).kind, 'Timeout');
  assert.equal(pool.send({ type: 'record', seq: 2 }), undefined);
  // Slot 0 again, queued behind the handler whose ask timed out.
  const next = pool.ask({ type: 'record', seq: 3 });
  gate.open();

  assert.equal(await next, 3);
  await waitFor(() => log.length === 3);
  const onSlot0 = log.filter((delivery) => delivery.worker === 'worker-0').map((delivery) => delivery.seq);
  assert.deepEqual(onSlot0, [1, 3]);
  assert.equal(pool.workerAddr(0)?.generation, 1);
});
