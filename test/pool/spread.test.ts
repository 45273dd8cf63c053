// A worker pool spread over worker threads: slot i on thread i mod threads,
// and every worker serves again after crashes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actorModule, AskError, Engine } from '../../src/index.js';
import type { Recorder } from '../fixtures/threads/actors.js';

const RecorderModule = actorModule<typeof Recorder>(new URL('../fixtures/threads/actors.js', import.meta.url), 'Recorder');

test('spread puts slot i on thread i mod threads', async () => {
  await using engine = await Engine.start({ threads: 2 });
  const pool = engine.spawnWorkerPool(RecorderModule, { size: 4, placement: 'spread', namePrefix: 'spread' });
  await pool.ready();

  const threadIds = new Map(engine.snapshot().threads.map((entry) => [entry.thread, (entry as { threadId?: number }).threadId]));
  for (let slot = 0; slot < pool.size; slot++) {
    const actor = engine.snapshot().actors.find((entry) => entry.path === `/user/spread-${slot}`);
    assert.equal(actor?.thread, slot % 2);
  }
  const served = await Promise.all(Array.from({ length: pool.size }, () => pool.ask({ type: 'where' })));
  for (const where of served) {
    const slot = Number(where.worker.slice('spread-'.length));
    assert.equal(where.thread, threadIds.get(slot % 2));
  }
});

test('spread pool serves every worker after two crashes each', async () => {
  await using engine = await Engine.start({ threads: 2 });
  const pool = engine.spawnWorkerPool(RecorderModule, { size: 4, placement: 'spread', namePrefix: 'crashy' });
  await pool.ready();

  for (let round = 0; round < 2; round++) {
    const failures = await Promise.all(
      Array.from({ length: pool.size }, () =>
        pool.ask({ type: 'fail', errorKind: 'type' }).then(
          () => undefined,
          (error: unknown) => error,
        ),
      ),
    );
    for (const error of failures) {
      assert.ok(error instanceof AskError);
      assert.equal(error.kind, 'HandlerFailed');
      assert.ok(error.cause instanceof TypeError);
    }
    // ready() waits until every worker is live at once, so each restart has happened.
    for (;;) {
      await pool.ready();
      if (Array.from({ length: pool.size }, (_, slot) => pool.workerAddr(slot)?.generation).every((generation) => generation === round + 2)) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const served = await Promise.all(Array.from({ length: pool.size }, () => pool.ask({ type: 'where' })));
  assert.deepEqual(served.map((where) => where.worker).sort(), ['crashy-0', 'crashy-1', 'crashy-2', 'crashy-3']);
  assert.ok(served.every((where) => where.generation === 3));
  const snapshot = engine.snapshot();
  assert.deepEqual(
    snapshot.actors.map((actor) => [actor.path, actor.thread, actor.restarts]).sort(),
    [
      ['/user/crashy-0', 0, 2],
      ['/user/crashy-1', 1, 2],
      ['/user/crashy-2', 0, 2],
      ['/user/crashy-3', 1, 2],
    ],
  );
  // A handler failure restarts the worker on the same thread: no thread was replaced.
  assert.deepEqual(
    snapshot.threads.filter((entry) => entry.thread !== 'main').map((entry) => (entry as { replacements?: number }).replacements),
    [0, 0],
  );
});

test('spread without worker threads throws RangeError', async () => {
  await using engine = await Engine.start();
  assert.throws(() => engine.spawnWorkerPool(RecorderModule, { size: 2, placement: 'spread' }), RangeError);
  assert.equal(engine.snapshot().actors.length, 0);
});
