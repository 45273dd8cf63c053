import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AskError } from '../../src/index.js';
import { actorModule } from '../../src/threads/module-ref.js';
import { ThreadGroup } from '../../src/threads/thread-group.js';
import { actorsUrl, rejection, spawnOn } from './helpers.js';

const stoppableModule = actorModule(actorsUrl, 'Stoppable');
let group: ThreadGroup;

before(() => {
  group = ThreadGroup.start({ threads: 1 });
});

after(async () => {
  await group.terminate({ timeoutMs: 5000 });
});

test('close hands back queued envelopes and waits for the handler', async () => {
  const actor = spawnOn(group, 0, 'closing', stoppableModule);
  await actor.host.next('started');
  const sleeping = actor.ask({ type: 'sleep', ms: 50 });
  const queued = [actor.ask({ type: 'sleep', ms: 1 }), actor.ask({ type: 'sleep', ms: 1 })];
  await waitFor(() => actor.cell.isBusy);

  const returned = await actor.cell.close();
  assert.equal(returned.length, 2);
  assert.equal(actor.cell.accepting, false);
  for (const envelope of returned) envelope.reply?.noResponse('closed');
  for (const pending of queued) assert.equal(((await rejection(pending)) as AskError).kind, 'NoResponse');

  assert.equal(actor.cell.isBusy, true);
  await actor.cell.whenIdle();
  assert.equal(await sleeping, 'slept');
});

test('takeInFlight drops the outcome of the running handler', async () => {
  const actor = spawnOn(group, 0, 'brutal', stoppableModule);
  const sleeping = actor.ask({ type: 'sleep', ms: 60_000 });
  await waitFor(() => actor.cell.isBusy);

  assert.deepEqual(await actor.cell.close(), []);
  const inFlight = actor.cell.takeInFlight();
  assert.ok(inFlight !== undefined);
  assert.equal(inFlight.message.type, 'sleep');
  inFlight.reply?.noResponse('stopped brutally');
  assert.equal(((await rejection(sleeping)) as AskError).kind, 'NoResponse');
  assert.equal(actor.cell.takeInFlight(), undefined);
});

test('runOnStop runs onStop on the thread with the reason', async () => {
  const actor = spawnOn(group, 0, 'on-stop', stoppableModule);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  await actor.ask({ type: 'watch', flag, failOnStop: false });
  await actor.cell.close();

  await actor.cell.runOnStop({ kind: 'killed', by: 'engine' });
  assert.equal(Atomics.load(flag, 0), 2);
  assert.equal(actor.cell.status, 'stopped');
});

test('onStop error rejects runOnStop', async () => {
  const actor = spawnOn(group, 0, 'on-stop-fails', stoppableModule);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  await actor.ask({ type: 'watch', flag, failOnStop: true });
  await actor.cell.close();

  await assert.rejects(actor.cell.runOnStop({ kind: 'stopped' }), TypeError);
  assert.equal(Atomics.load(flag, 0), 1);
  assert.equal(actor.cell.status, 'stopped');
});

test('ctx.stop on a thread reports stop-requested', async () => {
  const actor = spawnOn(group, 0, 'stops-itself', stoppableModule);
  actor.send({ type: 'stopSelf' });

  const notice = await actor.host.next('stop-requested');
  assert.equal(notice.kind, 'stop-requested');
  assert.equal(actor.cell.handled, 1);
});

test('stopped cell is freed on the thread', async () => {
  const actor = spawnOn(group, 0, 'freed', stoppableModule);
  await actor.host.next('started');
  const before = group.snapshot()[0]?.actors ?? 0;

  const pending = actor.ask({ type: 'sleep', ms: 60_000 });
  await waitFor(() => actor.cell.isBusy);
  await actor.cell.close();
  // As a brutal stop does: no onStop, the node marks the cell stopped.
  actor.cell.status = 'stopped';

  assert.equal(group.snapshot()[0]?.actors, before - 1);
  assert.equal(((await rejection(pending)) as AskError).kind, 'NoResponse');
});

test('abandon returns queued and in-flight envelopes', async () => {
  const actor = spawnOn(group, 0, 'abandoned', stoppableModule);
  const inFlight = actor.ask({ type: 'sleep', ms: 60_000 });
  await waitFor(() => actor.cell.isBusy);
  const queued = actor.ask({ type: 'sleep', ms: 1 });

  const envelopes = actor.cell.abandon();
  assert.equal(envelopes.length, 2);
  assert.equal(actor.cell.status, 'stopped');
  for (const envelope of envelopes) envelope.reply?.noResponse('abandoned');
  for (const pending of [inFlight, queued]) assert.equal(((await rejection(pending)) as AskError).kind, 'NoResponse');
});

/** Polls `condition` once per event-loop turn. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
