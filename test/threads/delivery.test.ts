import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AskError, SendError } from '../../src/index.js';
import { ThreadGroup } from '../../src/threads/thread-group.js';
import { rejection, spawnOn } from './helpers.js';

let group: ThreadGroup;

before(() => {
  group = ThreadGroup.start({ threads: 2 });
});

after(async () => {
  await group.terminate({ timeoutMs: 5000 });
});

function batchesSentTo(index: number): number {
  const entry = group.snapshot()[index];
  assert.ok(entry !== undefined);
  return entry.batchesSent;
}

test('ask to a thread actor returns the reply', async () => {
  const actor = spawnOn(group, 0, 'echo');
  await actor.host.next('started');

  assert.deepEqual(await actor.ask({ type: 'echo', value: { text: 'abc', list: [1, 2] } }), { text: 'abc', list: [1, 2] });
  assert.equal(actor.cell.thread, 0);
  assert.equal(actor.cell.definition.name, 'recorder');
});

test('10,000 sends arrive in order in one batch', async () => {
  const actor = spawnOn(group, 1, 'ordered', undefined, 20_000);
  await actor.host.next('started');
  const before = batchesSentTo(1);

  for (let seq = 0; seq < 10_000; seq++) assert.equal(actor.send({ type: 'record', seq }), true);
  const summary = actor.ask({ type: 'summary' });
  // Every send and the ask of this turn leave in a single postMessage.
  await Promise.resolve();
  assert.equal(batchesSentTo(1) - before, 1);

  assert.deepEqual(await summary, { count: 10_000, inOrder: true, last: 9_999 });
});

test('sender changes after send do not reach the receiver', async () => {
  const actor = spawnOn(group, 0, 'snapshot');
  const value = { items: ['before'] };
  const reply = actor.ask({ type: 'echo', value });
  value.items.push('after');

  assert.deepEqual(await reply, { items: ['before'] });
});

test('unclonable message returns SerializationFailed', async () => {
  const actor = spawnOn(group, 0, 'unclonable');
  await actor.host.next('started');

  const outcome = actor.send({ type: 'echo', value: () => 'a function' });
  assert.ok(outcome instanceof SendError);
  assert.equal(outcome.kind, 'SerializationFailed');
  assert.equal(outcome.code, 'RHODIUM_ERR_SERIALIZATION_FAILED');
  assert.equal(outcome.path, '/user/unclonable');
  assert.equal(actor.cell.mailbox.size, 0);

  // The next message of the same turn is served, and the actor is unaffected.
  assert.equal(actor.send({ type: 'record', seq: 0 }), true);
  assert.deepEqual(await actor.ask({ type: 'summary' }), { count: 1, inOrder: true, last: 0 });
  assert.equal(actor.cell.status, 'running');
});

test('unclonable ask rejects with Send(SerializationFailed)', async () => {
  const actor = spawnOn(group, 0, 'unclonable-ask');
  const error = await rejection(actor.ask({ type: 'echo', value: Symbol('not cloneable') }));

  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'Send');
  assert.ok(error.cause instanceof SendError);
  assert.equal(error.cause.kind, 'SerializationFailed');
});

test('transfer list moves the buffer to the thread', async () => {
  const actor = spawnOn(group, 1, 'transfer');
  actor.send({ type: 'record', seq: 0 });
  const buffer = new ArrayBuffer(1024);

  const reply = actor.ask({ type: 'byteLength', buffer }, [buffer]);
  // Transferred, so this side no longer owns the bytes.
  assert.equal(buffer.byteLength, 0);
  assert.equal(await reply, 1024);
  // FIFO holds across the batch and the transfer post.
  assert.deepEqual(await actor.ask({ type: 'summary' }), { count: 1, inOrder: true, last: 0 });
});

test('unclonable reply rejects HandlerFailed with SerializationFailed', async () => {
  const actor = spawnOn(group, 0, 'unclonable-reply');
  const error = await rejection(actor.ask({ type: 'unclonableReply' }));

  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'HandlerFailed');
  assert.ok(error.cause instanceof SendError);
  assert.equal(error.cause.kind, 'SerializationFailed');
  // The handler itself succeeded, so the actor keeps running.
  assert.equal(await actor.ask({ type: 'echo', value: 1 }), 1);
});

test('mailbox capacity counts messages in transit', async () => {
  const actor = spawnOn(group, 1, 'bounded', undefined, 3);
  await actor.host.next('started');

  assert.equal(actor.send({ type: 'record', seq: 0 }), true);
  assert.equal(actor.send({ type: 'record', seq: 1 }), true);
  assert.equal(actor.send({ type: 'record', seq: 2 }), true);
  assert.equal(actor.send({ type: 'record', seq: 3 }), false);
  assert.equal(actor.cell.mailbox.size, 3);

  // Capacity frees up once the thread reports what it dequeued.
  await waitFor(() => actor.cell.mailbox.size === 0);
  assert.deepEqual(await actor.ask({ type: 'summary' }), { count: 3, inOrder: true, last: 2 });
  assert.equal(actor.cell.handled, 4);
});

test('messages sent before the start are kept and handled', async () => {
  const actor = spawnOn(group, 0, 'early');
  for (let seq = 0; seq < 5; seq++) actor.send({ type: 'record', seq });

  assert.deepEqual(await actor.ask({ type: 'summary' }), { count: 5, inOrder: true, last: 4 });
});

/** Polls `condition` once per event-loop turn. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
