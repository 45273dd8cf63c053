import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AskError, defineActor, Engine } from '../../src/index.js';

const Counter = defineActor({
  name: 'counter',
  state: () => ({ total: 0 }),
  handlers: {
    add(state, message: { by: number }): number {
      state.total += message.by;
      return state.total;
    },
    crash(): never {
      throw new Error('injected fault');
    },
  },
});

test('send then ask returns the reply', async () => {
  await using engine = await Engine.start();
  const counter = engine.spawn(Counter, { name: 'counter' });

  assert.equal(counter.send({ type: 'add', by: 2 }), undefined);
  assert.equal(await counter.ask({ type: 'add', by: 3 }), 5);
});

test('handler failure rejects the ask with HandlerFailed', async () => {
  await using engine = await Engine.start();
  const counter = engine.spawn(Counter, { name: 'counter' });

  const error = await counter.ask({ type: 'crash' }).catch((caught: unknown) => caught);
  assert.ok(error instanceof AskError);
  assert.equal(error.kind, 'HandlerFailed');
  assert.equal(error.code, 'RHODIUM_ERR_HANDLER_FAILED');
});
