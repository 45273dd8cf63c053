// Actors on worker threads through the public API: Engine.start({ threads }),
// placement, supervision across thread deaths, shutdown and the snapshot.
import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { test, type TestContext } from 'node:test';
import {
  actorModule,
  AskError,
  Engine,
  ErrorCodes,
  ModuleLoadError,
  SendError,
  ThreadDiedError,
  type EngineConfig,
  type EscalationEvent,
  type Placement,
  type StableAddr,
} from '../../src/index.js';
import { Recorder } from '../fixtures/threads/actors.js';
import { actorsUrl, rejection } from './helpers.js';

const RecorderModule = actorModule<typeof Recorder>(actorsUrl, 'Recorder');
const throwsOnImportUrl = new URL('../fixtures/threads/throws-on-import.js', import.meta.url);

/** Starts an engine with 2 worker threads and shuts it down when the test ends. */
async function startEngine(t: TestContext, config: EngineConfig = {}): Promise<Engine> {
  const engine = await Engine.start({ threads: 2, shutdownTimeoutMs: 5000, ...config });
  t.after(() => engine.shutdown());
  return engine;
}

/** Subscribes to `channel` for the rest of the test and returns what it publishes. */
function collect<T>(t: TestContext, channel: string): T[] {
  const events: T[] = [];
  const listener = (event: unknown): void => {
    events.push(event as T);
  };
  diagnosticsChannel.subscribe(channel, listener);
  t.after(() => diagnosticsChannel.unsubscribe(channel, listener));
  return events;
}

/** Resolves once `addr` is live with a generation above `generation`. */
async function liveAfter(addr: StableAddr, generation: number): Promise<void> {
  for (;;) {
    await addr.whenLive();
    if ((addr.current()?.generation ?? 0) > generation) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function threadEntry(engine: Engine, thread: number): Record<string, unknown> {
  const entry = engine.snapshot().threads.find((candidate) => candidate.thread === thread);
  assert.ok(entry !== undefined, `no snapshot entry for thread ${thread}`);
  return entry as unknown as Record<string, unknown>;
}

function actorEntry(engine: Engine, path: string) {
  const entry = engine.snapshot().actors.find((actor) => actor.path === path);
  assert.ok(entry !== undefined, `no snapshot entry for ${path}`);
  return entry;
}

test('module that throws on import counts against restart intensity', async (t) => {
  for (const placement of [{ thread: 0 }, 'local'] as const) {
    const engine = await Engine.start({ threads: 2, supervision: { intensity: { maxRestarts: 2, windowMs: 60_000 } } });
    t.after(() => engine.shutdown());
    const escalations = collect<EscalationEvent>(t, 'rhodium:supervisor:escalation');
    const escalated = new Promise<void>((resolve) => {
      const listener = (): void => {
        diagnosticsChannel.unsubscribe('rhodium:supervisor:escalation', listener);
        resolve();
      };
      diagnosticsChannel.subscribe('rhodium:supervisor:escalation', listener);
    });
    const failures = collect<{ path: string; error: unknown }>(t, 'rhodium:actor:failure');

    const broken = engine.spawn(actorModule(throwsOnImportUrl, 'Never'), { name: 'broken', placement });
    const pending = rejection(broken.ask({ type: 'anything' }, { timeoutMs: 60_000 }));
    await escalated;

    const askError = await pending;
    assert.ok(askError instanceof AskError);
    assert.ok(askError.kind === 'NoResponse' || askError.kind === 'Send', `placement ${JSON.stringify(placement)}`);
    const mine = failures.filter((event) => event.path === '/user/broken');
    assert.equal(mine.length, 3, `placement ${JSON.stringify(placement)}`);
    for (const event of mine) {
      assert.ok(event.error instanceof ModuleLoadError);
      assert.equal(event.error.code, ErrorCodes.StartFailed);
    }
    assert.equal(escalations.at(-1)?.path, '/user/broken');
    const stopped = broken.send({ type: 'anything' });
    assert.ok(stopped instanceof SendError);
    assert.equal(stopped.kind, 'ActorStopped');

    const report = await engine.shutdown({ timeoutMs: 5000 });
    assert.equal(report.completed, true);
    assert.deepEqual(report.stuckThreads, []);
  }
});

test('process.exit in a handler restarts the actors on a new thread', async (t) => {
  const engine = await startEngine(t);
  const victim = engine.spawn(RecorderModule, { name: 'victim', placement: { thread: 0 } });
  const neighbour = engine.spawn(RecorderModule, { name: 'neighbour', placement: { thread: 0 } });
  await Promise.all([victim.whenLive(), neighbour.whenLive()]);
  const oldThreadId = threadEntry(engine, 0).threadId;

  const slow = neighbour.ask({ type: 'sleep', ms: 60_000 }, { timeoutMs: 60_000 });
  const exiting = victim.ask({ type: 'exitThread' }, { timeoutMs: 60_000 });
  const queued = victim.ask({ type: 'echo', value: 'never handled' }, { timeoutMs: 60_000 });
  // The asks time out after 60 s, so NoResponse proves the death was noticed at once.
  for (const pending of [exiting, queued, slow]) {
    const error = await rejection(pending);
    assert.ok(error instanceof AskError);
    assert.equal(error.kind, 'NoResponse');
  }

  await Promise.all([liveAfter(victim, 1), liveAfter(neighbour, 1)]);
  assert.equal(await victim.ask({ type: 'echo', value: 'back' }), 'back');
  assert.equal(await neighbour.ask({ type: 'echo', value: 'here' }), 'here');
  assert.equal(victim.current()?.generation, 2);
  const entry = threadEntry(engine, 0);
  assert.equal(entry.state, 'running');
  assert.equal(entry.replacements, 1);
  assert.notEqual(entry.threadId, oldThreadId);
  assert.equal(actorEntry(engine, '/user/victim').thread, 0);
  assert.equal(actorEntry(engine, '/user/victim').restarts, 1);
  assert.equal(engine.snapshot().pendingAsks, 0);
});

test('allocation past resourceLimits restarts the worker on a new thread', async (t) => {
  const engine = await startEngine(t, { threadResourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } });
  const deaths = collect<{ thread: number; kind: string }>(t, 'rhodium:thread:death');
  const pool = engine.spawnWorkerPool(RecorderModule, { size: 2, placement: 'spread', namePrefix: 'hoarder' });
  await pool.ready();

  const error = await rejection(pool.ask({ type: 'allocate' }, { timeoutMs: 60_000 }));
  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'NoResponse');
  assert.deepEqual(deaths.map((death) => [death.thread, death.kind]), [[0, 'out-of-memory']]);

  await pool.ready();
  assert.equal(threadEntry(engine, 0).replacements, 1);
  assert.equal(threadEntry(engine, 1).replacements, 0);
  assert.equal(actorEntry(engine, '/user/hoarder-0').restarts, 1);
  assert.equal(actorEntry(engine, '/user/hoarder-1').restarts, 0);
  const served = await Promise.all([pool.ask({ type: 'where' }), pool.ask({ type: 'where' })]);
  assert.deepEqual(served.map((where) => [where.worker, where.generation]).sort(), [['hoarder-0', 2], ['hoarder-1', 1]]);
});

test('shutdown ends a thread stuck in a synchronous loop', async () => {
  const engine = await Engine.start({ threads: 2 });
  const spinner = engine.spawn(RecorderModule, { name: 'spinner', placement: { thread: 0 } });
  await spinner.whenLive();
  const started = new Int32Array(new SharedArrayBuffer(4));
  const spinning = rejection(spinner.ask({ type: 'spin', started }, { timeoutMs: 60_000 }));
  while (Atomics.load(started, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 5));

  const report = await engine.shutdown({ timeoutMs: 1000 });
  assert.equal(report.completed, false);
  assert.deepEqual(report.stuckThreads, [0]);
  assert.deepEqual(report.abandoned, ['/user/spinner']);
  const error = await spinning;
  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'NoResponse');
  assert.deepEqual(engine.snapshot().threads.map((entry) => entry.state), ['terminated', 'terminated', 'terminated']);
});

test('stop of an actor on a stuck thread replaces the thread', async (t) => {
  const engine = await startEngine(t);
  const spinner = engine.spawn(RecorderModule, { name: 'spinner', placement: { thread: 0 }, shutdown: { timeoutMs: 200 } });
  const neighbour = engine.spawn(RecorderModule, { name: 'neighbour', placement: { thread: 0 } });
  await Promise.all([spinner.whenLive(), neighbour.whenLive()]);
  const started = new Int32Array(new SharedArrayBuffer(4));
  const spinning = rejection(spinner.ask({ type: 'spin', started }, { timeoutMs: 60_000 }));
  while (Atomics.load(started, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 5));

  await engine.stop(spinner);
  const error = await spinning;
  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'NoResponse');
  await liveAfter(neighbour, 1);
  assert.equal(await neighbour.ask({ type: 'echo', value: 'moved' }), 'moved');
  assert.equal(threadEntry(engine, 0).replacements, 1);
});

test('unclonable message returns SerializationFailed and the next one is served', async (t) => {
  const engine = await startEngine(t);
  const actor = engine.spawn(RecorderModule, { name: 'picky', placement: 'auto' });
  await actor.whenLive();

  for (const value of [() => 1, new Socket()]) {
    const sent = actor.send({ type: 'echo', value });
    assert.ok(sent instanceof SendError);
    assert.equal(sent.kind, 'SerializationFailed');
    assert.equal(sent.code, ErrorCodes.SerializationFailed);
    const asked = await rejection(actor.ask({ type: 'echo', value }));
    assert.ok(asked instanceof AskError);
    assert.equal(asked.kind, 'Send');
    assert.ok(asked.cause instanceof SendError);
    assert.equal(asked.cause.kind, 'SerializationFailed');
    assert.equal(await actor.ask({ type: 'echo', value: 'next' }), 'next');
  }
  assert.equal(actorEntry(engine, '/user/picky').restarts, 0);
});

test('errors from a thread keep their class, kind and code', async (t) => {
  const engine = await startEngine(t);
  const actor = engine.spawn(RecorderModule, { name: 'thrower', placement: { thread: 1 } });
  await actor.whenLive();
  const threadId = threadEntry(engine, 1).threadId;

  const sendFailure = await rejection(actor.ask({ type: 'fail', errorKind: 'send' }));
  assert.ok(sendFailure instanceof AskError);
  assert.equal(sendFailure.kind, 'HandlerFailed');
  assert.equal(sendFailure.code, ErrorCodes.HandlerFailed);
  assert.ok(sendFailure.cause instanceof SendError);
  assert.equal(sendFailure.cause.kind, 'MailboxFull');
  assert.equal(sendFailure.cause.code, ErrorCodes.MailboxFull);

  await liveAfter(actor, 1);
  const askFailure = await rejection(actor.ask({ type: 'fail', errorKind: 'ask' }));
  assert.ok(askFailure instanceof AskError);
  assert.equal(askFailure.kind, 'HandlerFailed');
  assert.ok(askFailure.cause instanceof AskError);
  assert.equal(askFailure.cause.kind, 'Timeout');
  assert.ok(askFailure.cause.cause instanceof RangeError);

  await liveAfter(actor, 2);
  const typeFailure = await rejection(actor.ask({ type: 'fail', errorKind: 'type' }));
  assert.ok(typeFailure instanceof AskError);
  assert.ok(typeFailure.cause instanceof TypeError);

  // A handler failure restarts the actor on the same, still running thread.
  await liveAfter(actor, 3);
  assert.equal(actor.current()?.generation, 4);
  assert.equal(actorEntry(engine, '/user/thrower').thread, 1);
  assert.equal(threadEntry(engine, 1).threadId, threadId);
  assert.equal(threadEntry(engine, 1).replacements, 0);
});

test('thread death fails its actors with ThreadDiedError', async (t) => {
  const engine = await startEngine(t);
  const failures = collect<{ path: string; error: unknown }>(t, 'rhodium:actor:failure');
  const actor = engine.spawn(RecorderModule, { name: 'exiter', placement: { thread: 1 } });
  await actor.whenLive();
  await rejection(actor.ask({ type: 'exitThread' }));
  await liveAfter(actor, 1);

  const error = failures.find((event) => event.path === '/user/exiter')?.error;
  assert.ok(error instanceof ThreadDiedError);
  assert.equal(error.kind, 'exited');
  assert.equal(error.exitCode, 7);
  assert.equal(error.thread, 1);
  assert.equal(error.code, ErrorCodes.ThreadDied);
});

test('context on a thread gives path, addr, signal and stop', async (t) => {
  const engine = await startEngine(t);
  const actor = engine.spawn(RecorderModule, { name: 'ctx', placement: { thread: 0 }, restart: 'transient' });
  await actor.whenLive();

  const seen = await actor.ask({ type: 'context' });
  assert.equal(seen.path, '/user/ctx');
  assert.equal(seen.addr, actor.current()?.toString());
  assert.equal(seen.aborted, false);
  assert.deepEqual(seen.unsupported, ['self', 'engine', 'spawn', 'sendAfter']);

  // ctx.stop() ends the incarnation after its handler: the message behind it is never handled.
  assert.equal(actor.send({ type: 'stopSelf' }), undefined);
  const behind = await rejection(actor.ask({ type: 'echo', value: 'never handled' }));
  assert.ok(behind instanceof AskError);
  assert.equal(behind.kind, 'NoResponse');
  const stopped = await rejection(actor.whenLive());
  assert.ok(stopped instanceof SendError);
  assert.equal(stopped.kind, 'ActorStopped');
  assert.equal(engine.lookup('/user/ctx'), undefined);
});

test('headers reach a handler on a thread', async (t) => {
  const engine = await startEngine(t);
  const actor = engine.spawn(RecorderModule, { name: 'headers', placement: { thread: 1 } });
  const headers = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };

  assert.deepEqual(await actor.ask({ type: 'headers' }, { headers }), headers);
  assert.equal(await actor.ask({ type: 'headers' }), undefined);
});

test('placement alone moves a definition between threads', async (t) => {
  const engine = await startEngine(t);
  const placements: [Placement, number | 'main'][] = [
    ['local', 'main'],
    [{ thread: 0 }, 0],
    [{ thread: 1 }, 1],
  ];
  for (const [index, [placement, thread]] of placements.entries()) {
    const actor = engine.spawn(RecorderModule, { name: `moved-${index}`, placement });
    if (placement === 'local') {
      // The module is imported on this thread first: a restart window.
      const early = actor.send({ type: 'echo', value: 'early' });
      assert.ok(early instanceof SendError);
      assert.equal(early.kind, 'Unroutable');
      assert.equal(actor.wasEverBound(), false);
    }
    await actor.whenLive();
    const where = await actor.ask({ type: 'where' });
    assert.equal(where.worker, `moved-${index}`);
    assert.equal(actorEntry(engine, `/user/moved-${index}`).thread, thread);
    if (thread === 'main') assert.equal(where.thread, 'main');
    else assert.equal(where.thread, threadEntry(engine, thread).threadId);
  }
  const counts = engine.snapshot().threads.map((entry) => [entry.thread, entry.actors]);
  assert.deepEqual(counts, [['main', 1], [0, 1], [1, 1]]);
});

test('auto placement keeps a path on one thread across restarts', async (t) => {
  const engine = await startEngine(t);
  const actor = engine.spawn(RecorderModule, { name: 'sticky', placement: 'auto' });
  await actor.whenLive();
  const thread = actorEntry(engine, '/user/sticky').thread;
  await rejection(actor.ask({ type: 'fail', errorKind: 'range' }));
  await liveAfter(actor, 1);
  assert.equal(actorEntry(engine, '/user/sticky').thread, thread);
});

test('placement needs a module and threads', async (t) => {
  const engine = await startEngine(t);
  assert.throws(() => engine.spawn(Recorder, { placement: { thread: 0 } }), TypeError);
  assert.throws(() => engine.spawn(RecorderModule, { placement: 'spread' }), TypeError);
  assert.throws(() => engine.spawn(RecorderModule, { placement: { thread: 2 } }), RangeError);
  assert.throws(() => engine.spawn(RecorderModule, { placement: 'remote' as never }), TypeError);
  assert.equal(engine.snapshot().actors.length, 0);

  await using local = await Engine.start();
  assert.throws(() => local.spawn(RecorderModule, { placement: 'auto' }), RangeError);
  assert.throws(() => local.spawnWorkerPool(RecorderModule, { size: 2, placement: 'spread' }), RangeError);
  assert.equal(local.snapshot().actors.length, 0);
  assert.deepEqual(local.snapshot().threads.map((entry) => entry.thread), ['main']);
});

test('threads option is validated', async () => {
  await assert.rejects(async () => Engine.start({ threads: -1 }), RangeError);
  await assert.rejects(async () => Engine.start({ threads: 1.5 }), RangeError);
  await assert.rejects(async () => Engine.start({ threads: 'many' as never }), RangeError);
  await assert.rejects(async () => Engine.start({ threads: 1, threadResourceLimits: { maxOldGenerationSizeMb: -1 } }), RangeError);
  await assert.rejects(async () => Engine.start({ threads: 1, threadExecArgv: 'x' as never }), TypeError);
});

test('threads auto starts one per core', async () => {
  await using engine = await Engine.start({ threads: 'auto' });
  const workerThreads = engine.snapshot().threads.filter((entry) => entry.thread !== 'main');
  assert.equal(workerThreads.length, availableParallelism());
  assert.ok(workerThreads.every((entry) => entry.state === 'running'));
});
