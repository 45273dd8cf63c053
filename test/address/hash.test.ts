import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AddrHash, hashPath } from '../../src/index.js';

const offsetBasis = 0xcbf29ce484222325n;
const prime = 0x100000001b3n;
const mask64 = (1n << 64n) - 1n;

/** FNV-1a 64 written the plain way, on BigInt, as the reference for `hashPath`. */
function referenceFnv1a64(text: string): bigint {
  let hash = offsetBasis;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & mask64;
  }
  return hash;
}

test('hashPath matches known FNV-1a 64 values', () => {
  // Values from the FNV reference test suite.
  assert.equal(hashPath(''), 0xcbf29ce484222325n);
  assert.equal(hashPath('a'), 0xaf63dc4c8601ec8cn);
  assert.equal(hashPath('foobar'), 0x85944171f73967e8n);
});

test('hashPath matches the BigInt reference on ASCII paths', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary-ascii', maxLength: 200 }), (text) => {
      assert.equal(hashPath(text), referenceFnv1a64(text));
    }),
    { numRuns: 2000 },
  );
});

test('hashPath matches the BigInt reference on any Unicode text', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
      assert.equal(hashPath(text), referenceFnv1a64(text));
    }),
    { numRuns: 2000 },
  );
});

test('hashPath matches the BigInt reference on bytes near the limb edges', () => {
  // Bytes 0x00, 0x7f, 0x80 and 0xff exercise every carry between the 16-bit limbs.
  const edgeText = fc.array(fc.constantFrom('\u0000', '\u007f', '\u0080', '\u00ff', '\uffff', 'z'), { maxLength: 64 });
  fc.assert(
    fc.property(edgeText, (chars) => {
      const text = chars.join('');
      assert.equal(hashPath(text), referenceFnv1a64(text));
    }),
    { numRuns: 1000 },
  );
});

test('hashPath is a 64-bit unsigned bigint', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (text) => {
      const hash = hashPath(text);
      assert.equal(typeof hash, 'bigint');
      assert.ok(hash >= 0n);
      assert.ok(hash <= mask64);
    }),
  );
});

test('hashPath is stable across calls', () => {
  const path = '/user/pool/worker-3';
  assert.equal(hashPath(path), hashPath(path));
  assert.equal(hashPath(path), referenceFnv1a64(path));
});

test('equals compares path hash and generation', () => {
  const path = '/user/hasher';
  const first = new AddrHash(path, hashPath(path), 1);

  assert.equal(first.equals(new AddrHash(path, hashPath(path), 1)), true);
  assert.equal(first.equals(new AddrHash(path, hashPath(path), 2)), false);
  assert.equal(first.equals(new AddrHash('/user/other', hashPath('/user/other'), 1)), false);
  assert.equal(first.equals(undefined), false);
});

test('equals ignores the path text and reads only the hash', () => {
  const hash = hashPath('/user/hasher');
  assert.equal(new AddrHash('/user/hasher', hash, 4).equals(new AddrHash('/user/renamed', hash, 4)), true);
});

test('toString shows path, generation and 16 hex digits', () => {
  const addr = new AddrHash('/user/a', hashPath('/user/a'), 7);
  const text = addr.toString();
  assert.match(text, /^\/user\/a#7@[0-9a-f]{16}$/);
  assert.equal(BigInt('0x' + text.slice(text.indexOf('@') + 1)), addr.pathHash);
  assert.equal(JSON.stringify(addr), JSON.stringify(text));
});
