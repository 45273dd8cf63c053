// Shared set-up for the worker-thread tests: a thread group, a supervision
// host that records what its RemoteCells report, and real pending asks.
import type { Transferable } from 'node:worker_threads';
import type { Envelope, Message } from '../../src/actor/envelope.js';
import { AddrHash, hashPath } from '../../src/address/hash.js';
import { AskRegistry } from '../../src/engine/ask.js';
import type { SendError } from '../../src/errors.js';
import { realClock } from '../../src/scheduler/clock.js';
import { actorModule, type ActorModuleRef } from '../../src/threads/module-ref.js';
import type { RemoteCell, RemoteCellHost, TransferEnvelope } from '../../src/threads/remote-cell.js';
import type { ThreadGroup } from '../../src/threads/thread-group.js';

export const actorsUrl = new URL('../fixtures/threads/actors.js', import.meta.url);
export const recorderModule: ActorModuleRef = actorModule(actorsUrl, 'Recorder');

/** What a RemoteCell reported, in order. */
export type Notice =
  | { readonly kind: 'started' }
  | { readonly kind: 'failed'; readonly error: unknown; readonly queued: number }
  | { readonly kind: 'stop-requested' };

/**
 * Stands in for the supervision node: records notices and, as the node
 * does, answers the queued asks of a failed incarnation with NoResponse.
 */
export class RecordingHost implements RemoteCellHost {
  readonly notices: Notice[] = [];
  private waiters: { kind: Notice['kind']; resolve: (notice: Notice) => void }[] = [];

  onStarted(): void {
    this.record({ kind: 'started' });
  }

  onFailed(_cell: RemoteCell, error: unknown, queued: Envelope[]): void {
    for (const envelope of queued) envelope.reply?.noResponse('the incarnation failed before handling it');
    this.record({ kind: 'failed', error, queued: queued.length });
  }

  onStopRequested(): void {
    this.record({ kind: 'stop-requested' });
  }

  /** Resolves with the first notice of `kind`, past or future. */
  next(kind: Notice['kind']): Promise<Notice> {
    const seen = this.notices.find((notice) => notice.kind === kind);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ kind, resolve }));
  }

  private record(notice: Notice): void {
    this.notices.push(notice);
    const matching = this.waiters.filter((waiter) => waiter.kind === notice.kind);
    this.waiters = this.waiters.filter((waiter) => waiter.kind !== notice.kind);
    for (const waiter of matching) waiter.resolve(notice);
  }
}

/** A message with any fields, as the tests build them. */
export interface TestMessage extends Message {
  readonly [field: string]: unknown;
}

const asks = new AskRegistry(realClock, 1_000_000);

/** A RemoteCell with a recording host and helpers to send and ask through it. */
export class Actor {
  readonly cell: RemoteCell;
  readonly host: RecordingHost;

  constructor(cell: RemoteCell, host: RecordingHost) {
    this.cell = cell;
    this.host = host;
  }

  send(message: TestMessage, transfer?: readonly Transferable[]): boolean | SendError {
    const envelope: TransferEnvelope = { message, reply: undefined, context: undefined, headers: undefined, transfer };
    return this.cell.enqueue(envelope);
  }

  /** Asks with a long timeout, so a rejection before it proves the outcome came at once. */
  ask(message: TestMessage, transfer?: readonly Transferable[]): Promise<unknown> {
    const pending = asks.create({ path: this.cell.addr.path, generation: this.cell.addr.generation }, 120_000, undefined, {});
    const envelope: TransferEnvelope = { message, reply: pending, context: undefined, headers: undefined, transfer };
    const outcome = this.cell.enqueue(envelope);
    if (outcome === false) throw new Error('mailbox full');
    if (outcome !== true) pending.sendFailed(outcome);
    return pending.promise;
  }
}

let generation = 0;

/** Spawns `module` on thread `index` of `group` at `/user/{name}`. */
export function spawnOn(group: ThreadGroup, index: number, name: string, module = recorderModule, mailboxCapacity = 1024): Actor {
  const path = `/user/${name}`;
  const host = new RecordingHost();
  const addr = new AddrHash(path, hashPath(path), ++generation);
  return new Actor(group.spawn(index, module, addr, mailboxCapacity, host), host);
}

/** Settles to the rejection reason, or fails the test if `promise` resolves. */
export function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value: unknown) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}
