import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cloneMessage } from '../../src/threads/clone.js';

test('clone matches structuredClone for any cloneable value', () => {
  fc.assert(
    fc.property(
      fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withObjectString: true }),
      (value) => {
        assert.deepStrictEqual(cloneMessage(value), structuredClone(value));
      },
    ),
  );
});

test('clone copies, never shares', () => {
  const message = { type: 'update', items: [{ id: 1 }], nested: { list: [1, 2] } };
  const copy = cloneMessage(message);

  assert.deepStrictEqual(copy, message);
  assert.notEqual(copy, message);
  assert.notEqual(copy.items[0], message.items[0]);
  assert.notEqual(copy.nested.list, message.nested.list);
});

test('clone keeps shared references and cycles', () => {
  const shared = { id: 1 };
  const cyclic: { self?: unknown; a: object; b: object } = { a: shared, b: shared };
  cyclic.self = cyclic;

  const copy = cloneMessage(cyclic);
  assert.equal(copy.a, copy.b);
  assert.equal(copy.self, copy);
});

test('clone keeps an own __proto__ key as data', () => {
  const message = JSON.parse('{"type":"t","__proto__":{"polluted":true}}') as Record<string, unknown>;
  const copy = cloneMessage(message);

  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.ok(Object.hasOwn(copy, '__proto__'));
  assert.equal((copy as { polluted?: unknown }).polluted, undefined);
});

test('clone rejects functions, symbols and proxies', () => {
  for (const value of [() => 1, Symbol('s'), { nested: { fn: () => 1 } }, [Symbol('s')], new Proxy({}, {})]) {
    assert.throws(() => cloneMessage(value), { name: 'DataCloneError' });
  }
});
