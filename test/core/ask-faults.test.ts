import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import {
  AskError,
  defineActor,
  Engine,
  SendError,
  UnknownMessageError,
  type SendErrorKind,
  type StableAddr,
} from '../../src/index.js';
import { caught, createGate, flushTurn, ManualClock } from './manual-clock.js';

const thisFile = fileURLToPath(import.meta.url).replace(/\.js$/, '');

/** Handles `hold` by waiting for the gate it is given, so the test decides when (or whether) it replies. */
const Holder = defineActor({
  name: 'holder',
  state: () => ({ handled: 0 }),
  handlers: {
    hold(state, message: { until: Promise<void> }): Promise<void> {
      state.handled++;
      return message.until;
    },
    count(state): number {
      state.handled++;
      return state.handled;
    },
    crash(state): never {
      state.handled++;
      throw new Error('injected fault');
    },
  },
});

function assertAskError(error: unknown, kind: AskError['kind']): asserts error is AskError {
  assert.ok(error instanceof AskError, `expected an AskError, got ${String(error)}`);
  assert.equal(error.kind, kind);
}

test('slow receiver returns MailboxFull to its sender', async () => {
  const gate = createGate();
  const Producer = defineActor({
    name: 'producer',
    state: () => ({}),
    handlers: {
      produce(_state, message: { target: StableAddr<typeof Holder>; count: number }): SendErrorKind[] {
        const outcomes: SendErrorKind[] = [];
        for (let i = 0; i < message.count; i++) {
          const error = message.target.send({ type: 'hold', until: gate.promise });
          if (error !== undefined) outcomes.push(error.kind);
        }
        return outcomes;
      },
    },
  });

  await using engine = await Engine.start();
  const consumer = engine.spawn(Holder, { name: 'consumer', mailboxCapacity: 2 });
  const producer = engine.spawn(Producer, { name: 'producer' });
  // The consumer starts on the first message and waits for the gate, so its mailbox then fills with two more.
  assert.equal(consumer.send({ type: 'hold', until: gate.promise }), undefined);
  await flushTurn();
  const generation = producer.current()?.generation;

  const outcomes = await producer.ask({ type: 'produce', target: consumer, count: 100 });

  assert.equal(outcomes.length, 98);
  assert.ok(outcomes.every((kind) => kind === 'MailboxFull'));
  assert.equal(producer.current()?.generation, generation);
  const direct = consumer.send({ type: 'count' });
  assert.ok(direct instanceof SendError);
  assert.equal(direct.code, 'RHODIUM_ERR_MAILBOX_FULL');
  assert.equal(direct.path, '/user/consumer');
  gate.open();
  await flushTurn();
  assert.equal(await consumer.ask({ type: 'count' }), 4);
});

test('ask without timeout rejects Timeout at 30 s', async () => {
  const clock = new ManualClock();
  const gate = createGate();
  await using engine = await Engine.start({ clock });
  const holder = engine.spawn(Holder, { name: 'holder' });

  let outcome: unknown;
  void holder.ask({ type: 'hold', until: gate.promise }).then(
    () => (outcome = 'replied'),
    (error: unknown) => (outcome = error),
  );
  await flushTurn();
  clock.advance(29_999);
  await flushTurn();
  assert.equal(outcome, undefined);

  clock.advance(1);
  await flushTurn();
  const error = outcome as unknown;
  assertAskError(error, 'Timeout');
  assert.equal(error.code, 'RHODIUM_ERR_ASK_TIMEOUT');
  assert.equal(error.path, '/user/holder');
  assert.equal(error.generation, 1);
  gate.open();
});

test('engine askTimeoutMs sets the default timeout', async () => {
  const clock = new ManualClock();
  const gate = createGate();
  await using engine = await Engine.start({ clock, askTimeoutMs: 500 });
  const holder = engine.spawn(Holder, { name: 'holder' });

  const pending = holder.ask({ type: 'hold', until: gate.promise }).catch((error: unknown) => error);
  await flushTurn();
  clock.advance(500);
  assertAskError(await pending, 'Timeout');
  gate.open();
});

test('actor that asks itself gets Timeout', async () => {
  const clock = new ManualClock();
  const SelfAsker = defineActor({
    name: 'self-asker',
    state: () => ({}),
    handlers: {
      async askSelf(_state, _message: object, ctx): Promise<string> {
        const self = ctx.self as StableAddr<typeof SelfAsker>;
        try {
          await self.ask({ type: 'ping' }, { timeoutMs: 1000 });
          return 'replied';
        } catch (error) {
          return error instanceof AskError ? error.kind : 'other';
        }
      },
      ping(): string {
        return 'pong';
      },
    },
  });

  await using engine = await Engine.start({ clock });
  const actor = engine.spawn(SelfAsker, { name: 'self-asker' });
  const reply = actor.ask({ type: 'askSelf' });
  await flushTurn();
  clock.advance(1000);

  assert.equal(await reply, 'Timeout');
  // The ping waited behind askSelf and is handled afterwards; its reply goes nowhere.
  assert.equal(await actor.ask({ type: 'ping' }), 'pong');
});

test('throwing handler rejects its ask once, with no unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  try {
    const Thrower = defineActor({
      name: 'thrower',
      state: () => ({}),
      handlers: {
        syncFault(): never {
          throw new Error('sync fault');
        },
        async asyncFault(): Promise<never> {
          await Promise.resolve();
          throw new Error('async fault');
        },
      },
    });

    await using engine = await Engine.start();
    const thrower = engine.spawn(Thrower, { name: 'thrower' });
    for (const type of ['syncFault', 'asyncFault'] as const) {
      let rejections = 0;
      let resolutions = 0;
      await thrower.ask({ type }).then(
        () => resolutions++,
        (error: unknown) => {
          rejections++;
          assertAskError(error, 'HandlerFailed');
          assert.ok(error.cause instanceof Error);
        },
      );
      // Fire-and-forget messages that throw must not leak a rejection either.
      await thrower.whenLive();
      assert.equal(thrower.send({ type }), undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(rejections, 1);
      assert.equal(resolutions, 0);
    }
    assert.equal(unhandled.length, 0);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('million asks sharing one signal leave no listeners', async () => {
  // Stack capture and context propagation are off only to keep the test quick; they do not touch signals.
  await using engine = await Engine.start({ captureAskStacks: false, propagateAsyncContext: false });
  const batch = 1000;
  const holder = engine.spawn(Holder, { name: 'holder', mailboxCapacity: batch + 1 });
  const controller = new AbortController();
  let maxListeners = 0;

  for (let done = 0; done < 1_000_000; done += batch) {
    const replies: Promise<number>[] = [];
    for (let i = 0; i < batch; i++) replies.push(holder.ask({ type: 'count' }, { signal: controller.signal }));
    maxListeners = Math.max(maxListeners, getEventListeners(controller.signal, 'abort').length);
    await Promise.all(replies);
  }

  assert.equal(await holder.ask({ type: 'count' }), 1_000_001);
  assert.equal(maxListeners, 1);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
});

test('aborted signal rejects Aborted and removes its listener', async () => {
  const gate = createGate();
  await using engine = await Engine.start();
  const holder = engine.spawn(Holder, { name: 'holder' });
  const controller = new AbortController();

  const first = holder.ask({ type: 'hold', until: gate.promise }, { signal: controller.signal }).catch((e: unknown) => e);
  const second = holder.ask({ type: 'count' }, { signal: controller.signal }).catch((e: unknown) => e);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 1);

  const reason = new Error('caller gave up');
  controller.abort(reason);
  for (const error of [await first, await second]) {
    assertAskError(error, 'Aborted');
    assert.equal(error.code, 'RHODIUM_ERR_ABORTED');
    assert.equal(error.cause, reason);
  }
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  gate.open();
});

test('already aborted signal rejects at once', async () => {
  await using engine = await Engine.start();
  const holder = engine.spawn(Holder, { name: 'holder' });
  const signal = AbortSignal.abort(new Error('too late'));

  let outcome: unknown;
  void holder.ask({ type: 'count' }, { signal }).then(
    () => (outcome = 'replied'),
    (error: unknown) => (outcome = error),
  );
  // Only microtasks have run, so no handler and no timer could have settled it.
  await Promise.resolve();
  await Promise.resolve();
  assertAskError(outcome, 'Aborted');
  assert.equal(getEventListeners(signal, 'abort').length, 0);
});

test('settled ask releases its signal listener', async () => {
  const clock = new ManualClock();
  const gate = createGate();
  await using engine = await Engine.start({ clock });
  const holder = engine.spawn(Holder, { name: 'holder' });
  const controller = new AbortController();

  assert.equal(await holder.ask({ type: 'count' }, { signal: controller.signal }), 1);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);

  const timedOut = holder.ask({ type: 'hold', until: gate.promise }, { signal: controller.signal, timeoutMs: 10 });
  const failed = holder.ask({ type: 'crash' }, { signal: controller.signal });
  await flushTurn();
  clock.advance(10);
  assertAskError(await caught(() => timedOut), 'Timeout');
  gate.open();
  assertAskError(await caught(() => failed), 'HandlerFailed');
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  // The crash's teardown holds a deadline timer until it finishes.
  await flushTurn();
  assert.equal(clock.pendingTimers, 0);
});

test('full pending-reply registry rejects RegistryFull', async () => {
  const gate = createGate();
  await using engine = await Engine.start({ maxPendingAsks: 3 });
  const holder = engine.spawn(Holder, { name: 'holder' });

  const pending = [1, 2, 3].map(() => holder.ask({ type: 'hold', until: gate.promise }));
  const error = await caught(() => holder.ask({ type: 'count' }));
  assertAskError(error, 'RegistryFull');
  assert.equal(error.code, 'RHODIUM_ERR_REGISTRY_FULL');
  assert.equal(error.path, '/user/holder');
  assert.equal(engine.snapshot().pendingAsks, 3);

  gate.open();
  await Promise.all(pending);
  assert.equal(engine.snapshot().pendingAsks, 0);
  assert.equal(typeof (await holder.ask({ type: 'count' })), 'number');
});

test('ask rejected before sending delivers nothing', async () => {
  const gate = createGate();
  await using engine = await Engine.start({ maxPendingAsks: 1 });
  const holder = engine.spawn(Holder, { name: 'holder' });
  const held = holder.ask({ type: 'hold', until: gate.promise });

  assertAskError(await caught(() => holder.ask({ type: 'count' })), 'RegistryFull');
  assertAskError(await caught(() => holder.ask({ type: 'count' }, { signal: AbortSignal.abort() })), 'Aborted');
  gate.open();
  await held;

  // Only `hold` and this ask should have reached the handler.
  assert.equal(await holder.ask({ type: 'count' }), 2);
});

test('captured timeout stack points at the caller', async () => {
  const clock = new ManualClock();
  const gate = createGate();
  await using engine = await Engine.start({ clock, captureAskStacks: true });

  const holder = engine.spawn(Holder, { name: 'holder' });

  const pending = holder.ask({ type: 'hold', until: gate.promise }, { timeoutMs: 50 }).catch((error: unknown) => error);
  await flushTurn();
  clock.advance(50);
  const error = await pending;

  assertAskError(error, 'Timeout');
  const frames = (error.stack ?? '').split('\n').slice(1);
  assert.ok(frames.length > 0);
  assert.ok(frames[0]?.includes(thisFile), `first frame is not in this test file:\n${error.stack ?? ''}`);
  gate.open();
});

test('awaited timeout stack names the awaiting function', async () => {
  const clock = new ManualClock();
  const gate = createGate();
  await using engine = await Engine.start({ clock });
  const holder = engine.spawn(Holder, { name: 'holder' });

  async function awaitingCaller(): Promise<unknown> {
    try {
      await holder.ask({ type: 'hold', until: gate.promise }, { timeoutMs: 50 });
      return undefined;
    } catch (error) {
      return error;
    }
  }
  const pending = awaitingCaller();
  await flushTurn();
  clock.advance(50);
  const error = await pending;
  gate.open();

  assertAskError(error, 'Timeout');
  // Node's own frames (the microtask queue) come first; the first frame of user code is the awaiting function.
  const frames = (error.stack ?? '').split('\n').slice(1);
  const firstUserFrame = frames.find((frame) => !frame.includes('node:')) ?? '';
  assert.ok(firstUserFrame.includes('async awaitingCaller'), `no awaiting function in:\n${error.stack ?? ''}`);
  assert.ok(firstUserFrame.includes(thisFile), `first user frame is not in this test file:\n${error.stack ?? ''}`);
});

test('queued asks reject NoResponse when the incarnation fails', async () => {
  const clock = new ManualClock();
  const gate = createGate();
  await using engine = await Engine.start({ clock });
  const holder = engine.spawn(Holder, { name: 'holder' });

  const inFlight = holder.ask({ type: 'hold', until: gate.promise }).catch((error: unknown) => error);
  const queued = [1, 2, 3, 4].map(() => holder.ask({ type: 'count' }).catch((error: unknown) => error));
  await flushTurn();
  gate.fail(new Error('held work failed'));

  // The clock never moves, so no timeout can be the cause.
  assertAskError(await inFlight, 'HandlerFailed');
  for (const error of await Promise.all(queued)) {
    assertAskError(error, 'NoResponse');
    assert.equal(error.code, 'RHODIUM_ERR_NO_RESPONSE');
    assert.equal(error.generation, 1);
  }
  assert.equal(clock.now(), 0);
});

test('queued asks reject NoResponse when the actor stops itself', async () => {
  const clock = new ManualClock();
  const gate = createGate();
  const Quitter = defineActor({
    name: 'quitter',
    state: () => ({}),
    handlers: {
      async quit(_state, message: { until: Promise<void> }, ctx): Promise<string> {
        ctx.stop();
        await message.until;
        return 'bye';
      },
      count(): number {
        return 1;
      },
    },
  });

  await using engine = await Engine.start({ clock });
  const quitter = engine.spawn(Quitter, { name: 'quitter', restart: 'temporary' });
  const quit = quitter.ask({ type: 'quit', until: gate.promise });
  const queued = [1, 2, 3].map(() => quitter.ask({ type: 'count' }).catch((error: unknown) => error));
  await flushTurn();
  gate.open();

  assert.equal(await quit, 'bye');
  for (const error of await Promise.all(queued)) assertAskError(error, 'NoResponse');
  assert.equal(clock.now(), 0);
});

test('unknown message type fails only that incarnation', async () => {
  await using engine = await Engine.start();
  const target = engine.spawn(Holder, { name: 'target' });
  const bystander = engine.spawn(Holder, { name: 'bystander' });
  assert.equal(await bystander.ask({ type: 'count' }), 1);
  assert.equal(target.current()?.generation, 1);

  // Untyped code can send anything; the type system cannot stop it.
  const untyped = target as unknown as { ask(message: object): Promise<unknown> };
  const error = await caught(() => untyped.ask({ type: 'nope' }));

  assertAskError(error, 'HandlerFailed');
  assert.ok(error.cause instanceof UnknownMessageError);
  assert.equal(error.cause.code, 'RHODIUM_ERR_UNKNOWN_MESSAGE');
  assert.equal(error.cause.messageType, 'nope');
  assert.equal(error.cause.path, '/user/target');
  assert.equal(error.cause.generation, 1);
  assert.equal(error.cause.actor, 'holder');

  await target.whenLive();
  assert.equal(target.current()?.generation, 2);
  assert.equal(await target.ask({ type: 'count' }), 1);
  assert.equal(bystander.current()?.generation, 1);
  assert.equal(await bystander.ask({ type: 'count' }), 2);
});

for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
  test(`inherited property ${type} is an unknown message type`, async () => {
    await using engine = await Engine.start();
    const target = engine.spawn(Holder, { name: 'target' });
    const untyped = target as unknown as { ask(message: object): Promise<unknown> };
    const error = await caught(() => untyped.ask({ type }));
    assertAskError(error, 'HandlerFailed');
    assert.ok(error.cause instanceof UnknownMessageError);
    assert.equal(error.cause.messageType, type);
  });
}

test('message without a string type is an unknown message', async () => {
  await using engine = await Engine.start();
  const target = engine.spawn(Holder, { name: 'target' });
  const untyped = target as unknown as { ask(message: unknown): Promise<unknown> };
  const error = await caught(() => untyped.ask({ kind: 'count' }));
  assertAskError(error, 'HandlerFailed');
  assert.ok(error.cause instanceof UnknownMessageError);
  assert.equal(error.cause.messageType, undefined);
});

test('message whose type getter throws fails only that actor', async () => {
  await using engine = await Engine.start();
  const target = engine.spawn(Holder, { name: 'target' });
  const bystander = engine.spawn(Holder, { name: 'bystander' });
  await Promise.all([target.ask({ type: 'count' }), bystander.ask({ type: 'count' })]);

  const fault = new Error('type getter failed');
  const hostile = {
    get type(): string {
      throw fault;
    },
  };
  const untyped = target as unknown as { ask(message: object): Promise<unknown> };
  const error = await caught(() => untyped.ask(hostile));

  assertAskError(error, 'HandlerFailed');
  assert.equal(error.cause, fault);
  assert.equal(await bystander.ask({ type: 'count' }), 2);
  await target.whenLive();
  assert.equal(target.current()?.generation, 2);
});

test('captured stack without frames shows the error line only', async () => {
  const clock = new ManualClock();
  const gate = createGate();
  await using engine = await Engine.start({ clock, captureAskStacks: true });
  const holder = engine.spawn(Holder, { name: 'holder' });

  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let pending: Promise<unknown>;
  try {
    pending = holder.ask({ type: 'hold', until: gate.promise }, { timeoutMs: 5 }).catch((error: unknown) => error);
  } finally {
    Error.stackTraceLimit = limit;
  }
  await flushTurn();
  clock.advance(5);
  const error = await pending;

  assertAskError(error, 'Timeout');
  assert.equal(error.stack, `AskError: ${error.message}`);
  gate.open();
});
