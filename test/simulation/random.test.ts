import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SeededRandom } from '../../src/testing/index.js';
import { splitMix64 } from '../../src/testing/random.js';

test('splitMix64 matches the reference outputs', () => {
  // Printed by a C implementation of SplitMix64 compiled with gcc 12 on x86-64.
  const next = splitMix64(0n);
  assert.deepEqual([next(), next(), next()], [0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn]);
});

test('xoshiro128** matches the reference outputs', () => {
  // Produced by the reference C code of xoshiro128** 1.0, state filled from two SplitMix64 outputs
  // (low word first), compiled with gcc 12 on x86-64.
  const expected: [number, number[]][] = [
    [0, [3737715805, 2584255861, 2876756834, 3286328325, 1553311962, 1625202774]],
    [42, [1776835114, 4165204688, 17111135, 2317295270, 2792088233, 2554630222]],
    [123456789, [1346704765, 2882174560, 1840973710, 4030037534, 3644170367, 605829230]],
  ];
  for (const [seed, outputs] of expected) {
    const random = new SeededRandom(seed);
    assert.deepEqual(outputs.map(() => random.nextUint32()), outputs, `seed ${seed}`);
  }
});

test('nextInt stays in range', () => {
  fc.assert(
    fc.property(fc.nat(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, bound) => {
      const random = new SeededRandom(seed);
      for (let i = 0; i < 20; i++) {
        const value = random.nextInt(bound);
        if (!Number.isInteger(value) || value < 0 || value >= bound) return false;
      }
      return true;
    }),
  );
});

test('nextFloat stays in [0, 1)', () => {
  fc.assert(
    fc.property(fc.nat(), (seed) => {
      const random = new SeededRandom(seed);
      for (let i = 0; i < 20; i++) {
        const value = random.nextFloat();
        if (!(value >= 0 && value < 1)) return false;
      }
      return true;
    }),
  );
});

test('nextInt covers small ranges evenly', () => {
  const random = new SeededRandom(7);
  const counts = [0, 0, 0];
  for (let i = 0; i < 30_000; i++) {
    const bucket = random.nextInt(3);
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  // Each bucket expects 10000; 4 standard deviations (about 330) bound a fair generator.
  for (const count of counts) assert.ok(Math.abs(count - 10_000) < 330, `bucket count ${count}`);
});

test('fork gives an independent stream', () => {
  const parent = new SeededRandom(1);
  const child = parent.fork();
  const fromParent = Array.from({ length: 8 }, () => parent.nextUint32());
  const fromChild = Array.from({ length: 8 }, () => child.nextUint32());
  assert.notDeepEqual(fromChild, fromParent);
});

test('nextInt rejects an invalid bound', () => {
  const random = new SeededRandom(1);
  for (const bound of [0, -1, 1.5, 2 ** 32 + 1, Number.NaN]) assert.throws(() => random.nextInt(bound), RangeError);
});
