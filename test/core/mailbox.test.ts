import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Mailbox } from '../../src/actor/mailbox.js';

type Command = { readonly op: 'push'; readonly value: number } | { readonly op: 'shift' } | { readonly op: 'drain' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.integer().map((value) => ({ op: 'push', value }) as const) },
  { weight: 4, arbitrary: fc.constant({ op: 'shift' } as const) },
  { weight: 1, arbitrary: fc.constant({ op: 'drain' } as const) },
);

test('mailbox behaves as a bounded FIFO queue', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 40 }), fc.array(command, { maxLength: 400 }), (capacity, commands) => {
      const mailbox = new Mailbox<number>(capacity);
      const model: number[] = [];

      for (const step of commands) {
        if (step.op === 'push') {
          const accepted = mailbox.push(step.value);
          assert.equal(accepted, model.length < capacity);
          if (accepted) model.push(step.value);
        } else if (step.op === 'shift') {
          assert.equal(mailbox.shift(), model.shift());
        } else {
          assert.deepEqual(mailbox.drain(), model.splice(0));
        }
        assert.equal(mailbox.size, model.length);
      }
      assert.deepEqual(mailbox.drain(), model);
    }),
    { numRuns: 300 },
  );
});

test('push fails exactly when full and changes nothing', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 64 }), (capacity, shifted) => {
      const mailbox = new Mailbox<number>(capacity);
      for (let i = 0; i < capacity; i++) assert.equal(mailbox.push(i), true);

      // Rotate the ring so the full state also occurs with the head away from slot 0.
      const rotate = Math.min(shifted, capacity);
      for (let i = 0; i < rotate; i++) mailbox.shift();
      for (let i = 0; i < rotate; i++) assert.equal(mailbox.push(capacity + i), true);

      assert.equal(mailbox.push(-1), false);
      assert.equal(mailbox.push(-2), false);
      assert.equal(mailbox.size, capacity);

      const expected = Array.from({ length: capacity }, (_, i) => rotate + i);
      assert.deepEqual(mailbox.drain(), expected);
      assert.equal(mailbox.push(7), true);
    }),
  );
});

test('shift on an empty mailbox returns undefined', () => {
  const mailbox = new Mailbox<string>(3);
  assert.equal(mailbox.shift(), undefined);
  assert.equal(mailbox.size, 0);
  assert.deepEqual(mailbox.drain(), []);
});

test('drain returns queued undefined items too', () => {
  const mailbox = new Mailbox<number | undefined>(4);
  mailbox.push(1);
  mailbox.push(undefined);
  mailbox.push(3);
  assert.deepEqual(mailbox.drain(), [1, undefined, 3]);
  assert.equal(mailbox.size, 0);
});

for (const capacity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
  test(`constructor rejects capacity ${String(capacity)}`, () => {
    assert.throws(
      () => new Mailbox(capacity),
      (error: unknown) =>
        error instanceof RangeError && error.message.includes('mailboxCapacity') && error.message.includes(String(capacity)),
    );
  });
}

/** Counts reads and writes of the elements of an array behind a Proxy. */
function countElementAccess<T>(array: T[]): { proxy: T[]; accesses: () => number } {
  let count = 0;
  const isIndex = (key: string | symbol): boolean => typeof key === 'string' && /^\d+$/.test(key);
  const proxy = new Proxy(array, {
    get(target, key, receiver) {
      if (isIndex(key)) count++;
      return Reflect.get(target, key, receiver) as unknown;
    },
    set(target, key, value, receiver) {
      if (isIndex(key)) count++;
      return Reflect.set(target, key, value, receiver);
    },
  });
  return { proxy, accesses: () => count };
}

test('500,000 messages queued then drained: the cost per message stays flat', () => {
  const total = 500_000;
  const chunk = 50_000;
  const mailbox = new Mailbox<number>(total);
  for (let i = 0; i < total; i++) assert.ok(mailbox.push(i));

  // Reach into the ring buffer, which the class keeps private.
  const internals = mailbox as unknown as { buffer: number[] };
  const counter = countElementAccess(internals.buffer);
  internals.buffer = counter.proxy;

  const costPerChunk: number[] = [];
  let expected = 0;
  for (let done = 0; done < total; done += chunk) {
    const before = counter.accesses();
    for (let i = 0; i < chunk; i++) {
      if (mailbox.shift() !== expected) assert.fail(`message ${expected} came out of order`);
      expected++;
    }
    costPerChunk.push(counter.accesses() - before);
  }

  assert.equal(mailbox.size, 0);
  assert.equal(costPerChunk.length, total / chunk);
  // One read and one clearing write per message, the same in every chunk.
  for (const cost of costPerChunk) assert.equal(cost, 2 * chunk);
});
