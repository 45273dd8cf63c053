import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { stat } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { defineActor, Engine, type StableAddr } from '../../src/index.js';

const execFileAsync = promisify(execFile);

const log: string[] = [];
let handled = 0;

const Busy = defineActor({
  name: 'busy',
  state: () => ({}),
  handlers: {
    work(_state, message: { tag: string }): void {
      handled++;
      if (message.tag !== '') log.push(message.tag);
    },
    count(): number {
      return handled;
    },
  },
});

function fillStream(actor: StableAddr<typeof Busy>, count: number, tag = ''): void {
  for (let i = 0; i < count; i++) {
    const error = actor.send({ type: 'work', tag });
    if (error !== undefined) assert.fail(`send ${i} failed with ${error.kind}`);
  }
}

test('setImmediate runs while a busy actor drains a long stream', async () => {
  handled = 0;
  const total = 200_000;
  await using engine = await Engine.start();
  const busy = engine.spawn(Busy, { name: 'busy', mailboxCapacity: total + 1 });

  let seenByImmediate = -1;
  fillStream(busy, total);
  setImmediate(() => {
    seenByImmediate = handled;
  });
  assert.equal(await busy.ask({ type: 'count' }), total);

  assert.ok(seenByImmediate >= 0);
  assert.ok(seenByImmediate < total, `setImmediate ran only after all ${total} messages`);
});

test('I/O callback runs while a busy actor drains a long stream', async () => {
  handled = 0;
  const total = 300_000;
  await using engine = await Engine.start();
  const busy = engine.spawn(Busy, { name: 'busy', mailboxCapacity: total + 1 });

  let seenByIo = -1;
  fillStream(busy, total);
  stat(fileURLToPath(import.meta.url), () => {
    seenByIo = handled;
  });
  assert.equal(await busy.ask({ type: 'count' }), total);

  assert.ok(seenByIo >= 0);
  assert.ok(seenByIo < total, `the I/O callback ran only after all ${total} messages`);
});

test('one turn handles at most maxBatchPerTurn messages', async () => {
  handled = 0;
  await using engine = await Engine.start({ maxBatchPerTurn: 10 });
  const busy = engine.spawn(Busy, { name: 'busy' });
  await busy.ask({ type: 'count' });
  handled = 0;

  const seen: number[] = [];
  const record = (): void => {
    seen.push(handled);
    if (handled < 100) setImmediate(record);
  };
  fillStream(busy, 100);
  setImmediate(record);
  await busy.ask({ type: 'count' });

  // Each event-loop turn adds at most ten handled messages.
  assert.ok(seen.length >= 10);
  for (let i = 1; i < seen.length; i++) {
    const step = (seen[i] ?? 0) - (seen[i - 1] ?? 0);
    assert.ok(step <= 10, `turn ${i} handled ${step} messages`);
  }
  assert.ok((seen[0] ?? 0) <= 10);
});

test('ready actors take turns of maxBatchPerActor', async () => {
  log.length = 0;
  await using engine = await Engine.start({ maxBatchPerActor: 4 });
  const left = engine.spawn(Busy, { name: 'left' });
  const right = engine.spawn(Busy, { name: 'right' });
  await Promise.all([left.ask({ type: 'count' }), right.ask({ type: 'count' })]);

  fillStream(left, 40, 'L');
  fillStream(right, 40, 'R');
  await Promise.all([left.ask({ type: 'count' }), right.ask({ type: 'count' })]);

  assert.equal(log.length, 80);
  let run = 1;
  for (let i = 1; i < log.length; i++) {
    run = log[i] === log[i - 1] ? run + 1 : 1;
    assert.ok(run <= 4, `one actor handled ${run} messages in a row at index ${i}`);
  }
});

test('two actors that ping-pong forever do not starve the event loop', async () => {
  const Pinger = defineActor({
    name: 'pinger',
    state: () => ({ rounds: 0 }),
    handlers: {
      ping(state, message: { peer: string }, ctx): number {
        state.rounds++;
        const peer = ctx.engine.lookup(message.peer) as StableAddr<typeof Pinger> | undefined;
        peer?.send({ type: 'ping', peer: ctx.path.toString() });
        return state.rounds;
      },
    },
  });

  await using engine = await Engine.start();
  const a = engine.spawn(Pinger, { name: 'a' });
  engine.spawn(Pinger, { name: 'b' });
  a.send({ type: 'ping', peer: '/user/b' });

  // Both timers fire although the two actors always have a message waiting.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 5));
  const rounds = engine.snapshot().actors.reduce((sum, actor) => sum + actor.messagesHandled, 0);
  assert.ok(rounds > 0);
});

test('task that throws does not stop the other tasks', async () => {
  // The error escapes to the process as an uncaught exception, so the check runs in a child process.
  const schedulerUrl = new URL('../../src/scheduler/event-loop.js', import.meta.url).href;
  const script = `
    const { EventLoopScheduler } = await import(${JSON.stringify(schedulerUrl)});
    const uncaught = [];
    process.on('uncaughtException', (error) => uncaught.push(error.message));
    const scheduler = new EventLoopScheduler({ maxBatchPerTurn: 1024, maxBatchPerActor: 128 });
    const ran = [];
    const task = (name, fails) => ({ scheduled: false, run() { ran.push(name); if (fails) throw new Error(name); return 1; } });
    scheduler.schedule(task('first', false));
    scheduler.schedule(task('faulty', true));
    scheduler.schedule(task('queued', false));
    await new Promise((resolve) => setTimeout(resolve, 20));
    scheduler.schedule(task('later', false));
    await new Promise((resolve) => setTimeout(resolve, 20));
    console.log(JSON.stringify({ ran, uncaught }));
  `;
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '--eval', script]);

  const outcome = JSON.parse(stdout) as { ran: string[]; uncaught: string[] };
  assert.deepEqual(outcome.ran, ['first', 'faulty', 'queued', 'later']);
  assert.deepEqual(outcome.uncaught, ['faulty']);
});
