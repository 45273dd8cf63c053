import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineActor, SendError, StableAddr, WorkerPool, type AddrHash, type Message } from '../../src/index.js';
import { Gate, lenientSupervision, recordingWorker, sleep, startEngine, waitFor, type Delivery } from './support.js';

test('empty worker list throws RangeError', () => {
  assert.throws(() => new WorkerPool([]), RangeError);
});

test('invalid constructor arguments throw', async () => {
  await using engine = await startEngine();
  const worker = engine.spawn(recordingWorker([]), { name: 'only' });

  assert.throws(() => new WorkerPool(undefined as unknown as StableAddr[]), TypeError);
  assert.throws(() => new WorkerPool([worker, { path: '/user/fake' } as unknown as typeof worker]), TypeError);
  assert.throws(() => new WorkerPool([worker], { askTimeoutMs: -5 }), RangeError);
  assert.throws(() => new WorkerPool([worker], 'fast' as unknown as object), TypeError);
});

test('pool over spawned actors rotates', async () => {
  const log: Delivery[] = [];
  await using engine = await startEngine();
  const definition = recordingWorker(log);
  const pool = new WorkerPool([engine.spawn(definition, { name: 'a' }), engine.spawn(definition, { name: 'b' })]);

  assert.equal(pool.size, 2);
  assert.equal(pool.askTimeoutMs, 30_000);
  const workers = [];
  for (let i = 0; i < 4; i++) workers.push((await pool.ask({ type: 'whoami' })).worker);
  assert.deepEqual(workers, ['a', 'b', 'a', 'b']);
});

test('workerAddr rejects an index out of range', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 2 });

  for (const index of [-1, 2, 0.5, Number.NaN]) assert.throws(() => pool.workerAddr(index), RangeError);
  assert.ok(pool.workerAddr(1) !== undefined);
});

test('workerAddr is undefined before the first spawn', () => {
  // No engine in this version hands out an address before its first spawn,
  // so this route stands for one whose actor has not started anywhere yet.
  let bound: AddrHash | undefined;
  const route = {
    path: '/user/later-0',
    current: () => bound,
    wasEverBound: () => bound !== undefined,
    whenLive: () => new Promise<void>(() => undefined),
    send: (): SendError => new SendError('Unroutable', { path: '/user/later-0' }),
    ask: (_message: Message): Promise<unknown> => Promise.reject(new Error('not bound')),
  };
  const pool = new WorkerPool([new StableAddr(route)]);

  assert.equal(pool.workerAddr(0), undefined);
  assert.equal(pool.workersReadyCount(), 0);
});

test('workersReadyCount counts workers bound once', async () => {
  await using engine = await startEngine({
    supervision: { ...lenientSupervision, backoff: { minMs: 30, maxMs: 30, jitter: 0 } },
  });
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 3 });

  assert.equal(pool.workersReadyCount(), 3);
  await pool.ask({ type: 'crash' }).catch(() => undefined);
  assert.equal(pool.workerAddr(0), undefined);
  assert.equal(pool.workersReadyCount(), 3);
  await pool.ready();
  assert.equal(pool.workersReadyCount(), 3);
});

test('ready waits for every onStart', async () => {
  const gates = [new Gate(), new Gate()];
  let started = 0;
  const slowStart = defineActor({
    name: 'slow',
    state: () => ({}),
    async onStart(): Promise<void> {
      await (gates[started++] as Gate).promise;
    },
    handlers: { ping: (): string => 'pong' },
  });
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(slowStart, { size: 2 });

  let ready = false;
  const readiness = pool.ready().then(() => {
    ready = true;
  });
  gates[0]?.open();
  await sleep(10);
  assert.equal(ready, false);
  gates[1]?.open();
  await readiness;
  assert.equal(await pool.ask({ type: 'ping' }), 'pong');
});

test('ready waits through a restart window', async () => {
  await using engine = await startEngine({
    supervision: { ...lenientSupervision, backoff: { minMs: 40, maxMs: 40, jitter: 0 } },
  });
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 2 });

  await pool.ask({ type: 'crash' }).catch(() => undefined);
  assert.equal(pool.workerAddr(0), undefined);
  await pool.ready();
  assert.equal(pool.workerAddr(0)?.generation, 2);
});

test('pool methods accept headers', async () => {
  const seen: (string | undefined)[] = [];
  const traced = defineActor({
    name: 'traced',
    state: () => ({}),
    handlers: {
      note(_state, message: { text: string }): string {
        seen.push(message.text);
        return message.text;
      },
    },
  });
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(traced, { size: 2 });
  const headers = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

  assert.equal(pool.send({ type: 'note', text: 'a' }, { headers }), undefined);
  assert.equal(await pool.ask({ type: 'note', text: 'b' }, { headers }), 'b');
  assert.equal(await pool.sendWhenReady({ type: 'note', text: 'c' }, { headers }), undefined);
  await waitFor(() => seen.length === 3);
  assert.deepEqual(seen.sort(), ['a', 'b', 'c']);
});
