/**
 * ChildSupervisor: the decisions one actor (or root) makes about its
 * children when they end. It applies the restart policy, the strategy, the
 * per-child intensity and the backoff; ActorNode does the stopping and
 * starting it asks for.
 *
 * Decisions run one at a time in arrival order. A backoff wait runs on a
 * timer outside that queue and queues only the start.
 */

import type { StopReason } from '../actor/stop-reason.js';
import type { AddrHash } from '../address/hash.js';
import { EscalationError } from '../errors.js';
import { channels, publish, type ActorRestartEvent, type EscalationEvent } from '../introspection/diagnostics.js';
import type { TimerHandle } from '../scheduler/clock.js';
import { backoffDelayMs, RestartWindow } from './intensity.js';
import type { ActorNode } from './node.js';
import { restartGroupOf, shouldRestart } from './strategy.js';

/** Children that restart together, in start order, with the cause each restart event reports. */
interface RestartPlan {
  members: ActorNode[];
  readonly causes: Map<ActorNode, ActorRestartEvent['cause']>;
}

/** A restart plan waiting for its backoff delay. */
interface PendingRestart extends RestartPlan {
  timer: TimerHandle | undefined;
}

const settled = Promise.resolve();

export class ChildSupervisor {
  readonly #node: ActorNode;
  /** Decisions about the children run one at a time, in arrival order. */
  #decisions: Promise<void> = settled;
  /** Restarts of the children waiting for their backoff delay. */
  readonly #pendingRestarts = new Set<PendingRestart>();

  constructor(node: ActorNode) {
    this.#node = node;
  }

  /**
   * Receives the notice that incarnation `addr` of `child` ended, and queues
   * the decision behind any decision still running.
   */
  childEnded(child: ActorNode, addr: AddrHash, reason: StopReason): void {
    this.#enqueueDecision(child, () => this.#decide(child, addr, reason));
  }

  /** Runs `step` after every decision queued before it. */
  #enqueueDecision(child: ActorNode, step: () => Promise<void> | void): void {
    const node = this.#node;
    this.#decisions = this.#decisions.then(step).catch((error: unknown) => {
      // A bug here would otherwise stop every later decision without a trace.
      process.emitWarning(`rhodium: supervisor ${node.path} failed to decide about ${child.path}: ${String(error)}`);
    });
  }

  async #decide(child: ActorNode, addr: AddrHash, reason: StopReason): Promise<void> {
    const node = this.#node;
    // A notice about an old generation, or about an incarnation that still
    // exists, never touches the current one: path and generation must match.
    if (child.lastAddr === undefined || !child.lastAddr.equals(addr) || child.cell !== undefined) return;
    if (child.isFinal || !node.children.includes(child) || this.#hasPendingRestart(child)) return;

    if (!node.supervising || !shouldRestart(child.spec.restart, reason)) {
      node.removeChild(child);
      child.markStopped();
      return;
    }

    const { intensity } = node.spec.supervision;
    const recent = child.restartWindow.record(node.clock.now(), intensity);
    if (RestartWindow.exceeds(recent, intensity)) {
      this.#escalate(child, reason);
      return;
    }
    await this.#restartGroup(child, reason, recent);
  }

  /** Gives up on a child that exceeded its intensity. */
  #escalate(child: ActorNode, reason: StopReason): void {
    const node = this.#node;
    const { intensity } = node.spec.supervision;
    const error = reason.kind === 'failed' ? reason.error : undefined;
    node.removeChild(child);
    child.markStopped();
    publish(channels.escalation, () => ({
      path: child.path,
      generation: child.lastAddr?.generation ?? 0,
      supervisor: node.path,
      maxRestarts: intensity.maxRestarts,
      windowMs: intensity.windowMs,
      reason: reason.kind === 'failed' ? 'failed' : 'stopped',
      error,
    }) satisfies EscalationEvent);

    // A root supervisor keeps the engine running; any other supervisor fails,
    // which stops its other children, and its own parent decides.
    if (node.isRoot) return;
    node.failFromOutside(
      new EscalationError(child.path, intensity.maxRestarts, intensity.windowMs, {
        path: node.path,
        generation: node.lastAddr?.generation,
      }, error),
    );
  }

  /**
   * Restarts `child` and, by strategy, its siblings: the siblings stop in
   * reverse start order, then the group starts again in start order, after
   * the backoff delay if one is set. A temporary sibling is stopped for good
   * instead, since it never restarts.
   */
  async #restartGroup(child: ActorNode, reason: StopReason, attempt: number): Promise<void> {
    const node = this.#node;
    const { strategy, backoff } = node.spec.supervision;
    const group = restartGroupOf(node.children, child, strategy);

    for (const sibling of [...group].reverse()) {
      if (sibling === child) continue;
      if (sibling.spec.restart === 'temporary') await sibling.stopForGood('supervisor');
      else await sibling.stopForRestart();
    }

    const plan: RestartPlan = { members: group, causes: new Map([[child, reason.kind === 'failed' ? 'failed' : 'stopped']]) };
    this.#absorbPendingRestarts(plan);
    const delayMs = backoff === undefined ? 0 : backoffDelayMs(backoff, attempt, node.services.random);
    if (delayMs <= 0) {
      this.#startPlan(plan);
      return;
    }

    // The wait runs outside the decision queue, so one child's backoff never
    // delays the decisions about its siblings.
    const pending: PendingRestart = { ...plan, timer: undefined };
    pending.timer = node.clock.setTimer(() => {
      if (!this.#pendingRestarts.delete(pending)) return;
      this.#enqueueDecision(child, () => {
        this.#startPlan(pending);
      });
    }, delayMs);
    this.#pendingRestarts.add(pending);
  }

  /**
   * Merges into `plan` every waiting restart that shares a member with it,
   * so each member starts once and a rest-for-one group never starts a
   * child before an earlier sibling that is also down.
   */
  #absorbPendingRestarts(plan: RestartPlan): void {
    const node = this.#node;
    for (const pending of [...this.#pendingRestarts]) {
      if (!pending.members.some((member) => plan.members.includes(member))) continue;
      this.#cancelPendingRestart(pending);
      for (const member of pending.members) if (!plan.members.includes(member)) plan.members.push(member);
      for (const [member, cause] of pending.causes) if (!plan.causes.has(member)) plan.causes.set(member, cause);
    }
    plan.members.sort((left, right) => node.children.indexOf(left) - node.children.indexOf(right));
  }

  /** Starts the members of a plan in start order, skipping any that were stopped for good meanwhile. */
  #startPlan(plan: RestartPlan): void {
    const node = this.#node;
    for (const member of plan.members) {
      // A shutdown or stop for good that began meanwhile stops the members
      // left without an incarnation.
      if (!node.supervising) return;
      if (member.isFinal || !node.children.includes(member) || member.cell !== undefined) continue;
      member.restartIncarnation(plan.causes.get(member) ?? 'sibling');
    }
  }

  #hasPendingRestart(child: ActorNode): boolean {
    for (const pending of this.#pendingRestarts) if (pending.members.includes(child)) return true;
    return false;
  }

  /** Removes a child stopped for good from the waiting restarts, cancelling any left empty. */
  dropPendingRestart(child: ActorNode): void {
    for (const pending of [...this.#pendingRestarts]) {
      pending.members = pending.members.filter((member) => member !== child);
      if (pending.members.length === 0) this.#cancelPendingRestart(pending);
    }
  }

  #cancelPendingRestart(pending: PendingRestart): void {
    const node = this.#node;
    this.#pendingRestarts.delete(pending);
    if (pending.timer !== undefined) node.clock.clearTimer(pending.timer);
  }

  cancelPendingRestarts(): void {
    for (const pending of [...this.#pendingRestarts]) this.#cancelPendingRestart(pending);
  }

}
