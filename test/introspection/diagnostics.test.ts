/**
 * Diagnostics channels: names, payloads, and the NODE_DEBUG=rhodium printer.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { channelNames, defineActor, Engine, type StableAddr } from '../../src/index.js';
import { Worker, supervisorOf } from '../supervision/support/actors.js';
import { EventRecorder, settle, waitFor } from '../supervision/support/events.js';

test('channel names follow rhodium:<area>:<event>', () => {
  assert.deepEqual(
    { ...channelNames },
    {
      actorStart: 'rhodium:actor:start',
      actorStop: 'rhodium:actor:stop',
      actorFailure: 'rhodium:actor:failure',
      actorRestart: 'rhodium:actor:restart',
      stopTimeout: 'rhodium:actor:stop-timeout',
      escalation: 'rhodium:supervisor:escalation',
      mailboxFull: 'rhodium:mailbox:full',
      deadLetter: 'rhodium:mailbox:dead-letter',
      askTimeout: 'rhodium:ask:timeout',
      engineStart: 'rhodium:engine:start',
      engineShutdown: 'rhodium:engine:shutdown',
    },
  );
});

test('lifecycle channels publish their payloads', async () => {
  const recorder = new EventRecorder(['actorStart', 'actorFailure', 'actorStop', 'actorRestart', 'deadLetter', 'escalation']);
  try {
    await using engine = await Engine.start({ supervision: { intensity: { maxRestarts: 1 } } });
    const worker = engine.spawn(Worker, { name: 'w' });
    await worker.whenLive();
    worker.send({ type: 'crash' });
    worker.send({ type: 'ping' });
    await waitFor(() => worker.current()?.generation === 2, 'the restart');
    await worker.whenLive();
    worker.send({ type: 'crash' });
    await waitFor(() => recorder.of('escalation').length === 1, 'the escalation');

    assert.deepEqual(recorder.of('actorStart'), [
      { path: '/user/w', generation: 1, actor: 'worker' },
      { path: '/user/w', generation: 2, actor: 'worker' },
    ]);
    const failures = recorder.of('actorFailure');
    assert.equal(failures.length, 2);
    assert.equal(failures[0]?.generation, 1);
    assert.ok(failures[0]?.error instanceof Error);
    assert.deepEqual(recorder.of('actorStop'), [
      { path: '/user/w', generation: 1, actor: 'worker', reason: 'failed', by: undefined },
      { path: '/user/w', generation: 2, actor: 'worker', reason: 'failed', by: undefined },
    ]);
    assert.deepEqual(recorder.of('actorRestart'), [
      { path: '/user/w', generation: 2, actor: 'worker', previousGeneration: 1, restarts: 1, cause: 'failed' },
    ]);
    assert.deepEqual(recorder.of('deadLetter'), [{ path: '/user/w', generation: 1, messageType: 'ping', reason: 'failed' }]);
    const escalation = recorder.of('escalation')[0];
    assert.equal(escalation?.path, '/user/w');
    assert.equal(escalation?.generation, 2);
    assert.equal(escalation?.supervisor, '/user');
    assert.equal(escalation?.maxRestarts, 1);
    assert.equal(escalation?.windowMs, 5000);
    assert.equal(escalation?.reason, 'failed');
    assert.ok(escalation?.error instanceof Error);
  } finally {
    recorder.close();
  }
});

test('failed sendAfter counts a dead letter', async () => {
  const recorder = new EventRecorder(['deadLetter']);
  try {
    await using engine = await Engine.start();
    engine.spawn(supervisorOf([{ name: 'gone' }]), { name: 'sup' });
    await waitFor(() => engine.lookup('/user/sup/gone')?.current() !== undefined, 'the child');
    const gone = engine.lookup('/user/sup/gone') as StableAddr<typeof Worker>;
    await engine.stop(gone);

    const Sender = defineActor({
      name: 'sender',
      state: () => ({}),
      handlers: {
        schedule(_state, _message: object, ctx): void {
          ctx.sendAfter(0, gone, { type: 'ping' });
        },
      },
    });
    const sender = engine.spawn(Sender, { name: 'sender' });
    await sender.ask({ type: 'schedule' });
    await waitFor(() => recorder.of('deadLetter').length === 1, 'the dead letter');
    await settle();

    assert.deepEqual(recorder.of('deadLetter'), [
      { path: '/user/sup/gone', generation: 0, messageType: 'ping', reason: 'send-after', sendError: 'ActorStopped' },
    ]);
    assert.equal(engine.snapshot().deadLetters, 1);
  } finally {
    recorder.close();
  }
});

/**
 * A program for a child process: a worker crashes once (restart, dead
 * letter), then again (escalation, with one restart allowed), and the
 * engine shuts down.
 */
const debugProgram = `
const { Engine, defineActor } = await import(process.argv[1]);
const Worker = defineActor({
  name: 'worker',
  state: () => ({}),
  handlers: { crash() { throw new Error('injected fault'); }, ping() { return 'pong'; } },
});
const engine = await Engine.start({ supervision: { intensity: { maxRestarts: 1 } } });
const worker = engine.spawn(Worker, { name: 'w' });
await worker.whenLive();
worker.send({ type: 'crash' });
worker.send({ type: 'ping' });
while (worker.current()?.generation !== 2) await new Promise((resolve) => setImmediate(resolve));
await worker.whenLive();
worker.send({ type: 'crash' });
while (engine.lookup('/user/w') !== undefined) await new Promise((resolve) => setImmediate(resolve));
await engine.shutdown();
`;

function runDebugProgram(nodeDebug: string | undefined): string {
  const env = { ...process.env };
  delete env.NODE_DEBUG;
  if (nodeDebug !== undefined) env.NODE_DEBUG = nodeDebug;
  const entry = new URL('../../src/index.js', import.meta.url).href;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', debugProgram, entry], { env, encoding: 'utf8' });
  assert.equal(result.status, 0, `child process failed: ${result.stderr}`);
  return result.stderr;
}

test('NODE_DEBUG=rhodium prints every event', () => {
  const stderr = runDebugProgram('rhodium');
  for (const name of [
    'rhodium:engine:start',
    'rhodium:actor:start',
    'rhodium:actor:failure',
    'rhodium:actor:stop',
    'rhodium:actor:restart',
    'rhodium:mailbox:dead-letter',
    'rhodium:supervisor:escalation',
    'rhodium:engine:shutdown',
  ]) {
    assert.ok(stderr.includes(name), `stderr mentions ${name}`);
  }
  assert.match(stderr, /^RHODIUM \d+: rhodium:actor:start/m);
  assert.ok(stderr.includes("path: '/user/w'"), 'payloads are printed');
});

test('without NODE_DEBUG nothing is printed', () => {
  assert.equal(runDebugProgram(undefined), '');
});
