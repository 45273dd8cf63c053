import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  AskError,
  type AskErrorKind,
  ErrorCodes,
  EscalationError,
  RhodiumError,
  SendError,
  type SendErrorKind,
  SpawnError,
  UnknownMessageError,
} from '../../src/index.js';

type Package = typeof import('../../src/index.js');

const sendKinds: readonly SendErrorKind[] = [
  'MailboxFull',
  'Unroutable',
  'ActorStopped',
  'SerializationFailed',
  'ConnectionFailed',
  'Unbound',
];
const askKinds: readonly AskErrorKind[] = ['Timeout', 'Send', 'NoResponse', 'HandlerFailed', 'RegistryFull', 'Aborted'];

const expectedCodes: Readonly<Record<SendErrorKind | AskErrorKind, string>> = {
  MailboxFull: 'RHODIUM_ERR_MAILBOX_FULL',
  Unroutable: 'RHODIUM_ERR_UNROUTABLE',
  ActorStopped: 'RHODIUM_ERR_ACTOR_STOPPED',
  SerializationFailed: 'RHODIUM_ERR_SERIALIZATION_FAILED',
  ConnectionFailed: 'RHODIUM_ERR_CONNECTION_FAILED',
  Unbound: 'RHODIUM_ERR_UNBOUND',
  Timeout: 'RHODIUM_ERR_ASK_TIMEOUT',
  Send: 'RHODIUM_ERR_ASK_SEND',
  NoResponse: 'RHODIUM_ERR_NO_RESPONSE',
  HandlerFailed: 'RHODIUM_ERR_HANDLER_FAILED',
  RegistryFull: 'RHODIUM_ERR_REGISTRY_FULL',
  Aborted: 'RHODIUM_ERR_ABORTED',
};

for (const kind of sendKinds) {
  test(`SendError ${kind} carries kind, code and target`, () => {
    const error = new SendError(kind, { path: '/user/a', generation: 3 });
    assert.equal(error.kind, kind);
    assert.equal(error.code, expectedCodes[kind]);
    assert.equal(error.path, '/user/a');
    assert.equal(error.generation, 3);
    assert.equal(error.name, 'SendError');
    assert.equal(error.cause, undefined);
    assert.ok(error instanceof SendError);
    assert.ok(error instanceof RhodiumError);
    assert.ok(error instanceof Error);
    assert.equal(error instanceof AskError, false);
  });
}

for (const kind of askKinds) {
  test(`AskError ${kind} carries kind, code, target and cause`, () => {
    const cause = new Error('root cause');
    const error = new AskError(kind, 'ask failed', { path: '/user/b', generation: 9 }, cause);
    assert.equal(error.kind, kind);
    assert.equal(error.code, expectedCodes[kind]);
    assert.equal(error.path, '/user/b');
    assert.equal(error.generation, 9);
    assert.equal(error.cause, cause);
    assert.equal(error.name, 'AskError');
    assert.ok(error instanceof AskError);
    assert.ok(error instanceof RhodiumError);
    assert.equal(error instanceof SendError, false);
  });
}

test('ErrorCodes values are unique and stable', () => {
  const codes = Object.values(ErrorCodes);
  assert.equal(new Set(codes).size, codes.length);
  for (const [kind, code] of Object.entries(expectedCodes)) {
    assert.equal(ErrorCodes[kind as keyof typeof ErrorCodes], code);
  }
  assert.equal(ErrorCodes.UnknownMessage, 'RHODIUM_ERR_UNKNOWN_MESSAGE');
});

test('SendError without a target has no path or generation', () => {
  const error = new SendError('Unbound');
  assert.equal(error.path, undefined);
  assert.equal(error.generation, undefined);
});

test('Send kind AskError chains the SendError as cause', () => {
  const sendError = new SendError('Unroutable', { path: '/user/c', generation: 2 });
  const error = new AskError('Send', 'ask could not be sent', { path: '/user/c', generation: 2 }, sendError);
  assert.ok(error.cause instanceof SendError);
  assert.equal(error.cause.kind, 'Unroutable');
});

test('UnknownMessageError names the type and the actor', () => {
  const error = new UnknownMessageError('nope', 'counter', { path: '/user/counter', generation: 1 });
  assert.equal(error.code, 'RHODIUM_ERR_UNKNOWN_MESSAGE');
  assert.equal(error.messageType, 'nope');
  assert.equal(error.actor, 'counter');
  assert.equal(error.path, '/user/counter');
  assert.equal(error.generation, 1);
  assert.ok(error instanceof RhodiumError);
  assert.equal(error instanceof AskError, false);
});

test('SpawnError and EscalationError are RhodiumErrors', () => {
  const spawnError = new SpawnError('NameTaken', 'taken', { path: '/user/x' });
  assert.equal(spawnError.code, 'RHODIUM_ERR_NAME_TAKEN');
  assert.ok(spawnError instanceof RhodiumError);
  assert.equal(spawnError instanceof SendError, false);

  const cause = new Error('child fault');
  const escalation = new EscalationError('/user/x/y', 3, 5000, { path: '/user/x', generation: 1 }, cause);
  assert.equal(escalation.code, 'RHODIUM_ERR_ESCALATED');
  assert.equal(escalation.childPath, '/user/x/y');
  assert.equal(escalation.cause, cause);
  assert.ok(escalation instanceof RhodiumError);
});

test('plain errors and look-alikes are not RhodiumErrors', () => {
  assert.equal(new Error('x') instanceof RhodiumError, false);
  assert.equal({ code: 'RHODIUM_ERR_MAILBOX_FULL', kind: 'MailboxFull' } instanceof SendError, false);
  assert.equal((null as unknown) instanceof RhodiumError, false);
  assert.equal(('SendError' as unknown) instanceof SendError, false);
});

test('user subclass matches only its own instances', () => {
  class RetryableSendError extends SendError {}
  const plain = new SendError('MailboxFull');
  const retryable = new RetryableSendError('MailboxFull');

  assert.ok(retryable instanceof RetryableSendError);
  assert.ok(retryable instanceof SendError);
  assert.ok(retryable instanceof RhodiumError);
  assert.equal(plain instanceof RetryableSendError, false);
});

// Two copies of the package, as two versions in one node_modules tree would be.
const compiledSource = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const copyRoot = mkdtempSync(join(tmpdir(), 'rhodium-copy-'));
after(() => {
  rmSync(copyRoot, { recursive: true, force: true });
});

async function loadCopy(): Promise<Package> {
  cpSync(compiledSource, join(copyRoot, 'src'), { recursive: true });
  writeFileSync(join(copyRoot, 'package.json'), JSON.stringify({ type: 'module' }));
  return (await import(pathToFileURL(join(copyRoot, 'src', 'index.js')).href)) as Package;
}

test('instanceof works across two copies of the package', async () => {
  const copy = await loadCopy();
  assert.notEqual(copy.SendError, SendError);

  const fromCopy = new copy.SendError('MailboxFull', { path: '/user/a', generation: 1 });
  assert.ok(fromCopy instanceof SendError);
  assert.ok(fromCopy instanceof RhodiumError);
  assert.equal(fromCopy instanceof AskError, false);

  const fromHere = new AskError('Timeout', 'timed out', { path: '/user/a', generation: 1 });
  assert.ok(fromHere instanceof copy.AskError);
  assert.ok(fromHere instanceof copy.RhodiumError);
  assert.equal(fromHere instanceof copy.SendError, false);

  const unknown = new copy.UnknownMessageError('x', 'a', { path: '/user/a' });
  assert.ok(unknown instanceof UnknownMessageError);
  assert.equal(unknown instanceof SendError, false);
  assert.equal(new Error('plain') instanceof copy.RhodiumError, false);
});
