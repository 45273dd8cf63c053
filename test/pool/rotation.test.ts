import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { WorkerPool } from '../../src/index.js';
import { recordingWorker, startEngine, waitFor, type Delivery } from './support.js';

type Operation = 'send' | 'ask' | 'sendWhenReady';

test('rotation is exact across handles and senders', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 4 }),
      fc.array(
        fc.record({
          handle: fc.nat({ max: 3 }),
          operations: fc.array(fc.constantFrom<Operation>('send', 'ask', 'sendWhenReady'), { minLength: 1, maxLength: 8 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      fc.scheduler(),
      async (size, handleCount, senders, scheduler) => {
        const log: Delivery[] = [];
        await using engine = await startEngine();
        const pool = engine.spawnWorkerPool(recordingWorker(log), { size });
        const handles: WorkerPool<ReturnType<typeof recordingWorker>>[] = [pool];
        while (handles.length < handleCount) handles.push(pool.handle());

        // Each sender numbers its message from one global counter at the moment it calls the pool.
        let seq = 0;
        const pending: Promise<unknown>[] = [];
        const runSender = async (handleIndex: number, operations: Operation[]): Promise<void> => {
          const handle = handles[handleIndex % handleCount] as (typeof handles)[number];
          for (const operation of operations) {
            await scheduler.schedule(Promise.resolve());
            const message = { type: 'record', seq: seq++ } as const;
            if (operation === 'send') assert.equal(handle.send(message), undefined);
            else if (operation === 'ask') pending.push(handle.ask(message));
            else pending.push(handle.sendWhenReady(message));
          }
        };

        await scheduler.waitFor(Promise.all(senders.map((sender) => runSender(sender.handle, sender.operations))));
        const outcomes = await Promise.all(pending);
        for (const outcome of outcomes) assert.notEqual(typeof outcome, 'object');
        await waitFor(() => log.length === seq);

        // Message k went to slot k mod size: the rotation with no repeat and no skip.
        const handledSeqs = log.map((delivery) => delivery.seq).sort((a, b) => a - b);
        assert.deepEqual(handledSeqs, Array.from({ length: seq }, (_, k) => k));
        for (const delivery of log) assert.equal(delivery.worker, `worker-${delivery.seq % size}`);
      },
    ),
    { numRuns: 60 },
  );
});

test('handles share one rotation counter', async () => {
  const log: Delivery[] = [];
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker(log), { size: 3 });
  const first = pool.handle();
  const second = first.handle();

  assert.notEqual(first, pool);
  assert.equal(first.size, 3);
  assert.equal(second.askTimeoutMs, pool.askTimeoutMs);
  assert.equal(pool.send({ type: 'record', seq: 0 }), undefined);
  assert.equal(first.send({ type: 'record', seq: 1 }), undefined);
  assert.equal(second.send({ type: 'record', seq: 2 }), undefined);
  assert.equal(first.send({ type: 'record', seq: 3 }), undefined);
  await waitFor(() => log.length === 4);

  const bySeq = [...log].sort((a, b) => a.seq - b.seq).map((delivery) => delivery.worker);
  assert.deepEqual(bySeq, ['worker-0', 'worker-1', 'worker-2', 'worker-0']);
});

test('ask takes the next worker in rotation', async () => {
  const log: Delivery[] = [];
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker(log), { size: 3 });

  const workers: string[] = [];
  for (let i = 0; i < 6; i++) workers.push((await pool.ask({ type: 'whoami' })).worker);

  assert.deepEqual(workers, ['worker-0', 'worker-1', 'worker-2', 'worker-0', 'worker-1', 'worker-2']);
});

test('failed send still uses up its slot', async () => {
  const log: Delivery[] = [];
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker(log), { size: 2, mailboxCapacity: 1 });

  // Both mailboxes fill before the scheduler runs, so the third and fourth sends fail.
  assert.equal(pool.send({ type: 'record', seq: 0 }), undefined);
  assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);
  assert.equal(pool.send({ type: 'record', seq: 2 })?.kind, 'MailboxFull');
  assert.equal(pool.send({ type: 'record', seq: 3 })?.kind, 'MailboxFull');
  await waitFor(() => log.length === 2);

  assert.equal((await pool.ask({ type: 'whoami' })).worker, 'worker-0');
});

test('invalid ask options leave the rotation alone', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 2 });

  assert.throws(() => pool.ask({ type: 'whoami' }, { timeoutMs: -1 }), RangeError);
  assert.throws(() => pool.ask({ type: 'whoami' }, { signal: {} as AbortSignal }), TypeError);
  assert.throws(() => pool.sendWhenReady({ type: 'record', seq: 0 }, { timeoutMs: Number.NaN }), RangeError);

  assert.equal((await pool.ask({ type: 'whoami' })).worker, 'worker-0');
});
