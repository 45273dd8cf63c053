import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ActorPath } from '../../src/index.js';

const segment = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/);
const segments = fc.array(segment, { minLength: 1, maxLength: 6 });

test('parse keeps the segments and prints the same text', () => {
  const path = ActorPath.parse('/user/pool/worker-0');
  assert.deepEqual(path.segments, ['user', 'pool', 'worker-0']);
  assert.equal(path.toString(), '/user/pool/worker-0');
  assert.equal(path.name, 'worker-0');
  assert.equal(JSON.stringify({ path }), '{"path":"/user/pool/worker-0"}');
});

test('parse accepts every allowed character', () => {
  const path = ActorPath.parse('/user/Az09_.:-');
  assert.equal(path.name, 'Az09_.:-');
});

test('parse and toString round-trip', () => {
  fc.assert(
    fc.property(segments, (parts) => {
      const text = '/' + parts.join('/');
      assert.equal(ActorPath.parse(text).toString(), text);
    }),
  );
});

test('child appends one segment', () => {
  const child = ActorPath.parse('/user/pool').child('worker-1');
  assert.equal(child.toString(), '/user/pool/worker-1');
  assert.equal(child.name, 'worker-1');
});

test('parent drops the last segment', () => {
  const parent = ActorPath.parse('/user/pool/worker-1').parent();
  assert.equal(parent?.toString(), '/user/pool');
  assert.equal(parent.parent()?.toString(), '/user');
});

test('root has no parent', () => {
  assert.equal(ActorPath.parse('/user').parent(), undefined);
  assert.equal(ActorPath.root('system').parent(), undefined);
});

test('child then parent returns the same path', () => {
  fc.assert(
    fc.property(segments, segment, (parts, name) => {
      const path = ActorPath.parse('/' + parts.join('/'));
      const back = path.child(name).parent();
      assert.ok(back !== undefined);
      assert.ok(back.equals(path));
    }),
  );
});

test('isAncestorOf holds for strict ancestors only', () => {
  const user = ActorPath.parse('/user');
  const pool = ActorPath.parse('/user/pool');
  const worker = ActorPath.parse('/user/pool/worker-0');

  assert.equal(user.isAncestorOf(worker), true);
  assert.equal(pool.isAncestorOf(worker), true);
  assert.equal(worker.isAncestorOf(pool), false);
  assert.equal(pool.isAncestorOf(pool), false);
  assert.equal(pool.isAncestorOf(ActorPath.parse('/user/pool2/worker-0')), false);
  assert.equal(pool.isAncestorOf(ActorPath.parse('/system/pool/worker-0')), false);
});

test('isAncestorOf matches every prefix of a path', () => {
  fc.assert(
    fc.property(segments, segments, (head, tail) => {
      const ancestor = ActorPath.parse('/' + head.join('/'));
      const descendant = ActorPath.parse('/' + [...head, ...tail].join('/'));
      assert.equal(ancestor.isAncestorOf(descendant), true);
      assert.equal(descendant.isAncestorOf(ancestor), false);
    }),
  );
});

const invalidPaths: readonly (readonly [string, string])[] = [
  ['empty text', ''],
  ['no leading slash', 'user/worker'],
  ['root slash only', '/'],
  ['trailing slash', '/user/worker/'],
  ['empty segment', '/user//worker'],
  ['space', '/user/a b'],
  ['non-ASCII letter', '/user/wörker'],
  ['question mark', '/user/a?b'],
  ['hash sign', '/user/a#1'],
  ['backslash', '/user/a\\b'],
  ['newline', '/user/a\nb'],
];

for (const [label, text] of invalidPaths) {
  test(`parse rejects a path with ${label}`, () => {
    assert.throws(
      () => ActorPath.parse(text),
      (error: unknown) => error instanceof TypeError && error.message.includes(JSON.stringify(text)),
    );
  });
}

test('parse rejects a value that is not a string', () => {
  assert.throws(() => ActorPath.parse(42 as unknown as string), TypeError);
  assert.throws(() => ActorPath.parse(undefined as unknown as string), TypeError);
});

const invalidNames: readonly (readonly [string, string])[] = [
  ['empty name', ''],
  ['slash', 'a/b'],
  ['space', 'a b'],
  ['non-ASCII letter', 'ä'],
];

for (const [label, name] of invalidNames) {
  test(`child rejects a name with ${label}`, () => {
    assert.throws(
      () => ActorPath.parse('/user').child(name),
      (error: unknown) => error instanceof TypeError && error.message.includes(JSON.stringify(name)),
    );
  });
}

test('parse rejects any character outside the allowed set', () => {
  const allowed = /^[A-Za-z0-9_.:-]$/;
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '/' && !allowed.test(c)),
      (bad) => {
        assert.throws(() => ActorPath.parse(`/user/a${bad}b`), TypeError);
      },
    ),
  );
});

test('segments cannot be changed after parsing', () => {
  const path = ActorPath.parse('/user/a');
  assert.ok(Object.isFrozen(path.segments));
  assert.throws(() => (path.segments as string[]).push('b'), TypeError);
  assert.equal(path.toString(), '/user/a');
  assert.ok(Object.isFrozen(path.child('b').segments));
  assert.ok(Object.isFrozen(path.child('b').parent()?.segments));
});
