import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectTypeOf } from 'expect-type';
import { defineActor, WorkerPool, type AddrHash, type SendError } from '../../src/index.js';
import { startEngine } from './support.js';

const Hasher = defineActor({
  name: 'hasher',
  state: () => ({ hashed: 0 }),
  handlers: {
    hash(state, message: { text: string }): string {
      state.hashed++;
      return `h:${message.text}`;
    },
    async count(state): Promise<number> {
      return Promise.resolve(state.hashed);
    },
  },
});

test('pool types follow the definition', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(Hasher, { size: 2 });

  expectTypeOf(pool).toEqualTypeOf<WorkerPool<typeof Hasher>>();
  expectTypeOf(pool.handle()).toEqualTypeOf<WorkerPool<typeof Hasher>>();
  expectTypeOf(pool.send({ type: 'hash', text: 'a' })).toEqualTypeOf<SendError | undefined>();
  const waiting = pool.sendWhenReady({ type: 'count' });
  expectTypeOf(waiting).toEqualTypeOf<Promise<SendError | undefined>>();
  assert.equal(await waiting, undefined);
  expectTypeOf(pool.workerAddr(0)).toEqualTypeOf<AddrHash | undefined>();

  const digest = pool.ask({ type: 'hash', text: 'abc' });
  const count = pool.ask({ type: 'count' });
  expectTypeOf(digest).toEqualTypeOf<Promise<string>>();
  expectTypeOf(count).toEqualTypeOf<Promise<number>>();
  assert.equal(await digest, 'h:abc');
  assert.equal(await count, 0);

  const direct = new WorkerPool([engine.spawn(Hasher, { name: 'direct' })]);
  expectTypeOf(direct).toEqualTypeOf<WorkerPool<typeof Hasher>>();
  const directDigest = direct.ask({ type: 'hash', text: 'x' });
  expectTypeOf(directDigest).toEqualTypeOf<Promise<string>>();
  assert.equal(await directDigest, 'h:x');
});

test('pool rejects messages the actor does not accept', async () => {
  await using engine = await startEngine();
  const pool = engine.spawnWorkerPool(Hasher, { size: 1 });

  // Each call below is a compile error; at run time the worker fails on the first one.
  const compileErrors = (): void => {
    // @ts-expect-error: 'unknown' names no handler of Hasher.
    pool.send({ type: 'unknown' });
    // @ts-expect-error: hash needs a text field.
    void pool.ask({ type: 'hash' });
    // @ts-expect-error: text must be a string.
    void pool.sendWhenReady({ type: 'hash', text: 42 });
  };
  assert.equal(typeof compileErrors, 'function');
});
