import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineActor, Engine, type EngineConfig, type SpawnOptions } from '../../src/index.js';

type ErrorClass = typeof TypeError | typeof RangeError;

/** Checks that `error` is of class `expected` and that its message names the option and shows the value. */
function assertNamesOptionAndValue(error: unknown, expected: ErrorClass, option: string, valueText: string): void {
  assert.ok(error instanceof expected, `expected ${expected.name}, got ${String(error)}`);
  assert.ok(error.message.includes(option), `message does not name ${option}: ${error.message}`);
  assert.ok(error.message.includes(valueText), `message does not show ${valueText}: ${error.message}`);
}

async function rejection(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  return undefined;
}

const Noop = defineActor({
  name: 'noop',
  state: () => ({}),
  handlers: {
    ping(): string {
      return 'pong';
    },
  },
});

interface Case {
  readonly label: string;
  readonly input: unknown;
  readonly error: ErrorClass;
  readonly option: string;
  readonly valueText: string;
}

const engineConfigCases: readonly Case[] = [
  { label: 'negative askTimeoutMs', input: { askTimeoutMs: -1 }, error: RangeError, option: 'askTimeoutMs', valueText: '-1' },
  { label: 'NaN askTimeoutMs', input: { askTimeoutMs: Number.NaN }, error: RangeError, option: 'askTimeoutMs', valueText: 'NaN' },
  { label: 'infinite askTimeoutMs', input: { askTimeoutMs: Infinity }, error: RangeError, option: 'askTimeoutMs', valueText: 'Infinity' },
  { label: 'string askTimeoutMs', input: { askTimeoutMs: '100' }, error: RangeError, option: 'askTimeoutMs', valueText: '"100"' },
  { label: 'askTimeoutMs beyond a timer', input: { askTimeoutMs: 3e9 }, error: RangeError, option: 'askTimeoutMs', valueText: '3000000000' },
  { label: 'zero maxPendingAsks', input: { maxPendingAsks: 0 }, error: RangeError, option: 'maxPendingAsks', valueText: '0' },
  { label: 'fractional maxPendingAsks', input: { maxPendingAsks: 1.5 }, error: RangeError, option: 'maxPendingAsks', valueText: '1.5' },
  { label: 'zero maxBatchPerTurn', input: { maxBatchPerTurn: 0 }, error: RangeError, option: 'maxBatchPerTurn', valueText: '0' },
  { label: 'negative maxBatchPerActor', input: { maxBatchPerActor: -4 }, error: RangeError, option: 'maxBatchPerActor', valueText: '-4' },
  { label: 'negative shutdownTimeoutMs', input: { shutdownTimeoutMs: -5 }, error: RangeError, option: 'shutdownTimeoutMs', valueText: '-5' },
  { label: 'shutdownTimeoutMs beyond a timer', input: { shutdownTimeoutMs: 1e12 }, error: RangeError, option: 'shutdownTimeoutMs', valueText: '1000000000000' },
  { label: 'string propagateAsyncContext', input: { propagateAsyncContext: 'yes' }, error: TypeError, option: 'propagateAsyncContext', valueText: '"yes"' },
  { label: 'numeric captureAskStacks', input: { captureAskStacks: 1 }, error: TypeError, option: 'captureAskStacks', valueText: '1' },
  { label: 'empty id', input: { id: '' }, error: TypeError, option: 'id', valueText: '""' },
  { label: 'numeric clock', input: { clock: 5 }, error: TypeError, option: 'clock', valueText: '5' },
  { label: 'clock without methods', input: { clock: {} }, error: TypeError, option: 'clock', valueText: 'setTimer' },
  { label: 'scheduler without schedule', input: { scheduler: { run: 1 } }, error: TypeError, option: 'scheduler', valueText: 'schedule' },
  { label: 'string random', input: { random: 'dice' }, error: TypeError, option: 'random', valueText: '"dice"' },
  { label: 'unknown strategy', input: { supervision: { strategy: 'all-for-none' } }, error: TypeError, option: 'supervision.strategy', valueText: '"all-for-none"' },
  { label: 'negative maxRestarts', input: { supervision: { intensity: { maxRestarts: -1 } } }, error: RangeError, option: 'supervision.intensity.maxRestarts', valueText: '-1' },
  { label: 'numeric config', input: 5, error: TypeError, option: 'config', valueText: '5' },
];

for (const { label, input, error, option, valueText } of engineConfigCases) {
  test(`Engine.start rejects ${label}`, async () => {
    const thrown = await rejection(() => Engine.start(input as EngineConfig));
    assertNamesOptionAndValue(thrown, error, option, valueText);
  });
}

const spawnCases: readonly Case[] = [
  { label: 'name with a slash', input: { name: 'a/b' }, error: TypeError, option: 'actor name', valueText: '"a/b"' },
  { label: 'empty name', input: { name: '' }, error: TypeError, option: 'actor name', valueText: '""' },
  { label: 'numeric name', input: { name: 7 }, error: TypeError, option: 'actor name', valueText: 'number' },
  { label: 'unknown restart', input: { restart: 'sometimes' }, error: TypeError, option: 'restart', valueText: '"sometimes"' },
  { label: 'zero mailboxCapacity', input: { mailboxCapacity: 0 }, error: RangeError, option: 'mailboxCapacity', valueText: '0' },
  { label: 'negative mailboxCapacity', input: { mailboxCapacity: -1 }, error: RangeError, option: 'mailboxCapacity', valueText: '-1' },
  { label: 'fractional mailboxCapacity', input: { mailboxCapacity: 2.5 }, error: RangeError, option: 'mailboxCapacity', valueText: '2.5' },
  { label: 'NaN mailboxCapacity', input: { mailboxCapacity: Number.NaN }, error: RangeError, option: 'mailboxCapacity', valueText: 'NaN' },
  { label: 'string mailboxCapacity', input: { mailboxCapacity: '10' }, error: RangeError, option: 'mailboxCapacity', valueText: '"10"' },
  { label: 'negative shutdown timeoutMs', input: { shutdown: { timeoutMs: -1 } }, error: RangeError, option: 'shutdown.timeoutMs', valueText: '-1' },
  { label: 'unknown shutdown policy', input: { shutdown: 'soft' }, error: TypeError, option: 'shutdown', valueText: '"soft"' },
  { label: 'unknown placement', input: { placement: 'remote' }, error: TypeError, option: 'placement', valueText: '"remote"' },
  { label: 'unknown strategy', input: { supervision: { strategy: 'x' } }, error: TypeError, option: 'supervision.strategy', valueText: '"x"' },
  { label: 'backoff maxMs below minMs', input: { supervision: { backoff: { minMs: 10, maxMs: 5 } } }, error: RangeError, option: 'backoff.maxMs', valueText: '5' },
  { label: 'numeric options', input: 5, error: TypeError, option: 'spawn options', valueText: '5' },
];

for (const { label, input, error, option, valueText } of spawnCases) {
  test(`spawn rejects ${label}`, async () => {
    await using engine = await Engine.start();
    const thrown = await rejection(() => engine.spawn(Noop, input as SpawnOptions));
    assertNamesOptionAndValue(thrown, error, option, valueText);
    assert.equal(engine.snapshot().actors.length, 0);
  });
}

test('spawn rejects an object not made by defineActor', async () => {
  await using engine = await Engine.start();
  const thrown = await rejection(() => engine.spawn({ name: 'fake', handlers: {} } as unknown as typeof Noop));
  assert.ok(thrown instanceof TypeError);
  assert.ok(thrown.message.includes('defineActor'));
});

const askTimeoutCases: readonly Case[] = [
  { label: 'negative timeoutMs', input: -1, error: RangeError, option: 'ask timeoutMs', valueText: '-1' },
  { label: 'NaN timeoutMs', input: Number.NaN, error: RangeError, option: 'ask timeoutMs', valueText: 'NaN' },
  { label: 'infinite timeoutMs', input: Infinity, error: RangeError, option: 'ask timeoutMs', valueText: 'Infinity' },
  { label: 'string timeoutMs', input: '5', error: RangeError, option: 'ask timeoutMs', valueText: '"5"' },
  { label: 'timeoutMs beyond a timer', input: 2 ** 31, error: RangeError, option: 'ask timeoutMs', valueText: '2147483648' },
];

for (const { label, input, error, option, valueText } of askTimeoutCases) {
  test(`ask rejects ${label}`, async () => {
    await using engine = await Engine.start();
    const noop = engine.spawn(Noop, { name: 'noop' });
    const thrown = await rejection(() => noop.ask({ type: 'ping' }, { timeoutMs: input as number }));
    assertNamesOptionAndValue(thrown, error, option, valueText);
    assert.equal(engine.snapshot().pendingAsks, 0);
    // Nothing was sent, so the next ask is the first message the actor handles.
    assert.equal(engine.snapshot().actors[0]?.messagesHandled, 0);
  });
}

test('ask accepts the longest timeout a timer can hold', async () => {
  await using engine = await Engine.start();
  const noop = engine.spawn(Noop, { name: 'noop' });
  assert.equal(await noop.ask({ type: 'ping' }, { timeoutMs: 2 ** 31 - 1 }), 'pong');
});

test('ask rejects a signal that is not an AbortSignal', async () => {
  await using engine = await Engine.start();
  const noop = engine.spawn(Noop, { name: 'noop' });
  const thrown = await rejection(() => noop.ask({ type: 'ping' }, { signal: { aborted: false } as AbortSignal }));
  assertNamesOptionAndValue(thrown, TypeError, 'signal', 'object');
});

const specCases: readonly Case[] = [
  { label: 'null spec', input: null, error: TypeError, option: 'defineActor', valueText: 'null' },
  { label: 'name with a space', input: { name: 'my actor', state: () => 0, handlers: {} }, error: TypeError, option: 'name', valueText: '"my actor"' },
  { label: 'missing name', input: { state: () => 0, handlers: {} }, error: TypeError, option: 'name', valueText: 'undefined' },
  { label: 'state that is not a function', input: { name: 'a', state: {}, handlers: {} }, error: TypeError, option: 'state', valueText: "'a'" },
  { label: 'onStart that is not a function', input: { name: 'a', state: () => 0, onStart: 1, handlers: {} }, error: TypeError, option: 'onStart', valueText: "'a'" },
  { label: 'onStop that is not a function', input: { name: 'a', state: () => 0, onStop: 'x', handlers: {} }, error: TypeError, option: 'onStop', valueText: "'a'" },
  { label: 'null handlers', input: { name: 'a', state: () => 0, handlers: null }, error: TypeError, option: 'handlers', valueText: "'a'" },
  { label: 'handler that is not a function', input: { name: 'a', state: () => 0, handlers: { go: 5 } }, error: TypeError, option: "handler 'go'", valueText: 'number' },
];

for (const { label, input, error, option, valueText } of specCases) {
  test(`defineActor rejects ${label}`, () => {
    const thrown = (() => {
      try {
        defineActor(input as Parameters<typeof defineActor>[0]);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assertNamesOptionAndValue(thrown, error, option, valueText);
  });
}

test('engine rejects invalid paths in lookup and stop', async () => {
  await using engine = await Engine.start();
  for (const path of ['user/a', '/user/a/', '/user//a', '/user/a b']) {
    assertNamesOptionAndValue(await rejection(() => engine.lookup(path)), TypeError, 'path', JSON.stringify(path));
    assertNamesOptionAndValue(await rejection(() => engine.stop(path)), TypeError, 'path', JSON.stringify(path));
  }
});

test('shutdown rejects a negative timeoutMs', async () => {
  await using engine = await Engine.start();
  assertNamesOptionAndValue(await rejection(() => engine.shutdown({ timeoutMs: -1 })), RangeError, 'timeoutMs', '-1');
});

test('spawn rejects shutdown timeoutMs beyond a timer', async () => {
  await using engine = await Engine.start();
  const thrown = await rejection(() => engine.spawn(Noop, { shutdown: { timeoutMs: 3e9 } }));
  assertNamesOptionAndValue(thrown, RangeError, 'shutdown.timeoutMs', '3000000000');
});

test('shutdown rejects timeoutMs beyond a timer', async () => {
  await using engine = await Engine.start();
  assertNamesOptionAndValue(await rejection(() => engine.shutdown({ timeoutMs: 3e9 })), RangeError, 'timeoutMs', '3000000000');
});

test('sendAfter rejects delayMs beyond a timer', async () => {
  const Scheduling = defineActor({
    name: 'scheduling',
    state: () => ({}),
    handlers: {
      later(_state, _message: object, ctx): unknown {
        try {
          ctx.sendAfter(3e9, ctx.self, { type: 'later' });
        } catch (error) {
          return error;
        }
        return undefined;
      },
    },
  });
  await using engine = await Engine.start();
  const actor = engine.spawn(Scheduling, { name: 'scheduling' });
  assertNamesOptionAndValue(await actor.ask({ type: 'later' }), RangeError, 'delayMs', '3000000000');
});
