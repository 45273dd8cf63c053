/**
 * RemoteCell: the main-thread proxy of an actor incarnation that runs on a
 * worker thread. It offers the supervision node the same surface as an
 * ActorCell, so the node supervises both alike.
 *
 * The real mailbox is on the thread. The proxy keeps a shadow queue of the
 * envelopes it sent that the thread has not dequeued yet, which gives it:
 * - `mailbox.size` at once and exactly enough for the capacity check,
 *   because messages still in transit count against the capacity too;
 * - the envelopes (with their reply targets) that the node rejects with
 *   `NoResponse` when the incarnation ends before handling them.
 * The thread reports how many envelopes it dequeued with every notice.
 */

import type { Transferable } from 'node:worker_threads';
import type { CellStatus } from '../actor/cell.js';
import type { Envelope, ReplyTarget } from '../actor/envelope.js';
import { Mailbox } from '../actor/mailbox.js';
import type { StopReason } from '../actor/stop-reason.js';
import type { AddrHash } from '../address/hash.js';
import { SendError } from '../errors.js';
import { cloneMessage } from './clone.js';
import { decodeError, encodeError, type EncodedError } from './error-codec.js';
import type { CellProgress, EncodedStopReason, MainOp } from './protocol.js';

/** An envelope that may carry a transfer list for the values in its message. */
export interface TransferEnvelope extends Envelope {
  /** Transferred, not copied, to the receiving thread; the sender loses access to them. */
  readonly transfer?: readonly Transferable[] | undefined;
}

/** The receiver of a RemoteCell's notices: the supervision node of its path. */
export interface RemoteCellHost {
  onStarted(cell: RemoteCell): void;
  onFailed(cell: RemoteCell, error: unknown, queued: Envelope[]): void;
  onStopRequested(cell: RemoteCell): void;
}

/** The thread a RemoteCell talks to. */
export interface ThreadLink {
  readonly index: number;
  /** Queues `op` for this turn's batch. */
  post(op: MainOp): void;
  /** Posts `op` at once with a transfer list; throws what `postMessage` throws. */
  postNow(op: MainOp, transfer: readonly Transferable[]): void;
  /** Returns a new ask correlation id, unique on this thread. */
  nextAskId(): number;
  /** Forgets the cell: later notices for it are dropped. */
  release(cell: RemoteCell): void;
}

interface Sent {
  readonly envelope: Envelope;
  /** Correlation id of the ask, 0 for a plain send. */
  readonly ask: number;
}

export class RemoteCell {
  /** Id of the cell on its thread. */
  readonly id: number;
  readonly addr: AddrHash;
  /** The actor kind; the name is the module reference's name until the thread reports the definition's own. */
  readonly definition: { name: string };
  /** Messages whose handler completed on the thread, as last reported. */
  handled = 0;
  /** Milliseconds of synchronous handler time on the thread, as last reported. */
  computeMs = 0;

  private readonly link: ThreadLink;
  private readonly host: RemoteCellHost;
  private readonly shadow: Mailbox<Sent>;
  private readonly asks = new Map<number, ReplyTarget>();
  private currentStatus: CellStatus = 'starting';
  private dequeued = 0;
  private lastDequeued: Sent | undefined;
  private inFlight = false;
  private busy = false;
  private threadGone = false;
  private released = false;
  private closeWaiters: ((queued: Envelope[]) => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private onStopWaiter: { resolve: () => void; reject: (error: unknown) => void } | undefined;

  constructor(id: number, addr: AddrHash, actorName: string, mailboxCapacity: number, link: ThreadLink, host: RemoteCellHost) {
    this.id = id;
    this.addr = addr;
    this.definition = { name: actorName };
    this.shadow = new Mailbox<Sent>(mailboxCapacity);
    this.link = link;
    this.host = host;
  }

  /** Index of the thread the incarnation runs on. */
  get thread(): number {
    return this.link.index;
  }

  /** Envelopes sent and not yet dequeued by the thread, and the capacity. */
  get mailbox(): { readonly size: number; readonly capacity: number } {
    return { size: this.shadow.size, capacity: this.shadow.capacity };
  }

  get status(): CellStatus {
    return this.currentStatus;
  }

  /** Setting `stopped`, as the node does at the end of a teardown, frees the incarnation on the thread. */
  set status(status: CellStatus) {
    this.currentStatus = status;
    if (status === 'stopped') this.release();
  }

  get accepting(): boolean {
    return this.currentStatus === 'starting' || this.currentStatus === 'running';
  }

  /** Whether a handler or `onStart` was in flight when the thread last reported. */
  get isBusy(): boolean {
    return this.busy;
  }

  /**
   * Sends an envelope to the thread. Returns true when sent, false when the
   * mailbox is full, and `SendError` kind `SerializationFailed` when the
   * message cannot be structured-cloned. Nothing is sent in either failure.
   * The caller checks `accepting` first.
   */
  enqueue(envelope: TransferEnvelope): boolean | SendError {
    if (this.shadow.size >= this.shadow.capacity) return false;

    const transfer = envelope.transfer;
    const ask = envelope.reply === undefined ? 0 : this.link.nextAskId();
    try {
      if (transfer === undefined || transfer.length === 0) {
        // The clone is taken now, so the message is checked at send time and
        // later changes by the sender do not reach the receiver.
        const message = cloneMessage(envelope.message);
        const headers = envelope.headers === undefined ? undefined : cloneMessage(envelope.headers);
        this.link.post({ op: 'deliver', cell: this.id, message, headers, ask });
      } else {
        this.link.postNow({ op: 'deliver', cell: this.id, message: envelope.message, headers: envelope.headers, ask }, transfer);
      }
    } catch (error) {
      return new SendError('SerializationFailed', { path: this.addr.path, generation: this.addr.generation }, error);
    }

    this.shadow.push({ envelope, ask });
    if (envelope.reply !== undefined) this.asks.set(ask, envelope.reply);
    return true;
  }

  /** Closes intake and asks the thread to close the cell. Resolves with the envelopes it will never handle. */
  close(): Promise<Envelope[]> {
    if (this.accepting) this.currentStatus = 'closed';
    if (this.threadGone || this.currentStatus === 'stopped') return Promise.resolve(this.takeQueued());
    return new Promise((resolve) => {
      this.closeWaiters.push(resolve);
      this.link.post({ op: 'close', cell: this.id });
    });
  }

  /** Resolves when the thread reports that no handler or `onStart` is in flight. */
  whenIdle(): Promise<void> {
    if (!this.busy || this.threadGone) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The envelope of the async handler in flight, if any; the thread drops its outcome. */
  takeInFlight(): Envelope | undefined {
    const sent = this.inFlight ? this.lastDequeued : undefined;
    this.inFlight = false;
    this.lastDequeued = undefined;
    if (sent === undefined) return undefined;
    this.asks.delete(sent.ask);
    if (!this.threadGone) this.link.post({ op: 'take-in-flight', cell: this.id });
    return sent.envelope;
  }

  /**
   * Runs `onStop` on the thread and marks the cell stopped. Resolves at
   * once when the thread is gone, because `onStop` cannot run any more.
   */
  runOnStop(reason: StopReason): Promise<void> {
    if (this.threadGone || this.currentStatus === 'stopped') {
      this.status = 'stopped';
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.onStopWaiter = { resolve, reject };
      this.link.post({ op: 'run-on-stop', cell: this.id, reason: encodeStopReason(reason) });
    }).finally(() => {
      this.status = 'stopped';
    });
  }

  /** Gives up on the incarnation at once: returns the queued envelopes plus the one in flight. */
  abandon(): Envelope[] {
    const inFlight = this.takeInFlight();
    const envelopes = this.takeQueued();
    if (inFlight !== undefined) envelopes.unshift(inFlight);
    this.resolveWaiters();
    this.status = 'stopped';
    return envelopes;
  }

  // ---- Notices from the thread ----------------------------------------------

  applyProgress(progress: CellProgress): void {
    for (let count = progress.dequeued - this.dequeued; count > 0; count--) {
      const sent = this.shadow.shift();
      if (sent === undefined) break;
      this.lastDequeued = sent;
    }
    this.dequeued = Math.max(this.dequeued, progress.dequeued);
    this.handled = progress.handled;
    this.computeMs = progress.computeMs;
    this.inFlight = progress.inFlight;
    this.busy = progress.busy;
    if (!this.busy) this.wakeIdle();
  }

  started(actor: string): void {
    if (this.currentStatus !== 'starting') return;
    this.definition.name = actor;
    this.currentStatus = 'running';
    this.host.onStarted(this);
  }

  failed(progress: CellProgress, error: EncodedError): void {
    this.applyProgress(progress);
    if (!this.accepting) return;
    this.currentStatus = 'closed';
    this.host.onFailed(this, decodeError(error), this.takeQueued());
  }

  stopRequested(progress: CellProgress): void {
    this.applyProgress(progress);
    if (this.currentStatus === 'running') this.host.onStopRequested(this);
  }

  closed(progress: CellProgress): void {
    this.applyProgress(progress);
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    const queued = this.takeQueued();
    waiters.forEach((resolve, i) => {
      resolve(i === 0 ? queued : []);
    });
  }

  idle(): void {
    this.busy = false;
    this.wakeIdle();
  }

  onStopDone(error: EncodedError | undefined): void {
    const waiter = this.onStopWaiter;
    this.onStopWaiter = undefined;
    if (error === undefined) waiter?.resolve();
    else waiter?.reject(decodeError(error));
  }

  settleAsk(ask: number, outcome: { value: unknown } | { error: EncodedError }): void {
    const reply = this.asks.get(ask);
    if (reply === undefined) return;
    this.asks.delete(ask);
    if ('error' in outcome) reply.handlerFailed(decodeError(outcome.error));
    else reply.resolve(outcome.value);
  }

  /**
   * The thread ended. A live incarnation fails at once with `error`, its
   * queued asks are handed to the node, and every other ask still waiting
   * on the thread rejects with `NoResponse` at once.
   */
  threadDied(error: unknown): void {
    if (this.threadGone) return;
    this.threadGone = true;
    this.busy = false;
    this.inFlight = false;

    if (this.accepting) {
      this.currentStatus = 'closed';
      this.host.onFailed(this, error, this.takeQueued());
    }
    this.resolveWaiters();
    this.rejectAsks(`worker thread ${this.link.index} ended before the reply was sent`);
  }

  // ---- Internals --------------------------------------------------------------

  /** Removes every envelope the thread has not dequeued; their asks are the caller's to answer. */
  private takeQueued(): Envelope[] {
    const envelopes: Envelope[] = [];
    for (let sent = this.shadow.shift(); sent !== undefined; sent = this.shadow.shift()) {
      this.asks.delete(sent.ask);
      envelopes.push(sent.envelope);
    }
    return envelopes;
  }

  private resolveWaiters(): void {
    const closeWaiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const resolve of closeWaiters) resolve(this.takeQueued());
    this.wakeIdle();
    this.onStopDone(undefined);
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private rejectAsks(reason: string): void {
    const asks = [...this.asks.values()];
    this.asks.clear();
    for (const reply of asks) reply.noResponse(reason);
  }

  /** Frees the incarnation on the thread; asks still waiting will never get a reply. */
  private release(): void {
    if (this.released) return;
    this.released = true;
    this.link.release(this);
    if (!this.threadGone) this.link.post({ op: 'abandon', cell: this.id });
    this.rejectAsks(`the incarnation of ${this.addr.path} stopped before replying`);
  }
}

function encodeStopReason(reason: StopReason): EncodedStopReason {
  if (reason.kind === 'failed') return { kind: 'failed', error: encodeError(reason.error) };
  return reason;
}
