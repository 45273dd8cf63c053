import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import { test } from 'node:test';
import { AskError, ErrorCodes } from '../../src/index.js';
import { ModuleLoadError, ThreadDiedError } from '../../src/threads/errors.js';
import type { ThreadDeathEvent } from '../../src/threads/events.js';
import { actorModule } from '../../src/threads/module-ref.js';
import { ThreadGroup } from '../../src/threads/thread-group.js';
import { actorsUrl, rejection, spawnOn } from './helpers.js';

const throwsOnImportUrl = new URL('../fixtures/threads/throws-on-import.js', import.meta.url);

test('module that throws on import fails the start', async (t) => {
  const group = ThreadGroup.start({ threads: 1 });
  t.after(() => group.terminate({ timeoutMs: 5000 }));
  const actor = spawnOn(group, 0, 'broken', actorModule(throwsOnImportUrl, 'Never'));
  const pending = actor.ask({ type: 'anything' });

  const notice = await actor.host.next('failed');
  assert.equal(notice.kind, 'failed');
  const error = notice.error;
  assert.ok(error instanceof ModuleLoadError);
  assert.equal(error.code, ErrorCodes.StartFailed);
  assert.equal(error.url, throwsOnImportUrl.href);
  assert.equal(error.exportName, 'Never');
  assert.ok(error.cause instanceof Error);

  // The message sent while the module loaded was never handled.
  const askError = await rejection(pending);
  assert.ok(askError instanceof AskError);
  assert.equal(askError.kind, 'NoResponse');
  assert.equal(group.snapshot()[0]?.state, 'running');
});

test('missing export fails the start naming the export', async (t) => {
  const group = ThreadGroup.start({ threads: 1 });
  t.after(() => group.terminate({ timeoutMs: 5000 }));

  for (const exportName of ['Missing', 'notAnActor']) {
    const actor = spawnOn(group, 0, `missing-${exportName}`, actorModule(actorsUrl, exportName));
    const notice = await actor.host.next('failed');
    assert.equal(notice.kind, 'failed');
    assert.ok(notice.error instanceof ModuleLoadError);
    assert.equal(notice.error.exportName, exportName);
    assert.equal(notice.error.code, ErrorCodes.StartFailed);
  }
});

test('onStart failure on a thread reports the error', async (t) => {
  const group = ThreadGroup.start({ threads: 1 });
  t.after(() => group.terminate({ timeoutMs: 5000 }));
  const actor = spawnOn(group, 0, 'start-fails', actorModule(actorsUrl, 'FailsToStart'));

  const notice = await actor.host.next('failed');
  assert.equal(notice.kind, 'failed');
  assert.ok(notice.error instanceof RangeError);
});

test('process.exit in a handler kills the thread', async (t) => {
  const deaths: ThreadDeathEvent[] = [];
  const onDeath = (event: unknown): void => {
    deaths.push(event as ThreadDeathEvent);
  };
  diagnosticsChannel.subscribe('rhodium:thread:death', onDeath);
  t.after(() => diagnosticsChannel.unsubscribe('rhodium:thread:death', onDeath));
  const group = ThreadGroup.start({ threads: 1 });
  t.after(() => group.terminate({ timeoutMs: 5000 }));
  const victim = spawnOn(group, 0, 'victim');
  const neighbour = spawnOn(group, 0, 'neighbour');
  await victim.host.next('started');
  await neighbour.host.next('started');

  const slow = neighbour.ask({ type: 'sleep', ms: 60_000 });
  const exiting = victim.ask({ type: 'exitThread' });
  const queued = victim.ask({ type: 'echo', value: 'never handled' });

  // The asks time out after 120 s, so a NoResponse proves the death was noticed at once.
  for (const pending of [exiting, queued, slow]) {
    const error = await rejection(pending);
    assert.ok(error instanceof AskError);
    assert.equal(error.kind, 'NoResponse');
  }
  for (const actor of [victim, neighbour]) {
    const notice = await actor.host.next('failed');
    assert.equal(notice.kind, 'failed');
    assert.ok(notice.error instanceof ThreadDiedError);
    assert.equal(notice.error.kind, 'exited');
    assert.equal(notice.error.exitCode, 7);
    assert.equal(notice.error.code, ErrorCodes.ThreadDied);
    assert.equal(actor.cell.accepting, false);
  }
  assert.equal(group.snapshot()[0]?.state, 'dead');
  assert.equal(deaths.length, 1);
  assert.equal(deaths[0]?.thread, 0);
  assert.equal(deaths[0].kind, 'exited');
  assert.equal(deaths[0].exitCode, 7);
  assert.equal(deaths[0].actors, 2);
});

test('dead thread is replaced on demand', async (t) => {
  const group = ThreadGroup.start({ threads: 1 });
  t.after(() => group.terminate({ timeoutMs: 5000 }));
  const victim = spawnOn(group, 0, 'victim');
  await rejection(victim.ask({ type: 'exitThread' }));
  await victim.host.next('failed');
  const deadThreadId = group.snapshot()[0]?.threadId;

  const successor = spawnOn(group, 0, 'victim');
  assert.equal(await successor.ask({ type: 'echo', value: 'alive' }), 'alive');
  const entry = group.snapshot()[0];
  assert.equal(entry?.state, 'running');
  assert.equal(entry.replacements, 1);
  assert.notEqual(entry.threadId, deadThreadId);
});

test('uncaught exception on a thread kills it', async (t) => {
  const group = ThreadGroup.start({ threads: 1 });
  t.after(() => group.terminate({ timeoutMs: 5000 }));
  const actor = spawnOn(group, 0, 'throws-later');
  actor.send({ type: 'throwLater' });
  const queued = actor.ask({ type: 'sleep', ms: 60_000 });

  const notice = await actor.host.next('failed');
  assert.equal(notice.kind, 'failed');
  assert.ok(notice.error instanceof ThreadDiedError);
  assert.equal(notice.error.kind, 'uncaught');
  assert.ok(notice.error.cause instanceof Error);
  const error = await rejection(queued);
  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'NoResponse');
});

test('allocation past resourceLimits kills the thread', async (t) => {
  const group = ThreadGroup.start({ threads: 1, resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } });
  t.after(() => group.terminate({ timeoutMs: 5000 }));
  const actor = spawnOn(group, 0, 'hoarder');

  const error = await rejection(actor.ask({ type: 'allocate' }));
  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'NoResponse');
  const notice = await actor.host.next('failed');
  assert.equal(notice.kind, 'failed');
  assert.ok(notice.error instanceof ThreadDiedError);
  assert.equal(notice.error.kind, 'out-of-memory');
  assert.equal(group.snapshot()[0]?.state, 'dead');
});

test('thread stuck in a loop is terminated at the deadline', async () => {
  const group = ThreadGroup.start({ threads: 2 });
  const stuck = spawnOn(group, 1, 'spinner');
  const idle = spawnOn(group, 0, 'idle');
  await idle.host.next('started');
  const started = new Int32Array(new SharedArrayBuffer(4));
  const spinning = stuck.ask({ type: 'spin', started });
  while (Atomics.load(started, 0) === 0) await new Promise((resolve) => setImmediate(resolve));

  const report = await group.terminate({ timeoutMs: 1000 });
  assert.equal(report.completed, false);
  assert.deepEqual(report.stuck, [1]);
  assert.deepEqual(
    group.snapshot().map((entry) => entry.state),
    ['terminated', 'terminated'],
  );

  const error = await rejection(spinning);
  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'NoResponse');
  const notice = await stuck.host.next('failed');
  assert.equal(notice.kind, 'failed');
  assert.ok(notice.error instanceof ThreadDiedError);
  assert.equal(notice.error.kind, 'terminated');
});

test('idle threads exit before the deadline', async () => {
  const group = ThreadGroup.start({ threads: 2 });
  const actor = spawnOn(group, 0, 'quick');
  assert.equal(await actor.ask({ type: 'echo', value: 1 }), 1);

  const report = await group.terminate({ timeoutMs: 5000 });
  assert.deepEqual(report, { completed: true, stuck: [] });
  assert.throws(() => group.thread(0), { code: ErrorCodes.EngineStopped });
});
