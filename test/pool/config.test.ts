import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { AskError, defineActor, SendError, SpawnError, type PoolConfig } from '../../src/index.js';
import { CountingClock, Gate, recordingWorker, startEngine, waitFor } from './support.js';

/** Tells whether `clock` was asked for a timer of `ms`, less the few milliseconds a deadline loses before its timer is set. */
function hasDelayNear(clock: CountingClock, ms: number): boolean {
  return clock.delays.some((delay) => delay <= ms && delay > ms - 5);
}

test('default pool has one worker per core', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]));

  assert.equal(pool.size, availableParallelism());
  const paths = engine.snapshot().actors.map((actor) => actor.path);
  assert.deepEqual(paths, Array.from({ length: pool.size }, (_, i) => `/user/worker-${i}`));
  for (let i = 0; i < pool.size; i++) assert.equal(pool.workerAddr(i)?.path, `/user/worker-${i}`);
});

test('namePrefix names every slot', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([], 'hasher'), { size: 2, namePrefix: 'digest' });
  const byDefinition = engine.spawnWorkerPool(recordingWorker([], 'hasher'), { size: 1 });

  assert.equal(pool.workerAddr(0)?.path, '/user/digest-0');
  assert.equal(pool.workerAddr(1)?.path, '/user/digest-1');
  assert.equal(byDefinition.workerAddr(0)?.path, '/user/hasher-0');
  assert.ok(engine.lookup('/user/digest-1'));
});

test('defaults reach the workers', async () => {
  const clock = new CountingClock();
  await using engine = await startEngine({ clock });
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 2 });

  assert.deepEqual(engine.snapshot().actors.map((actor) => actor.mailboxCapacity), [1024, 1024]);
  assert.equal(pool.askTimeoutMs, 30_000);
  await pool.ask({ type: 'whoami' });
  assert.ok(clock.delays.includes(30_000));

  // permanent: a worker that stops normally is started again.
  await pool.ask({ type: 'quit' });
  await pool.ready();
  assert.equal(pool.workerAddr(1)?.generation, 2);

  // A stop waits for the in-flight handler up to the 5000 ms shutdown timeout.
  const gate = new Gate();
  assert.equal(pool.send({ type: 'hold', gate, seq: 0 }), undefined);
  await waitFor(() => engine.snapshot().actors[0]?.mailboxDepth === 0);
  const stopped = engine.stop('/user/worker-0');
  await waitFor(() => hasDelayNear(clock, 5000));
  gate.open();
  await stopped;
});

test('restart option reaches the workers', async () => {
  await using engine = await startEngine();
  const temporary = engine.spawnWorkerPool(recordingWorker([]), { size: 1, namePrefix: 'temporary', restart: 'temporary' });
  const transient = engine.spawnWorkerPool(recordingWorker([]), { size: 1, namePrefix: 'transient', restart: 'transient' });

  await temporary.ask({ type: 'crash' }).catch(() => undefined);
  await waitFor(() => temporary.send({ type: 'record', seq: 0 })?.kind === 'ActorStopped');
  assert.equal(temporary.workerAddr(0), undefined);
  assert.equal(temporary.workersReadyCount(), 1);

  await transient.ask({ type: 'crash' }).catch(() => undefined);
  await transient.ready();
  assert.equal(transient.workerAddr(0)?.generation, 2);
  await transient.ask({ type: 'quit' });
  await waitFor(() => transient.send({ type: 'record', seq: 0 })?.kind === 'ActorStopped');
});

test('shutdown and askTimeoutMs reach the workers', async () => {
  const clock = new CountingClock();
  await using engine = await startEngine({ clock });
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 2, shutdown: { timeoutMs: 25 }, askTimeoutMs: 40 });
  const brutal = engine.spawnWorkerPool(recordingWorker([]), { size: 1, namePrefix: 'brutal', shutdown: 'brutal' });

  const timedOut = await pool.ask({ type: 'hold', gate: new Gate(), seq: 0 }).catch((caught: unknown) => caught);
  assert.ok(timedOut instanceof AskError);
  assert.equal(timedOut.kind, 'Timeout');
  assert.ok(clock.delays.includes(40));

  // Slot 0 is still held; its stop gives up on the handler after 25 ms.
  await engine.stop('/user/worker-0');
  assert.ok(hasDelayNear(clock, 25));
  assert.ok(engine.snapshot().actors.every((actor) => actor.path !== '/user/worker-0'));

  assert.equal(brutal.send({ type: 'hold', gate: new Gate(), seq: 1 }), undefined);
  await waitFor(() => engine.snapshot().actors.find((actor) => actor.path === '/user/brutal-0')?.mailboxDepth === 0);
  const delaysBefore = clock.delays.length;
  await engine.stop('/user/brutal-0');
  assert.equal(clock.delays.length, delaysBefore);
});

test('mailboxCapacity reaches the workers', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 2, mailboxCapacity: 3 });

  assert.deepEqual(engine.snapshot().actors.map((actor) => actor.mailboxCapacity), [3, 3]);
  for (let seq = 0; seq < 6; seq++) assert.equal(pool.send({ type: 'record', seq }), undefined);
  assert.equal(pool.send({ type: 'record', seq: 6 })?.kind, 'MailboxFull');
});

test('invalid config values throw', async () => {
  await using engine = await startEngine();
  const worker = recordingWorker([]);
  const cases: [string, unknown, typeof TypeError | typeof RangeError][] = [
    ['size', 0, RangeError],
    ['size', -2, RangeError],
    ['size', 1.5, RangeError],
    ['size', Number.NaN, RangeError],
    ['size', '4', RangeError],
    ['namePrefix', '', TypeError],
    ['namePrefix', 'a/b', TypeError],
    ['namePrefix', 7, TypeError],
    ['mailboxCapacity', 0, RangeError],
    ['mailboxCapacity', 2.5, RangeError],
    ['restart', 'sometimes', TypeError],
    ['shutdown', { timeoutMs: -1 }, RangeError],
    ['shutdown', { timeoutMs: Number.POSITIVE_INFINITY }, RangeError],
    ['shutdown', 'soon', TypeError],
    ['askTimeoutMs', -1, RangeError],
    ['askTimeoutMs', Number.NaN, RangeError],
    ['askTimeoutMs', 2 ** 31, RangeError],
    ['shutdown', { timeoutMs: 2 ** 31 }, RangeError],
    ['placement', 'spread', RangeError],
    ['placement', 'auto', RangeError],
    ['placement', 'remote', TypeError],
  ];
  for (const [option, value, errorClass] of cases) {
    const config = { size: 1, [option]: value } as PoolConfig;
    assert.throws(() => engine.spawnWorkerPool(worker, config), errorClass, `${option}: ${String(value)}`);
  }
  assert.throws(() => engine.spawnWorkerPool(worker, null as unknown as PoolConfig), TypeError);
  assert.throws(() => engine.spawnWorkerPool({ name: 'worker' } as unknown as typeof worker), TypeError);
  assert.equal(engine.snapshot().actors.length, 0);
});

test('taken worker name spawns nothing', async () => {
  await using engine = await startEngine();
  const worker = recordingWorker([]);
  engine.spawn(worker, { name: 'worker-2' });

  const error = (() => {
    try {
      engine.spawnWorkerPool(worker, { size: 3 });
    } catch (caught) {
      return caught;
    }
    return undefined;
  })();
  assert.ok(error instanceof SpawnError);
  assert.equal(error.kind, 'NameTaken');
  assert.equal(error.path, '/user/worker-2');
  assert.deepEqual(engine.snapshot().actors.map((actor) => actor.path), ['/user/worker-2']);
});

test('spawnWorkerPool during shutdown throws EngineStopped', async () => {
  const engine = await startEngine();
  const shutdown = engine.shutdown();
  assert.throws(
    () => engine.spawnWorkerPool(recordingWorker([]), { size: 2 }),
    (error) => error instanceof SpawnError && error.kind === 'EngineStopped',
  );
  await shutdown;
});

test('worker stopped for good keeps its slot', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(recordingWorker([]), { size: 2, restart: 'temporary' });

  await pool.ask({ type: 'crash' }).catch(() => undefined);
  await waitFor(() => engine.lookup('/user/worker-0') === undefined);
  assert.equal(pool.send({ type: 'record', seq: 1 }), undefined);
  const stopped = pool.send({ type: 'record', seq: 2 });
  assert.equal(stopped?.kind, 'ActorStopped');
  assert.equal(stopped.code, 'RHODIUM_ERR_ACTOR_STOPPED');
  assert.equal(stopped.path, '/user/worker-0');
  assert.equal(pool.size, 2);
  assert.equal(pool.workersReadyCount(), 2);
  await assert.rejects(pool.ready(), (error) => error instanceof SendError && error.kind === 'ActorStopped');
});

test('onStart failure keeps the slot restarting', async () => {
  let starts = 0;
  const flaky = defineActor({
    name: 'flaky',
    state: () => ({}),
    onStart(): void {
      starts++;
      if (starts <= 2) throw new Error('injected start fault');
    },
    handlers: {
      ping: (): string => 'pong',
    },
  });
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(flaky, { size: 1 });

  await pool.ready();
  assert.equal(await pool.ask({ type: 'ping' }), 'pong');
  assert.equal(pool.workerAddr(0)?.generation, 3);
});
