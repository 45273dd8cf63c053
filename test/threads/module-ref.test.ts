import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { actorModule, isActorModuleRef } from '../../src/threads/module-ref.js';
import { ThreadGroup } from '../../src/threads/thread-group.js';
import { actorsUrl } from './helpers.js';

test('actorModule accepts a URL or an absolute URL string', () => {
  const fromUrl = actorModule(actorsUrl, 'Recorder');
  const fromString = actorModule(actorsUrl.href, 'Recorder');

  assert.equal(fromUrl.url, actorsUrl.href);
  assert.equal(fromString.url, actorsUrl.href);
  assert.equal(fromUrl.exportName, 'Recorder');
  assert.equal(fromUrl.name, 'Recorder');
  assert.ok(isActorModuleRef(fromUrl));
  assert.ok(!isActorModuleRef({ url: actorsUrl.href, exportName: 'Recorder' }));
});

test('actorModule rejects a relative or missing url', () => {
  for (const url of ['./actors.js', '', 42, undefined]) {
    assert.throws(() => actorModule(url as never, 'Recorder'), TypeError);
  }
});

test('actorModule rejects an invalid export name', () => {
  for (const exportName of ['', 'two words', '1st', 42, undefined]) {
    assert.throws(() => actorModule(actorsUrl, exportName as never), TypeError);
  }
});

test('thread group options are validated', () => {
  assert.throws(() => ThreadGroup.start({ threads: 0 }), RangeError);
  assert.throws(() => ThreadGroup.start({ threads: 1.5 }), RangeError);
  assert.throws(() => ThreadGroup.start({ threads: 'many' as never }), RangeError);
  assert.throws(() => ThreadGroup.start({ threads: 1, resourceLimits: { maxOldGenerationSizeMb: -1 } }), RangeError);
  assert.throws(() => ThreadGroup.start({ threads: 1, resourceLimits: { heapMb: 1 } as never }), TypeError);
  assert.throws(() => ThreadGroup.start({ threads: 1, execArgv: '--import tsx' as never }), TypeError);
  assert.throws(() => ThreadGroup.start({ threads: 1, maxBatchPerTurn: 0 }), RangeError);
});

test('execArgv a thread rejects fails the start', () => {
  assert.throws(() => ThreadGroup.start({ threads: 2, execArgv: ['--expose-gc'] }), TypeError);
});

test('auto thread count is the available parallelism', async () => {
  const group = ThreadGroup.start({ threads: 'auto' });
  try {
    assert.equal(group.size, availableParallelism());
    assert.equal(group.snapshot().length, availableParallelism());
  } finally {
    await group.terminate({ timeoutMs: 5000 });
  }
});
