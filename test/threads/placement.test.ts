import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hashPath } from '../../src/address/hash.js';
import { placeActor } from '../../src/threads/placement.js';

const pathHash = hashPath('/user/hasher');

test('local placement stays on the main thread', () => {
  assert.equal(placeActor('local', { pathHash, threads: 0 }), 'local');
  assert.equal(placeActor('local', { pathHash, threads: 4 }), 'local');
});

test('auto placement is path hash modulo threads', () => {
  assert.equal(placeActor('auto', { pathHash, threads: 3 }), Number(pathHash % 3n));
  fc.assert(
    fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 64 }), (name, threads) => {
      const hash = hashPath(`/user/${name}`);
      const placed = placeActor('auto', { pathHash: hash, threads });
      assert.equal(placed, placeActor('auto', { pathHash: hash, threads }));
      assert.equal(typeof placed, 'number');
      assert.ok((placed as number) >= 0);
      assert.ok((placed as number) < threads);
    }),
  );
});

test('explicit thread placement is validated', () => {
  assert.equal(placeActor({ thread: 2 }, { pathHash, threads: 3 }), 2);
  assert.throws(() => placeActor({ thread: 3 }, { pathHash, threads: 3 }), RangeError);
  assert.throws(() => placeActor({ thread: -1 }, { pathHash, threads: 3 }), RangeError);
  assert.throws(() => placeActor({ thread: 1.5 }, { pathHash, threads: 3 }), RangeError);
});

test('spread placement puts slot i on thread i mod n', () => {
  const threads = [0, 1, 2, 3, 4, 5, 6].map((poolSlot) => placeActor('spread', { pathHash, threads: 3, poolSlot }));
  assert.deepEqual(threads, [0, 1, 2, 0, 1, 2, 0]);
});

test('spread outside a pool is rejected', () => {
  assert.throws(() => placeActor('spread', { pathHash, threads: 3 }), TypeError);
});

test('thread placement without threads is rejected', () => {
  assert.throws(() => placeActor('auto', { pathHash, threads: 0 }), RangeError);
  assert.throws(() => placeActor({ thread: 0 }, { pathHash, threads: 0 }), RangeError);
  assert.throws(() => placeActor('spread', { pathHash, threads: 0, poolSlot: 0 }), RangeError);
});

test('unknown placement is rejected', () => {
  assert.throws(() => placeActor('remote' as never, { pathHash, threads: 2 }), TypeError);
  assert.throws(() => placeActor(null as never, { pathHash, threads: 2 }), TypeError);
});
