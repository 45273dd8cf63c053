import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { test } from 'node:test';
import fc from 'fast-check';
import { AskError, defineActor, Engine, type StopReason } from '../../src/index.js';
import { createGate, flushTurn } from './manual-clock.js';

const Recorder = defineActor({
  name: 'recorder',
  state: () => ({ seen: [] as string[] }),
  handlers: {
    record(state, message: { sender: string; seq: number }): void {
      state.seen.push(`${message.sender}:${message.seq}`);
    },
    seen(state): readonly string[] {
      return [...state.seen];
    },
  },
});

test('order is FIFO per sender and receiver', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 300 }),
      async (senderOrder) => {
        await using engine = await Engine.start();
        const recorder = engine.spawn(Recorder, { name: 'recorder' });
        const nextSeq = [0, 0, 0, 0, 0];
        for (const sender of senderOrder) {
          const seq = nextSeq[sender] ?? 0;
          nextSeq[sender] = seq + 1;
          assert.equal(recorder.send({ type: 'record', sender: `s${sender}`, seq }), undefined);
        }

        const seen = await recorder.ask({ type: 'seen' });
        assert.equal(seen.length, senderOrder.length);
        for (let sender = 0; sender < 5; sender++) {
          const seqs = seen.filter((entry) => entry.startsWith(`s${sender}:`)).map((entry) => Number(entry.split(':')[1]));
          assert.deepEqual(seqs, Array.from({ length: nextSeq[sender] ?? 0 }, (_, i) => i));
        }
      },
    ),
    { numRuns: 50 },
  );
});

test('order is FIFO between two actors', async () => {
  const Forwarder = defineActor({
    name: 'forwarder',
    state: () => ({}),
    handlers: {
      forward(_state, message: { count: number }, ctx): void {
        const target = ctx.engine.lookup('/user/recorder');
        assert.ok(target !== undefined);
        const typed = target as unknown as typeof recorder;
        for (let seq = 0; seq < message.count; seq++) typed.send({ type: 'record', sender: ctx.path.name, seq });
      },
    },
  });

  await using engine = await Engine.start();
  const recorder = engine.spawn(Recorder, { name: 'recorder' });
  const left = engine.spawn(Forwarder, { name: 'left' });
  const right = engine.spawn(Forwarder, { name: 'right' });
  left.send({ type: 'forward', count: 200 });
  right.send({ type: 'forward', count: 200 });
  await left.ask({ type: 'forward', count: 0 });
  await right.ask({ type: 'forward', count: 0 });

  const seen = await recorder.ask({ type: 'seen' });
  for (const sender of ['left', 'right']) {
    const seqs = seen.filter((entry) => entry.startsWith(`${sender}:`)).map((entry) => Number(entry.split(':')[1]));
    assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => i));
  }
});

test('stop is served before queued user messages', async () => {
  const gate = createGate();
  let handled = 0;
  const Slow = defineActor({
    name: 'slow',
    state: () => ({}),
    handlers: {
      async work(): Promise<number> {
        handled++;
        await gate.promise;
        return handled;
      },
    },
  });

  await using engine = await Engine.start();
  const slow = engine.spawn(Slow, { name: 'slow' });
  const first = slow.ask({ type: 'work' });
  const queued = Array.from({ length: 10 }, () => slow.ask({ type: 'work' }).catch((error: unknown) => error));
  await flushTurn();
  assert.equal(handled, 1);

  // The stop signal overtakes the ten queued messages while the first handler still runs.
  const stopped = engine.stop(slow);
  const rejections = await Promise.all(queued);
  assert.equal(handled, 1);
  for (const error of rejections) {
    assert.ok(error instanceof AskError);
    assert.equal(error.kind, 'NoResponse');
  }

  gate.open();
  assert.equal(await first, 1);
  await stopped;
  assert.equal(handled, 1);
});

test('async handler is awaited before the next message', async () => {
  let running = 0;
  let maxRunning = 0;
  const order: number[] = [];
  const Serial = defineActor({
    name: 'serial',
    state: () => ({}),
    handlers: {
      async step(_state, message: { n: number }): Promise<void> {
        running++;
        maxRunning = Math.max(maxRunning, running);
        order.push(message.n);
        await new Promise((resolve) => setTimeout(resolve, message.n % 3));
        await Promise.resolve();
        order.push(-message.n);
        running--;
      },
    },
  });

  await using engine = await Engine.start();
  const serial = engine.spawn(Serial, { name: 'serial' });
  const replies = Array.from({ length: 20 }, (_, i) => serial.ask({ type: 'step', n: i + 1 }));
  await Promise.all(replies);

  assert.equal(maxRunning, 1);
  const expected = Array.from({ length: 20 }, (_, i) => [i + 1, -(i + 1)]).flat();
  assert.deepEqual(order, expected);
});

test('lifecycle runs state, onStart, handlers, onStop', async () => {
  const events: string[] = [];
  let reason: StopReason | undefined;
  const Tracked = defineActor({
    name: 'tracked',
    state: () => {
      events.push('state');
      return { count: 0 };
    },
    async onStart(state) {
      events.push('onStart:begin');
      await new Promise((resolve) => setTimeout(resolve, 5));
      state.count = 100;
      events.push('onStart:end');
    },
    handlers: {
      bump(state): number {
        events.push('bump');
        return ++state.count;
      },
    },
    onStop(state, _ctx, stopReason) {
      events.push(`onStop:${state.count}`);
      reason = stopReason;
    },
  });

  await using engine = await Engine.start();
  const tracked = engine.spawn(Tracked, { name: 'tracked' });
  // Both messages arrive while onStart is still running; they wait for it.
  assert.equal(tracked.send({ type: 'bump' }), undefined);
  assert.equal(await tracked.ask({ type: 'bump' }), 102);
  await engine.stop(tracked);

  assert.deepEqual(events, ['state', 'onStart:begin', 'onStart:end', 'bump', 'bump', 'onStop:102']);
  assert.deepEqual(reason, { kind: 'killed', by: 'engine' });
});

test('ask infers and returns the handler reply', async () => {
  const Calc = defineActor({
    name: 'calc',
    state: () => ({}),
    handlers: {
      add(_state, message: { a: number; b: number }): number {
        return message.a + message.b;
      },
      async greet(_state, message: { name: string }): Promise<string> {
        await Promise.resolve();
        return `hello ${message.name}`;
      },
      nothing(): void {
        // A handler without a return value replies undefined.
      },
    },
  });

  await using engine = await Engine.start();
  const calc = engine.spawn(Calc, { name: 'calc' });
  const sum: number = await calc.ask({ type: 'add', a: 2, b: 3 });
  const greeting: string = await calc.ask({ type: 'greet', name: 'ada' });
  assert.equal(sum, 5);
  assert.equal(greeting, 'hello ada');
  const nothing = calc.ask({ type: 'nothing' }) as Promise<unknown>;
  assert.equal(await nothing, undefined);
});

const storage = new AsyncLocalStorage<string>();

const ContextReader = defineActor({
  name: 'context-reader',
  state: () => ({ observed: [] as (readonly [string, string | undefined])[] }),
  handlers: {
    observe(state, message: { expected: string }): string | undefined {
      const value = storage.getStore();
      state.observed.push([message.expected, value]);
      return value;
    },
    async observeLater(_state, message: { delayMs: number }): Promise<string | undefined> {
      await new Promise((resolve) => setTimeout(resolve, message.delayMs));
      return storage.getStore();
    },
    observed(state): readonly (readonly [string, string | undefined])[] {
      return state.observed;
    },
  },
});

test('handler sees the AsyncLocalStorage value of its sender', async () => {
  await using engine = await Engine.start();
  const reader = engine.spawn(ContextReader, { name: 'reader' });

  const reply = await storage.run('request-1', () => reader.ask({ type: 'observe', expected: 'request-1' }));
  assert.equal(reply, 'request-1');
  const later = await storage.run('request-2', () => reader.ask({ type: 'observeLater', delayMs: 2 }));
  assert.equal(later, 'request-2');
  assert.equal(await reader.ask({ type: 'observe', expected: 'none' }), undefined);
});

test('interleaved senders in one batch each keep their context', async () => {
  await using engine = await Engine.start();
  const reader = engine.spawn(ContextReader, { name: 'reader', mailboxCapacity: 2000 });

  // All sends happen synchronously, so the actor handles them in one batch.
  for (let i = 0; i < 1000; i++) {
    const value = `sender-${i % 37}`;
    const error = storage.run(value, () => reader.send({ type: 'observe', expected: value }));
    assert.equal(error, undefined);
  }
  const observed = await reader.ask({ type: 'observed' });

  assert.equal(observed.length, 1000);
  for (const [expected, value] of observed) assert.equal(value, expected);
});

test('context propagation can be switched off', async () => {
  await using engine = await Engine.start({ propagateAsyncContext: false });
  const reader = engine.spawn(ContextReader, { name: 'reader' });
  await reader.ask({ type: 'observed' });

  const values = await Promise.all(
    ['a', 'b', 'c'].map((value) => storage.run(value, () => reader.ask({ type: 'observe', expected: value }))),
  );
  // The handlers run in the scheduler's context, so at most the first sender's value can leak through.
  assert.notDeepEqual(values, ['a', 'b', 'c']);
});

test('handler reads the headers of its message', async () => {
  const Tracer = defineActor({
    name: 'tracer',
    state: () => ({}),
    handlers: {
      async trace(_state, _message: object, ctx): Promise<string | undefined> {
        await flushTurn();
        // Still the headers of this message after an await, because one message is handled at a time.
        return ctx.headers?.traceparent;
      },
    },
  });
  await using engine = await Engine.start();
  const tracer = engine.spawn(Tracer, { name: 'tracer' });
  const first = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const second = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  const replies = await Promise.all([
    tracer.ask({ type: 'trace' }, { headers: { traceparent: first } }),
    tracer.ask({ type: 'trace' }),
    tracer.ask({ type: 'trace' }, { headers: { traceparent: second } }),
  ]);
  assert.deepEqual(replies, [first, undefined, second]);
});

test('message sent with headers is handled unchanged', async () => {
  const Echo = defineActor({
    name: 'echo',
    state: () => ({}),
    handlers: {
      echo(_state, message: { text: string }): object {
        return { ...message };
      },
    },
  });

  await using engine = await Engine.start();
  const echo = engine.spawn(Echo, { name: 'echo' });
  const headers = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
  assert.equal(echo.send({ type: 'echo', text: 'a' }, { headers }), undefined);
  // Headers travel beside the message; the handler's message has only its own fields.
  assert.deepEqual(await echo.ask({ type: 'echo', text: 'b' }, { headers }), { type: 'echo', text: 'b' });
});
