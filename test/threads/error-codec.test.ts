import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AskError, RhodiumError, SendError } from '../../src/index.js';
import { decodeError, encodeError, type EncodedError } from '../../src/threads/error-codec.js';
import { ThreadGroup } from '../../src/threads/thread-group.js';
import { rejection, spawnOn, type Actor } from './helpers.js';

let group: ThreadGroup;
let actor: Actor;

before(async () => {
  group = ThreadGroup.start({ threads: 1 });
  actor = spawnOn(group, 0, 'errors');
  await actor.host.next('started');
});

after(async () => {
  await group.terminate({ timeoutMs: 5000 });
});

/** Asks the thread actor to throw the error named `errorKind` and returns the thrown value as rebuilt here. */
async function thrownOnThread(errorKind: string): Promise<unknown> {
  const error = await rejection(actor.ask({ type: 'fail', errorKind }));
  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'HandlerFailed');
  // A handler that throws fails its actor, so each case gets a fresh one.
  actor = spawnOn(group, 0, `errors-${errorKind}`);
  return error.cause;
}

test('SendError keeps class, kind, code and target', async () => {
  const error = await thrownOnThread('send');

  assert.ok(error instanceof SendError);
  assert.ok(error instanceof RhodiumError);
  assert.ok(error instanceof Error);
  assert.equal(error.kind, 'MailboxFull');
  assert.equal(error.code, 'RHODIUM_ERR_MAILBOX_FULL');
  assert.equal(error.path, '/user/target');
  assert.equal(error.generation, 4);
  assert.equal(error.name, 'SendError');
  assert.match(error.stack ?? '', /actors\.js/);
});

test('AskError keeps its cause chain', async () => {
  const error = await thrownOnThread('ask');

  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'Timeout');
  assert.equal(error.code, 'RHODIUM_ERR_ASK_TIMEOUT');
  assert.equal(error.generation, 2);
  assert.ok(error.cause instanceof RangeError);
});

test('built-in error classes survive', async () => {
  assert.ok((await thrownOnThread('type')) instanceof TypeError);
  assert.ok((await thrownOnThread('range')) instanceof RangeError);

  const plain = await thrownOnThread('plain');
  assert.ok(plain instanceof Error);
  assert.equal(plain.constructor, Error);
  assert.ok(plain.cause instanceof TypeError);
});

test('user error class becomes Error with its name and fields', async () => {
  const error = await thrownOnThread('custom');

  assert.ok(error instanceof Error);
  assert.equal(error.constructor, Error);
  assert.equal(error.name, 'CustomFailure');
  assert.equal((error as Error & { detail?: unknown }).detail, 'custom detail');
});

test('non-Error thrown values survive', async () => {
  assert.equal(await thrownOnThread('string'), 'a thrown string');
  assert.deepEqual(await thrownOnThread('object'), { reason: 'a thrown object', count: 3 });

  // A function cannot be cloned, so only its description crosses.
  const thrownFunction = await thrownOnThread('function');
  assert.ok(thrownFunction instanceof Error);
  assert.match(thrownFunction.message, /a thrown function/);
});

test('error crosses to the thread and back', async () => {
  const original = new SendError('Unroutable', { path: '/user/a', generation: 9 }, new RangeError('why'));
  const error = await rejection(actor.ask({ type: 'rethrow', encoded: encodeError(original) }));
  actor = spawnOn(group, 0, 'errors-after-rethrow');

  assert.ok(error instanceof AskError);
  const cause = error.cause;
  assert.ok(cause instanceof SendError);
  assert.equal(cause.kind, 'Unroutable');
  assert.equal(cause.code, 'RHODIUM_ERR_UNROUTABLE');
  assert.equal(cause.path, '/user/a');
  assert.equal(cause.generation, 9);
  assert.ok(cause.cause instanceof RangeError);
});

test('encoding made on the thread decodes here', async () => {
  const encoded = (await actor.ask({ type: 'encodeHere', errorKind: 'send' })) as EncodedError;
  const error = decodeError(encoded);

  assert.ok(error instanceof SendError);
  assert.equal(error.kind, 'MailboxFull');
});

test('cyclic cause chain is cut', () => {
  const first = new Error('first');
  const second = new Error('second', { cause: first });
  first.cause = second;

  const decoded = decodeError(encodeError(first));
  assert.ok(decoded instanceof Error);
  assert.ok(decoded.cause instanceof Error);
  assert.ok(decoded.cause.cause instanceof Error);
  assert.equal(decoded.cause.cause.cause, undefined);
});

test('unclonable error field is dropped, others kept', () => {
  const error = Object.assign(new Error('with fields'), { code: 'E_CUSTOM', callback: () => 1 });

  const decoded = decodeError(encodeError(error)) as Error & { code?: unknown; callback?: unknown };
  assert.equal(decoded.code, 'E_CUSTOM');
  assert.equal(decoded.callback, undefined);
});

test('unknown RhodiumError subclass keeps its brands', () => {
  class PoolError extends RhodiumError {
    static override readonly brand: string = 'PoolError';
  }
  const error = new PoolError('RHODIUM_ERR_UNROUTABLE', 'no worker', { path: '/user/pool' });

  const decoded = decodeError(structuredClone(encodeError(error)));
  assert.ok(decoded instanceof PoolError);
  assert.ok(decoded instanceof RhodiumError);
  assert.equal(decoded.code, 'RHODIUM_ERR_UNROUTABLE');
  assert.equal(decoded.path, '/user/pool');
});
