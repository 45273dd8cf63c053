import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineActor, Engine } from '../../src/index.js';

const Echo = defineActor({
  name: 'echo',
  state: () => ({}),
  handlers: {
    echo(_state, message: { text: string }): string {
      return message.text;
    },
  },
});

// Node.js fires a timer longer than 2^31 - 1 ms after 1 ms, so such a timeout would expire at once.
const tooLong = 2 ** 31;

test('ask rejects a timeout longer than a timer allows', async () => {
  await using engine = await Engine.start();
  const echo = engine.spawn(Echo, { name: 'echo' });

  assert.throws(() => echo.ask({ type: 'echo', text: 'hi' }, { timeoutMs: tooLong }), RangeError);
  assert.equal(await echo.ask({ type: 'echo', text: 'hi' }, { timeoutMs: tooLong - 1 }), 'hi');
});

test('engine config rejects timeouts longer than a timer allows', async () => {
  await assert.rejects(async () => Engine.start({ askTimeoutMs: tooLong }), RangeError);
  await assert.rejects(async () => Engine.start({ shutdownTimeoutMs: tooLong }), RangeError);

  await using engine = await Engine.start();
  assert.throws(() => engine.spawn(Echo, { shutdown: { timeoutMs: tooLong } }), RangeError);
});
